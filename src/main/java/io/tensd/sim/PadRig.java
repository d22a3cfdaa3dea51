package io.tensd.sim;

import io.tensd.hw.BatteryReading;
import io.tensd.hw.PostureReading;
import io.tensd.hw.SensorStatus;
import io.tensd.hw.StimStatus;
import io.tensd.hw.TempReading;
import io.tensd.safety.Inputs;
import io.tensd.safety.Verdict;
import java.util.Random;

/**
 * The heat path alone, in virtual time, for heat-tune in the simulator, its property tests and the heat-tune
 * benchmark: the simulator's thermal model (with a {@link PadPlant}), both temperature channels with the noise and
 * resolution of the simulated parts (TMP117 0.0078 °C, ADS1115+NTC 0.01 °C), a stimulator whose lease renews while it
 * is alive, and a {@link Driver} (a heat-tune run or a heated session) that decides with the real supervisor. Loop
 * 20 Hz, sensors 10 Hz, physics 10 ms. One fault can be injected at a chosen time. By default a reading is taken at
 * the tick that first uses it; {@link #readingAges} makes each channel's readings older, as the device's asynchronous
 * acquisition threads deliver them.
 */
public final class PadRig {
    public static final long MS = 1_000_000L;
    private static final long TICK = 50 * MS;
    private static final long SAMPLE = 100 * MS;
    private static final long PHYSICS = 10 * MS;
    private static final long T0 = 1_000 * MS;

    /** One loop tick: inputs in, the supervisor's verdict out. */
    public interface Driver {
        Verdict tick(long nowNanos, Inputs in);

        /** True once the driver needs no more ticks (the run then ends). */
        default boolean finished() { return false; }
    }

    /** The faults a run can inject (every cause the heat path can see). */
    public enum Fault {
        NONE, HEATER_STUCK_ON, HEATER_OPEN, PAD_DETACHED, SKIN_DRIFT, PAD_DRIFT, SKIN_OPEN, PAD_OPEN, SKIN_STUCK, PAD_STUCK,
        STIM_LINK_LOST, ESTOP, LOOP_STALL
    }

    /** A fault from {@code atNanos} after the start; a drift ramps {@code driftCelsius} in over 60 s. */
    public record Injection(Fault fault, long atNanos, double driftCelsius) {
        public static final Injection NONE = new Injection(Fault.NONE, Long.MAX_VALUE, 0);
    }

    /**
     * @param maxTrueSkinCelsius highest skin of the thermal model over the run
     * @param firstFaultNanos    first verdict with a latched fault, from the start (−1: none)
     * @param faultBits          every fault latched
     * @param heatAfterFinish    ticks with the heater enabled after the driver said it had finished (must be 0)
     * @param endNanos           when the run ended, from the start
     * @param powerAtEnd         fraction of heater power reaching the pad at the end
     */
    public record Result(double maxTrueSkinCelsius, long firstFaultNanos, long faultBits, int heatAfterFinish,
                         long endNanos, double powerAtEnd) { }

    private static final int HISTORY = 16;

    private final ThermalModel thermal;
    private final Random noise;
    private final Inputs in = new Inputs();
    private long skinAgeNanos;
    private long padAgeNanos;
    /** The model's (skin, pad) at the last {@value #HISTORY} physics steps, for readings taken before the tick. */
    private final double[][] history = new double[HISTORY][2];

    public PadRig(PadPlant plant, double ambientCelsius, long seed) {
        this(plant.thermalModel(ambientCelsius), seed);
    }

    /** A rig around {@code thermal} (for instance an identified pad's, {@link ThermalModel#of}). */
    public PadRig(ThermalModel thermal, long seed) {
        this.thermal = thermal;
        this.noise = new Random(seed);
    }

    public ThermalModel thermal() { return thermal; }

    /**
     * Readings {@code skinAgeNanos} and {@code padAgeNanos} old when the loop first uses them (conversion latency,
     * acquisition asynchronous to the loop): each carries the model's temperature at its {@code sampledAtNanos}, that
     * much before the tick. Multiples of the 10 ms physics step, 0–{@code 100 ms}; defaults 0.
     */
    public PadRig readingAges(long skinAgeNanos, long padAgeNanos) {
        for (long age : new long[] {skinAgeNanos, padAgeNanos}) {
            if (age < 0 || age > SAMPLE || age % PHYSICS != 0) {
                throw new IllegalArgumentException("a reading age is a multiple of 10 ms within 0-100 ms: " + age);
            }
        }
        this.skinAgeNanos = skinAgeNanos;
        this.padAgeNanos = padAgeNanos;
        return this;
    }

