package io.tensd.sim;

import io.tensd.hw.SensorStatus;
import io.tensd.hw.TempReading;
import io.tensd.hw.TemperatureSensor;
import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * A simulated temperature channel sampling a model value at a fixed rate, with the scenario's injections:
 * open, short, stuck (value frozen, timestamps advance), drift (offset ramped in over
 * {@link #DRIFT_RAMP_SECONDS}, slow enough to pass the rate check so that only the cross-check can see
 * it), noise (Gaussian, °C sigma) and ok.
 *
 * <p>Timing ({@link #acquisition}): by default a sample is taken at multiples of the period and published at once.
 * Real acquisition threads run asynchronously to the loop and a conversion takes time, so a reading the loop uses
 * can be up to a period old: a phase offset moves the sampling instants, a latency delays publication. The reading's
 * value is the temperature at its {@code sampledAtNanos} either way.
 */
public final class SimTempSensor implements TemperatureSensor {
    public static final double DRIFT_RAMP_SECONDS = 60.0;

    public enum Mode { OK, OPEN, SHORT, STUCK }

    private final DoubleSupplier truth;
    private final long periodNanos;
    private final double baseNoiseCelsius;
    private final double resolutionCelsius;
    private final Random random;
    private volatile TempReading latest = TempReading.NONE;
    private long nextSampleNanos;
    private Mode mode = Mode.OK;
    private double driftTarget;
    private double driftStartOffset;
    private long driftStartNanos;
    private double extraNoise;
    private double lastValue = Double.NaN;
    private long latencyNanos;
    /** Taken, not yet published (only with a latency). */
    private final java.util.ArrayDeque<TempReading> converting = new java.util.ArrayDeque<>();

    public SimTempSensor(DoubleSupplier truth, long periodNanos, double baseNoiseCelsius, double resolutionCelsius, long seed) {
        this.truth = truth;
        this.periodNanos = periodNanos;
        this.baseNoiseCelsius = baseNoiseCelsius;
        this.resolutionCelsius = resolutionCelsius;
        this.random = new Random(seed);
    }

    @Override
    public TempReading latest() { return latest; }

    /**
     * Samples at {@code phaseNanos} + k·period and publishes each reading {@code latencyNanos} later (conversion and
     * hand-over to the loop). Set before the first {@link #advance}; defaults 0 and 0.
     */
    public SimTempSensor acquisition(long phaseNanos, long latencyNanos) {
        if (phaseNanos < 0 || latencyNanos < 0) {
            throw new IllegalArgumentException("phase and latency must be >= 0");
        }
        this.nextSampleNanos = phaseNanos;
        this.latencyNanos = latencyNanos;
        return this;
    }

    /** Takes a sample if one is due at {@code nowNanos}; publishes the readings whose conversion has ended. */
    void advance(long nowNanos) {
        while (nowNanos >= nextSampleNanos) {
            long t = nextSampleNanos;
            nextSampleNanos = Math.max(nextSampleNanos, 0) + periodNanos;
            if (latencyNanos == 0) {
                latest = sample(t);
            } else {
                converting.add(sample(t));
            }
        }
        while (!converting.isEmpty() && converting.peek().sampledAtNanos() + latencyNanos <= nowNanos) {
            latest = converting.poll();
        }
    }

    private TempReading sample(long t) {
        switch (mode) {
            case OPEN -> { return TempReading.failed(SensorStatus.OPEN, t); }
            case SHORT -> { return TempReading.failed(SensorStatus.SHORT, t); }
            case STUCK -> {
                if (!Double.isNaN(lastValue)) {
                    return TempReading.ok(lastValue, t);
                }
            }
            default -> { }
        }
        double v = truth.getAsDouble() + offset(t) + random.nextGaussian() * (baseNoiseCelsius + extraNoise);
        v = Math.round(v / resolutionCelsius) * resolutionCelsius;
        lastValue = v;
        return TempReading.ok(v, t);
    }

    private double offset(long t) {
        double f = Math.min(1.0, (t - driftStartNanos) / (DRIFT_RAMP_SECONDS * 1e9));
        return driftStartOffset + (driftTarget - driftStartOffset) * f;
    }

    public void setMode(long nowNanos, Mode mode) { this.mode = mode; }

    public void drift(long nowNanos, double offsetCelsius) {
        driftStartOffset = offset(nowNanos);
        driftStartNanos = nowNanos;
        driftTarget = offsetCelsius;
    }

    public void noise(double sigmaCelsius) { this.extraNoise = sigmaCelsius; }

    /** Back to a healthy sensor: no fault mode, no drift, no extra noise. */
    public void ok(long nowNanos) {
        mode = Mode.OK;
        driftStartOffset = 0;
        driftTarget = 0;
        extraNoise = 0;
    }
}
