package io.tensd.testkit;

import io.tensd.config.Limits;

/** Limits for tests: the defaults with the few values a test is about changed, by name. */
public final class TestLimits {
    private TestLimits() { }

    /** The default limits with another current ceiling, charge per phase and ramp. */
    public static Limits stimulation(double maxMilliAmps, double maxChargePerPhaseMicroCoulombs, double maxRampMilliAmpsPerSecond) {
        Limits d = Limits.defaults();
        return new Limits(maxMilliAmps, d.minPulseWidthMicros(), d.maxPulseWidthMicros(), d.minFrequencyHz(),
                d.maxFrequencyHz(), maxChargePerPhaseMicroCoulombs, maxRampMilliAmpsPerSecond, d.maxSessionMinutes(),
                d.skinCeilingCelsius(), d.maxHeatMinutes(), d.sensorStaleMillis(), d.stimulatorLeaseMillis());
    }

    /** {@code base} with another sensor staleness and stimulator lease. */
    public static Limits timing(Limits base, int sensorStaleMillis, int stimulatorLeaseMillis) {
        return new Limits(base.maxMilliAmps(), base.minPulseWidthMicros(), base.maxPulseWidthMicros(), base.minFrequencyHz(),
                base.maxFrequencyHz(), base.maxChargePerPhaseMicroCoulombs(), base.maxRampMilliAmpsPerSecond(),
                base.maxSessionMinutes(), base.skinCeilingCelsius(), base.maxHeatMinutes(), sensorStaleMillis,
                stimulatorLeaseMillis);
    }
}
