package io.tensd.heat;

/**
 * PI control of skin temperature with conditional-integration anti-windup and a duty cap. Pure: time is
 * an argument. The supervisor still clamps the duty and guards the ceiling; this only aims well.
 */
public final class HeatController {
    private final double kpPerCelsius;
    private final double kiPerCelsiusSecond;
    private final double dutyCap;
    private double integral;
    private long lastNanos = Long.MIN_VALUE;

    public HeatController(double kpPerCelsius, double kiPerCelsiusSecond, double dutyCap) {
        this.kpPerCelsius = kpPerCelsius;
        this.kiPerCelsiusSecond = kiPerCelsiusSecond;
        this.dutyCap = dutyCap;
    }

    public static HeatController defaults(double dutyCap) {
        return new HeatController(0.35, 0.0035, dutyCap);
    }

    public void reset() {
        integral = 0;
        lastNanos = Long.MIN_VALUE;
    }

    /** Duty in [0, cap] for the measured skin temperature; 0 when the reading is not a number. */
    public double update(long nowNanos, double skinCelsius, double setpointCelsius) {
        if (Double.isNaN(skinCelsius) || Double.isNaN(setpointCelsius)) {
            return 0;
        }
        double dt = lastNanos == Long.MIN_VALUE ? 0 : Math.min((nowNanos - lastNanos) / 1e9, 1.0);
        lastNanos = nowNanos;
        double error = setpointCelsius - skinCelsius;
        double p = kpPerCelsius * error;
        double candidate = integral + kiPerCelsiusSecond * error * dt;
        double unclamped = p + candidate;
        // Integrate only while the output is not saturated in the error's direction (anti-windup).
        if (!((unclamped > dutyCap && error > 0) || (unclamped < 0 && error < 0))) {
            integral = Math.max(0, Math.min(dutyCap, candidate));
        }
        return Math.max(0, Math.min(dutyCap, p + integral));
    }
}
