package io.tensd.config;

/**
 * The clinician/technician-edited limits file ({@code config/limits.yaml}). Remote commands can never
 * raise any of these. Every field has the safe default of the design brief; the skin ceiling is never
 * accepted above {@link #ABSOLUTE_SKIN_CEILING_CELSIUS}.
 */
public record Limits(
        double maxMilliAmps,
        int minPulseWidthMicros,
        int maxPulseWidthMicros,
        double minFrequencyHz,
        double maxFrequencyHz,
        double maxChargePerPhaseMicroCoulombs,
        double maxRampMilliAmpsPerSecond,
        int maxSessionMinutes,
        double skinCeilingCelsius,
        int maxHeatMinutes,
        int sensorStaleMillis,
        int stimulatorLeaseMillis) {

    public static final double ABSOLUTE_SKIN_CEILING_CELSIUS = 43.0;

    /* What the stimulator board can do at all: the limits file may narrow these, never widen them. */
    public static final double HARDWARE_MAX_MILLI_AMPS = 100.0;
    public static final int HARDWARE_MIN_PULSE_WIDTH_MICROS = 20;
    public static final int HARDWARE_MAX_PULSE_WIDTH_MICROS = 500;
    public static final double HARDWARE_MIN_FREQUENCY_HZ = 0.5;
    public static final double HARDWARE_MAX_FREQUENCY_HZ = 200.0;

    public static Limits defaults() {
        return new Limits(80.0, 50, 400, 1.0, 150.0, 25.0, 2.0, 60, 41.0, 60, 500, 100);
    }

    /** Largest amplitude (mA) whose charge per phase stays within the limit at {@code pulseWidthMicros}. */
    public double maxMilliAmpsForCharge(int pulseWidthMicros) {
        return pulseWidthMicros <= 0 ? maxMilliAmps : maxChargePerPhaseMicroCoulombs * 1000.0 / pulseWidthMicros;
    }
}
