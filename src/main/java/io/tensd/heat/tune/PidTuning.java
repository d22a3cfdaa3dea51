package io.tensd.heat.tune;

import io.tensd.heat.HeatController;
import io.tensd.safety.HeatModel;

/**
 * PID gains for the skin loop from an identified pad model, by Skogestad's SIMC rule on a first-order-plus-dead-time
 * approximation of duty → skin:
 * <ol>
 *   <li>step response of the two-node model (duty 0 → {@value #STEP_DUTY}, core 37 °C, ambient 22 °C) gives the gain
 *       K (°C per unit duty) and, by Smith's two-point method (28 % and 63 % of the rise), τ = 1.5·(t63 − t28) and
 *       dead time θ = t63 − τ (the pad node's lag seen from the skin);</li>
 *   <li>SIMC with closed-loop time constant τc = {@value #TAU_C_OVER_THETA}·θ (robust, no overshoot on the
 *       nominal pad): Kp = τ / (K·(τc + θ)), Ti = min(τ, 4·(τc + θ)), Ki = Kp / Ti;</li>
 *   <li>derivative on the measurement Kd = Kp·θ/{@value #TD_DIVISOR} (damps the pad lag; the controller filters it).</li>
 * </ol>
 * The supervisor clamps whatever the controller asks, so the gains affect control quality, never the limits.
 */
public final class PidTuning {
    static final double STEP_DUTY = 0.5;
    static final double TAU_C_OVER_THETA = 2.0;
    static final double TD_DIVISOR = 3.0;

    /** Gains and the FOPDT approximation they came from. */
    public record Gains(double kpPerCelsius, double kiPerCelsiusSecond, double kdSecondsPerCelsius,
                        double gainCelsiusPerDuty, double tauSeconds, double deadTimeSeconds) {
        public HeatController controller(double dutyCap) {
            return new HeatController(kpPerCelsius, kiPerCelsiusSecond, kdSecondsPerCelsius, dutyCap);
        }
    }

    private PidTuning() { }

    public static Gains simc(HeatModel m) {
        double dt = 0.1;
        double core = 37.0;
        double air = 22.0;
        // resting state (u = 0) by relaxation, then the step
        double p = air;
        double s = core;
        for (int i = 0; i < 200_000; i++) {
            double[] d = derivative(m, p, s, 0, air, core);
            p += 1.0 * d[0];
            s += 1.0 * d[1];
        }
        double s0 = s;
        int steps = (int) (7200 / dt);
        double[] trace = new double[steps];
        for (int i = 0; i < steps; i++) {
            double[] d = derivative(m, p, s, STEP_DUTY, air, core);
            p += dt * d[0];
            s += dt * d[1];
            trace[i] = s - s0;
        }
        double rise = trace[steps - 1];
        double t28 = crossing(trace, 0.283 * rise) * dt;
        double t63 = crossing(trace, 0.632 * rise) * dt;
        double tau = 1.5 * (t63 - t28);
        double theta = Math.max(1.0, t63 - tau);
        double k = rise / STEP_DUTY;
        double tauC = TAU_C_OVER_THETA * theta;
        double kp = tau / (k * (tauC + theta));
        double ti = Math.min(tau, 4 * (tauC + theta));
        return new Gains(kp, kp / ti, kp * theta / TD_DIVISOR, k, tau, theta);
    }

    private static double[] derivative(HeatModel m, double p, double s, double u, double air, double core) {
        double toSkin = (p - s) / m.padSkinKelvinPerWatt();
        double dp = (m.heaterWatts() * u - toSkin - (p - air) / m.padAirKelvinPerWatt()) / m.padJoulesPerKelvin();
        double ds = (toSkin - (s - core) / m.skinCoreKelvinPerWatt()) / m.skinJoulesPerKelvin();
        return new double[] {dp, ds};
    }

    private static int crossing(double[] v, double level) {
        for (int i = 0; i < v.length; i++) {
            if (v[i] >= level) {
                return i;
            }
        }
        return v.length - 1;
    }
}
