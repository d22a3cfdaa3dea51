package io.tensd.heat.tune;

import io.tensd.hw.SensorStatus;
import io.tensd.hw.TempReading;

/**
 * The identification experiment as a state machine: REST → HEAT → COOL → DONE, or ABORTED from any state. Pure:
 * time is an argument. Each tick it is told the readings and what the supervisor let the heater do in the previous
 * tick, records one sample per new pad reading (at the time it was taken, {@link ReadingTimes}), and says which duty
 * it asks for. It never asks for heat outside
 * HEAT; ABORTED and DONE ask for none, forever. It does not judge faults itself beyond its own bounds: the caller
 * ({@link TuneRun}) aborts it on any fault the supervisor latches.
 */
public final class TuneExperiment {
    public enum Phase { REST, HEAT, COOL, DONE, ABORTED }

    private static final long MS = 1_000_000L;
    /** HEAT ends early when the skin rose less than this over the last {@link #FLAT_WINDOW_NANOS}. */
    private static final double FLAT_RISE_CELSIUS = 0.15;
    private static final long FLAT_WINDOW_NANOS = 60_000 * MS;

    private final TunePlan plan;
    private final Samples samples;
    private Phase phase = Phase.REST;
    private long startNanos = Long.MIN_VALUE;
    private long phaseSinceNanos;
    private long lastSkinAt = Long.MIN_VALUE;
    private long lastPadAt = Long.MIN_VALUE;
    /** Times each sample by its readings' acquisition, with the duty applied up to then. */
    private final ReadingTimes readingTimes = new ReadingTimes();
    private long flatRefNanos;
    private double flatRefSkin;
    private String endReason = "";
    private String heatEndReason = "";

    public TuneExperiment(TunePlan plan) {
        this.plan = plan;
        this.samples = new Samples((int) (plan.maxTotalMillis() / 100) + 16);
    }

    public Phase phase() { return phase; }

    public boolean finished() { return phase == Phase.DONE || phase == Phase.ABORTED; }

    /** Why it ended (ABORTED: the fault or bound; DONE: "complete"). */
    public String endReason() { return endReason; }

    /** Why the step ended (skin-stop, pad-stop, skin-flat, max-heat). */
    public String heatEndReason() { return heatEndReason; }

    public Samples samples() { return samples; }

    public TunePlan plan() { return plan; }

    /** Ends the experiment now (fault, operator, lost sensor): no heat is asked for again. */
    public void abort(long nowNanos, String reason) {
        if (!finished()) {
            phase = Phase.ABORTED;
            endReason = reason;
        }
    }

    /**
     * One tick. {@code appliedDuty} is what the pad got since the previous tick (the supervisor's verdict); a sample
     * records its mean since the previous sample.
     * Returns the duty asked for until the next tick (0 outside HEAT).
     */
    public double tick(long now, TempReading skin, TempReading pad, double appliedDuty) {
        return tick(now, skin, pad, appliedDuty, 0);
    }

    /**
     * As {@link #tick(long, TempReading, TempReading, double)}, with the supervisor's cross-check residual: the step
     * ends once it reaches {@link TunePlan#residualStopCelsius()}, so a pad unlike the model in force is identified
     * without tripping (or loosening) the cross-check.
     */
    public double tick(long now, TempReading skin, TempReading pad, double appliedDuty, double crossCheckResidual) {
        if (finished()) {
            return 0;
        }
        if (startNanos == Long.MIN_VALUE) {
            startNanos = now;
            phaseSinceNanos = now;
        }
        readingTimes.tick(now, appliedDuty);
        boolean ok = skin.status() == SensorStatus.OK && pad.status() == SensorStatus.OK
                && !Double.isNaN(skin.celsius()) && !Double.isNaN(pad.celsius());
        if (!ok) {
            abort(now, "sensor not OK (skin " + skin.status() + ", pad " + pad.status() + ")");
            return 0;
        }
        if (skin.sampledAtNanos() != lastSkinAt) {
            lastSkinAt = skin.sampledAtNanos();
            readingTimes.skin(lastSkinAt, skin.celsius());
        }
        if (pad.sampledAtNanos() != lastPadAt) {
            lastPadAt = pad.sampledAtNanos();
            readingTimes.pad(lastPadAt, pad.celsius());
        }
        // at the readings' own times, with the mean duty between them (not the tick's: a step that starts or ends
        // between two samples would be recorded a tick early or late, which on a 20 s step shifted W and C_p by 5 %;
        // readings timed at the tick that used them, 0–100 ms late, biased them up to 12 %)
        if (!readingTimes.drain(samples, startNanos)) {
            abort(now, "sample buffer full");
            return 0;
        }
        if (now - startNanos >= plan.maxTotalMillis() * MS) {
            abort(now, "time cap " + plan.maxTotalMillis() / 60_000 + " min");
            return 0;
        }
        long inPhase = now - phaseSinceNanos;
        switch (phase) {
            case REST -> {
                if (inPhase >= plan.restMillis() * MS) {
                    enter(Phase.HEAT, now);
                    flatRefNanos = now;
                    flatRefSkin = skin.celsius();
                }
            }
            case HEAT -> {
                String stop = null;
                if (skin.celsius() >= plan.skinStopCelsius()) {
                    stop = "skin-stop";
                } else if (pad.celsius() >= plan.padStopCelsius()) {
                    stop = "pad-stop";
                } else if (crossCheckResidual >= plan.residualStopCelsius()) {
                    stop = "cross-check-residual";
                } else if (inPhase >= plan.maxHeatMillis() * MS) {
                    stop = "max-heat";
                } else if (skin.celsius() >= flatRefSkin + FLAT_RISE_CELSIUS) {
                    flatRefNanos = now;
                    flatRefSkin = skin.celsius();
                } else if (now - flatRefNanos > FLAT_WINDOW_NANOS) {
                    stop = "skin-flat";
                }
                if (stop != null) {
                    heatEndReason = stop;
                    enter(Phase.COOL, now);
                }
            }
            case COOL -> {
                if (inPhase >= plan.coolMillis() * MS) {
                    enter(Phase.DONE, now);
                    endReason = "complete";
                }
            }
            default -> { }
        }
        return phase == Phase.HEAT ? plan.dutyStep() : 0;
    }

    private void enter(Phase p, long now) {
        phase = p;
        phaseSinceNanos = now;
    }

    /**
     * The recorded experiment: time (s from start) at which the readings were taken, both readings (the skin
     * interpolated to the pad's time) and the mean duty the pad got since the previous sample. Preallocated.
     */
    public static final class Samples {
        private final double[] t;
        private final double[] skin;
        private final double[] pad;
        private final double[] duty;
        private int n;

        Samples(int capacity) {
            t = new double[capacity];
            skin = new double[capacity];
            pad = new double[capacity];
            duty = new double[capacity];
        }

        boolean add(double tSeconds, double skinCelsius, double padCelsius, double dutyApplied) {
            if (n == t.length) {
                return false;
            }
            t[n] = tSeconds;
            skin[n] = skinCelsius;
            pad[n] = padCelsius;
            duty[n] = dutyApplied;
            n++;
            return true;
        }

        public int size() { return n; }

        public double t(int i) { return t[i]; }

        public double skin(int i) { return skin[i]; }

        public double pad(int i) { return pad[i]; }

        public double duty(int i) { return duty[i]; }
    }
}
