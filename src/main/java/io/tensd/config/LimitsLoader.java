package io.tensd.config;

import static io.tensd.config.Fields.plain;

import java.nio.file.Path;

/**
 * Reads {@code limits.yaml} into {@link Limits}. Keys, types, ranges and units are the JSON Schema
 * {@code schemas/config/limits.yaml.schema.json}; every key is optional and takes the safe default of
 * {@link Limits#defaults()}; a value outside its range is an error (never silently clamped: the clinician must see
 * that the file does not say what they meant). {@code LimitsSchemaTest} holds the schema's caps to the hardware
 * constants in {@link Limits}. Only checks between keys, which a schema cannot word for a technician, are made here.
 */
public final class LimitsLoader {

    /* Bounds a limits file may choose within, besides the hardware caps in Limits (also in the schema). */
    public static final double MIN_MAX_MILLI_AMPS = 1;
    /** 100 mA for 500 µs: the most charge the board can deliver in one phase. */
    public static final double MAX_CHARGE_PER_PHASE_MICRO_COULOMBS =
            Limits.HARDWARE_MAX_MILLI_AMPS * Limits.HARDWARE_MAX_PULSE_WIDTH_MICROS / 1000.0;
    public static final double MIN_CHARGE_PER_PHASE_MICRO_COULOMBS = 1;
    public static final double MIN_RAMP_MILLI_AMPS_PER_SECOND = 0.1;
    public static final double MAX_RAMP_MILLI_AMPS_PER_SECOND = 10;
    public static final int MAX_SESSION_MINUTES = 240;
    public static final double MIN_SKIN_CEILING_CELSIUS = 30;
    public static final int MIN_STALE_MILLIS = 20;
    public static final int MAX_STALE_MILLIS = 2000;
    public static final int MIN_LEASE_MILLIS = 20;
    public static final int MAX_LEASE_MILLIS = 1000;

    private LimitsLoader() { }

    /** The limits in {@code file}; a ConfigException with every error otherwise (also when the file is missing). */
    public static Limits load(Path file) throws ConfigException {
        ConfigDocument doc = ConfigDocument.read(file);
        Limits limits = read(doc);
        doc.throwIfErrors();
        return limits;
    }

    /** Validates a parsed document, recording errors in it; the result holds defaults where a value was wrong. */
    public static Limits read(ConfigDocument doc) {
        ConfigSchemas.validate(doc, ConfigSchemas.LIMITS);
        Limits d = Limits.defaults();
        int minPw = doc.integer("/stimulation/pulseWidthMicros/min", d.minPulseWidthMicros());
        int maxPw = doc.integer("/stimulation/pulseWidthMicros/max", d.maxPulseWidthMicros());
        if (minPw > maxPw) {
            minMaxConflict(doc, "/stimulation/pulseWidthMicros", Integer.toString(minPw), Integer.toString(maxPw), "µs");
            minPw = maxPw; // keep the result consistent; the file is rejected anyway
        }
        double minHz = doc.number("/stimulation/frequencyHz/min", d.minFrequencyHz());
        double maxHz = doc.number("/stimulation/frequencyHz/max", d.maxFrequencyHz());
        if (minHz > maxHz) {
            minMaxConflict(doc, "/stimulation/frequencyHz", plain(minHz), plain(maxHz), "Hz");
            minHz = maxHz;
        }
        int maxSessionMinutes = doc.integer("/session/maxSessionMinutes", d.maxSessionMinutes());
        int maxHeatMinutes = doc.integer("/heat/maxHeatMinutes", d.maxHeatMinutes());
        if (maxHeatMinutes > maxSessionMinutes && !doc.hasError("/session/maxSessionMinutes") && !doc.hasError("/heat/maxHeatMinutes")) {
            if (doc.has("/heat/maxHeatMinutes")) {
                doc.error("/heat/maxHeatMinutes", "must not be longer than session.maxSessionMinutes (" + maxSessionMinutes
                        + " min), got " + maxHeatMinutes + " min");
            } else {
                doc.error("/session/maxSessionMinutes", "must not be shorter than heat.maxHeatMinutes (" + maxHeatMinutes
                        + " min, the default): set heat.maxHeatMinutes too, got " + maxSessionMinutes + " min");
            }
            maxHeatMinutes = maxSessionMinutes;
        }
        return new Limits(doc.number("/stimulation/maxMilliAmps", d.maxMilliAmps()), minPw, maxPw, minHz, maxHz,
                doc.number("/stimulation/maxChargePerPhaseMicroCoulombs", d.maxChargePerPhaseMicroCoulombs()),
                doc.number("/stimulation/maxRampMilliAmpsPerSecond", d.maxRampMilliAmpsPerSecond()),
                maxSessionMinutes,
                doc.number("/heat/skinCeilingCelsius", d.skinCeilingCelsius()),
                maxHeatMinutes,
                doc.integer("/sensors/staleMillis", d.sensorStaleMillis()),
                doc.integer("/stimulator/leaseMillis", d.stimulatorLeaseMillis()));
    }

    /**
     * Reports min &gt; max at the key that was written (at least one was, defaults are consistent); says so when the
     * other side is a default. Silent when one side is already wrong: its default would only cause a follow-up error.
     */
    private static void minMaxConflict(ConfigDocument doc, String pair, String min, String max, String unit) {
        if (doc.hasError(pair)) {
            return;
        }
        if (doc.has(pair + "/min")) {
            doc.error(pair + "/min", "must not be above max (" + max + " " + unit + (doc.has(pair + "/max") ? "" : ", the default")
                    + "), got " + min + " " + unit);
        } else {
            doc.error(pair + "/max", "must not be below min (" + min + " " + unit + ", the default), got " + max + " " + unit);
        }
    }
}
