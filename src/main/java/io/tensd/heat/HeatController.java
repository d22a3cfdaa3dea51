package io.tensd.heat;

/**
 * PID control of skin temperature: proportional and integral on the error, derivative on the (filtered)
 * measurement so a setpoint change does not kick, conditional-integration anti-windup and a duty cap. Pure:
 * time is an argument. The supervisor still clamps the duty and guards the ceiling; this only aims well.
 * Defaults tuned on the simulator's pad model: 40 °C reached from 35 °C without overshoot (≤ 0.5 °C required)
 * and within ±0.3 °C after about 3.5 min (≤ 5 min required); see HeatControlTest.
 */
public final class HeatController {
    /** Time constant of the derivative's low-pass filter: the TMP117 samples at 10 Hz with ~0.01 °C noise. */
    private static final double DERIVATIVE_FILTER_SECONDS = 5.0;

    private final double kpPerCelsius;
    private final double kiPerCelsiusSecond;
    private final double kdSecondsPerCelsius;
    private final double dutyCap;
    private double integral;
    private double filteredCelsius = Double.NaN;
    private double slopeCelsiusPerSecond;
    private long lastNanos = Long.MIN_VALUE;

    public HeatController(double kpPerCelsius, double kiPerCelsiusSecond, double kdSecondsPerCelsius, double dutyCap) {
        this.kpPerCelsius = kpPerCelsius;
        this.kiPerCelsiusSecond = kiPerCelsiusSecond;
        this.kdSecondsPerCelsius = kdSecondsPerCelsius;
        this.dutyCap = dutyCap;
    }

    /** PI form (no derivative). */
    public HeatController(double kpPerCelsius, double kiPerCelsiusSecond, double dutyCap) {
        this(kpPerCelsius, kiPerCelsiusSecond, 0, dutyCap);
    }

    public static HeatController defaults(double dutyCap) {
        return HeatSetup.nominal().controller(dutyCap);
    }

    public void reset() {
        integral = 0;
        filteredCelsius = Double.NaN;
        slopeCelsiusPerSecond = 0;
        lastNanos = Long.MIN_VALUE;
    }

    /** Duty in [0, cap] for the measured skin temperature; 0 when the reading is not a number. */
    public double update(long nowNanos, double skinCelsius, double setpointCelsius) {
        if (Double.isNaN(skinCelsius) || Double.isNaN(setpointCelsius)) {
            return 0;
        }
        double dt = lastNanos == Long.MIN_VALUE ? 0 : Math.min((nowNanos - lastNanos) / 1e9, 1.0);
        lastNanos = nowNanos;
        if (Double.isNaN(filteredCelsius)) {
            filteredCelsius = skinCelsius;
        } else if (dt > 0) {
            double a = dt / (DERIVATIVE_FILTER_SECONDS + dt);
            double next = filteredCelsius + a * (skinCelsius - filteredCelsius);
            slopeCelsiusPerSecond = (next - filteredCelsius) / dt;
            filteredCelsius = next;
        }
        double error = setpointCelsius - skinCelsius;
        double pd = kpPerCelsius * error - kdSecondsPerCelsius * slopeCelsiusPerSecond;
        double candidate = integral + kiPerCelsiusSecond * error * dt;
        double unclamped = pd + candidate;
        // Integrate only while the output is not saturated in the error's direction (anti-windup).
        if (!((unclamped > dutyCap && error > 0) || (unclamped < 0 && error < 0))) {
            integral = Math.max(0, Math.min(dutyCap, candidate));
        }
        return Math.max(0, Math.min(dutyCap, pd + integral));
    }

    /** The integral term (for tests: it never winds beyond the cap). */
    public double integral() { return integral; }
}