    /** The model's temperature {@code ageNanos} ago (0: now); {@code channel} 0 skin, 1 pad. */
    private double aged(long physicsNanos, long ageNanos, int channel) {
        long steps = ageNanos / PHYSICS;
        long step = physicsNanos / PHYSICS;
        if (ageNanos == 0 || steps >= HISTORY || step - steps < 0) {
            return channel == 0 ? thermal.skinCelsius() : thermal.padCelsius();
        }
        return history[(int) Math.floorMod(step - steps, (long) HISTORY)][channel];
    }

    private void remember(long physicsNanos) {
        double[] h = history[(int) Math.floorMod(physicsNanos / PHYSICS, (long) HISTORY)];
        h[0] = thermal.skinCelsius();
        h[1] = thermal.padCelsius();
    }

    /** Runs {@code driver} until it has finished (plus {@code tailNanos}) or {@code maxNanos} elapsed. */
    public Result run(Driver driver, long maxNanos, long tailNanos, Injection inj) {
        TempReading skinR = TempReading.NONE;
        TempReading padR = TempReading.NONE;
        StimStatus stim = StimStatus.NONE;
        long nextSample = T0;
        long physics = T0;
        double power = 0;
        double maxSkin = thermal.skinCelsius();
        long firstFault = -1;
        long faults = 0;
        int heatAfter = 0;
        long finishedAt = -1;
        long end = T0 + maxNanos;
        long stallUntil = Long.MIN_VALUE;
        long now = T0;
        boolean stuckOn = false;
        for (double[] h : history) { // the model rested unheated before the run
            h[0] = thermal.skinCelsius();
            h[1] = thermal.padCelsius();
        }
        for (; now <= end; now += TICK) {
            long t = now - T0;
            boolean injected = t >= inj.atNanos();
            Fault f = injected ? inj.fault() : Fault.NONE;
            stuckOn = f == Fault.HEATER_STUCK_ON;
            thermal.setDetached(f == Fault.PAD_DETACHED);
            while (physics + PHYSICS <= now) {
                physics += PHYSICS;
                thermal.step(PHYSICS / 1e9, power);
                maxSkin = Math.max(maxSkin, thermal.skinCelsius());
                remember(physics);
            }
            if (now >= nextSample) {
                nextSample += SAMPLE;
                double ramp = injected ? Math.min(1, (t - inj.atNanos()) / 60e9) * inj.driftCelsius() : 0;
                double s = aged(physics, skinAgeNanos, 0) + (f == Fault.SKIN_DRIFT ? ramp : 0) + noise.nextGaussian() * 0.01;
                double p = aged(physics, padAgeNanos, 1) + (f == Fault.PAD_DRIFT ? ramp : 0) + noise.nextGaussian() * 0.03;
                long skinAt = now - skinAgeNanos;
                long padAt = now - padAgeNanos;
                skinR = f == Fault.SKIN_OPEN ? TempReading.failed(SensorStatus.OPEN, skinAt)
                        : f == Fault.SKIN_STUCK && skinR.status() == SensorStatus.OK ? TempReading.ok(skinR.celsius(), skinAt)
                        : TempReading.ok(Math.round(s / 0.0078125) * 0.0078125, skinAt);
                padR = f == Fault.PAD_OPEN ? TempReading.failed(SensorStatus.OPEN, padAt)
                        : f == Fault.PAD_STUCK && padR.status() == SensorStatus.OK ? TempReading.ok(padR.celsius(), padAt)
                        : TempReading.ok(Math.round(p / 0.01) * 0.01, padAt);
            }
            if (f != Fault.STIM_LINK_LOST) {
                stim = new StimStatus(now, 0, 1000, 0, true, 100, 1);
            }
            boolean leaseAlive = now - stim.receivedAtNanos() <= 100 * MS;
            if (f == Fault.LOOP_STALL && stallUntil == Long.MIN_VALUE) {
                stallUntil = now + 500 * MS; // the loop misses its deadline: the board's lease runs out
            }
            if (now < stallUntil) {
                leaseAlive = false;
            } else {
                in.set(skinR, padR, stim, f == Fault.ESTOP, BatteryReading.UNKNOWN, PostureReading.NONE);
                Verdict v = driver.tick(now, in);
                if (v.faultBits() != 0 && firstFault < 0) {
                    firstFault = t;
                }
                faults |= v.faultBits();
                boolean on = v.heaterEnabled() && leaseAlive;
                if (finishedAt >= 0 && v.heaterEnabled()) {
                    heatAfter++;
                }
                // the enable switch is in series with the PWM switch; a stuck PWM switch conducts fully when enabled
                power = on && f != Fault.HEATER_OPEN ? (stuckOn ? 1.0 : v.heaterDuty()) : 0;
            }
            if (!leaseAlive) {
                power = 0;
            }
            if (finishedAt < 0 && driver.finished()) {
                finishedAt = now;
            }
            if (finishedAt >= 0 && now - finishedAt >= tailNanos) {
                break;
            }
        }
        return new Result(maxSkin, firstFault, faults, heatAfter, Math.min(now, end) - T0, power);
    }
}
