package io.tensd.heat.tune;

import io.tensd.config.Limits;
import io.tensd.heat.HeatSetup;
import io.tensd.safety.HeatModel;
import io.tensd.safety.Inputs;
import io.tensd.safety.Verdict;
import io.tensd.sim.HeatedSession;
import io.tensd.sim.PadRig;
import io.tensd.sim.ThermalModel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cross-check tolerance of an identified pad: the widest, never above the nominal one, at which the faults the
 * cross-check exists for (a stuck-on heater, a pad lifted off the skin) are caught on this pad no later than on the
 * nominal pad with the nominal model.
 *
 * <p>How: the identified model is the plant (sensors with the simulated parts' noise, one fixed draw) of a heated
 * session at {@value #SETPOINT_CELSIUS} °C with its own PID and the real supervisor, whose cross-check is made unable
 * to trip; after {@value #INJECT_MINUTES} minutes one fault is injected and the cross-check residual recorded, in a
 * cool, a room-temperature and a warm room (18, 22, 28 °C: the operating point, hence the residual's growth, moves
 * with it). Until the residual first exceeds a tolerance the run does not depend on that tolerance, so one run per
 * fault gives the detection time of every tolerance: the pad's is the largest residual reached by {@value #TARGET} ×
 * the nominal pad's detection time (found the same way, with the nominal tolerance, at 22 °C). A fault another check
 * latches by then asks nothing of the tolerance. Why not a formula: the residual's growth after a fault depends on the
 * closed loop (the PID answers a cooling skin with more duty, the duty and pad limits cap it), which a ratio of time
 * constants missed: strong heaters on nominal capacities were caught up to 4 s later than the nominal pad.
 *
 * <p>Bounds: never wider than nominal (the identified model never loosens the monitor); never below
 * {@value #MIN_RATIO} of it (sensor noise, garments, the fit's own residual up to 0.15 °C RMS).
 */
public final class MatchedTolerance {
    static final double MIN_RATIO = 0.5;
    /** Aim earlier than the nominal pad: a few per cent of identification error must not make the pad later. */
    static final double TARGET = 0.9;
    static final double SETPOINT_CELSIUS = 40.0;
    /** The nominal pad's figures are at room temperature; a pad must be as quick in any room it may be used in. */
    static final double NOMINAL_AMBIENT_CELSIUS = 22.0;
    static final double[] AMBIENTS_CELSIUS = {18.0, 22.0, 28.0};
    static final int INJECT_MINUTES = 15;
    private static final long TICK_NANOS = 50 * PadRig.MS;
    private static final long WATCH_NANOS = 60_000 * PadRig.MS;
    /** The sensors' noise is the simulated parts' (the pad channel's stuck check needs it), always the same draw. */
    private static final long NOISE_SEED = 15;
    static final PadRig.Fault[] FAULTS = {PadRig.Fault.HEATER_STUCK_ON, PadRig.Fault.PAD_DETACHED};
    private static final Map<HeatModel, double[]> NOMINAL_SECONDS = new ConcurrentHashMap<>();

    private MatchedTolerance() { }

    /**
     * What the cross-check sees after one fault on a pad: the running maximum of its residual per loop tick from
     * the injection, and when another check latched a fault (seconds after the injection; −1: none in the window).
     */
    record Response(double[] runningMaxCelsius, double otherFaultSeconds) {
        /** Seconds from the injection to the first latch with tolerance {@code tol} (NaN: not within the window). */
        double detectionSeconds(double tol) {
            for (int i = 0; i < runningMaxCelsius.length; i++) {
                double t = i * TICK_NANOS / 1e9;
                if (otherFaultSeconds >= 0 && otherFaultSeconds <= t) {
                    return otherFaultSeconds;
                }
                if (runningMaxCelsius[i] > tol) {
                    return t;
                }
            }
            return Double.NaN;
        }

        /** The largest residual reached within {@code seconds} of the injection. */
        double reachedWithin(double seconds) {
            int i = (int) Math.min(runningMaxCelsius.length - 1, Math.floor(seconds * 1e9 / TICK_NANOS));
            return runningMaxCelsius[Math.max(0, i)];
        }
    }

    /** The tolerance for {@code pad} (identified, heated with {@code gains}); {@code base}: the nominal model. */
    public static double of(HeatModel pad, PidTuning.Gains gains, HeatModel base) {
        double[] nominal = NOMINAL_SECONDS.computeIfAbsent(base, MatchedTolerance::nominalSeconds);
        double tol = base.toleranceCelsius();
        for (double ambient : AMBIENTS_CELSIUS) {
            for (int k = 0; k < FAULTS.length; k++) {
                Response r = response(pad, gains.kpPerCelsius(), gains.kiPerCelsiusSecond(), gains.kdSecondsPerCelsius(),
                        FAULTS[k], ambient);
                double by = TARGET * nominal[k];
                if (r == null || Double.isNaN(by) || (r.otherFaultSeconds() >= 0 && r.otherFaultSeconds() <= by)) {
                    continue; // a pad that cannot hold the setpoint here unfaulted, or another check is in time
                }
                tol = Math.min(tol, Math.nextDown(r.reachedWithin(by)));
            }
        }
        return Math.max(MIN_RATIO * base.toleranceCelsius(), tol);
    }

    /** The nominal pad's detection time of each of {@link #FAULTS} with the nominal model and PID. */
    static double[] nominalSeconds(HeatModel base) {
        HeatSetup n = HeatSetup.nominal();
        double[] s = new double[FAULTS.length];
        for (int k = 0; k < FAULTS.length; k++) {
            Response r = response(base, n.kpPerCelsius(), n.kiPerCelsiusSecond(), n.kdSecondsPerCelsius(), FAULTS[k],
                    NOMINAL_AMBIENT_CELSIUS);
            s[k] = r == null ? Double.NaN : r.detectionSeconds(base.toleranceCelsius());
        }
        return s;
    }

    /** {@code fault} on the pad {@code m} describes, heated with these gains; null when a fault latched before it. */
    static Response response(HeatModel m, double kp, double ki, double kd, PadRig.Fault fault, double ambientCelsius) {
        HeatModel blind = m.withToleranceCelsius(Double.POSITIVE_INFINITY);
        HeatedSession session = new HeatedSession(new HeatSetup(blind, kp, ki, kd, Double.POSITIVE_INFINITY, "heat-tune", null),
                Limits.defaults(), SETPOINT_CELSIUS, true);
        long injectNanos = INJECT_MINUTES * 60_000L * PadRig.MS;
        double[] max = new double[(int) (WATCH_NANOS / TICK_NANOS) + 1];
        double[] other = {-1};
        boolean[] early = {false};
        PadRig.Driver d = new PadRig.Driver() {
            long first = Long.MIN_VALUE;
            double runningMax;

            @Override
            public Verdict tick(long now, Inputs in) {
                if (first == Long.MIN_VALUE) {
                    first = now;
                }
                Verdict v = session.tick(now, in);
                long t = now - first - injectNanos;
                if (t < 0) {
                    early[0] |= v.faultBits() != 0;
                    return v;
                }
                int i = (int) (t / TICK_NANOS);
                if (i < max.length) {
                    runningMax = Math.max(runningMax, session.heatResidualCelsius());
                    max[i] = runningMax;
                    if (v.faultBits() != 0 && other[0] < 0) {
                        other[0] = t / 1e9;
                    }
                }
                return v;
            }

            @Override
            public boolean finished() { return session.finished(); }
        };
        new PadRig(ThermalModel.of(m, ambientCelsius), NOISE_SEED).run(d, injectNanos + WATCH_NANOS, 0,
                new PadRig.Injection(fault, injectNanos, 0));
        if (early[0]) {
            return null;
        }
        for (int i = 1; i < max.length; i++) {
            max[i] = Math.max(max[i], max[i - 1]); // after a latch the run ended: the residual stays where it was
        }
        return new Response(max, other[0]);
    }
}
