package io.tensd.config;

import static io.tensd.config.Fields.integer;
import static io.tensd.config.Fields.number;
import static io.tensd.config.Fields.plain;
import static io.tensd.config.Fields.section;

import io.tensd.config.YamlReader.Entry;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code limits.yaml} into {@link Limits}. Every key is optional and takes the safe default of
 * {@link Limits#defaults()}; a value outside its range is an error (never silently clamped: the
 * clinician must see that the file does not say what they meant). No range reaches past what the
 * stimulator board can do or past {@link Limits#ABSOLUTE_SKIN_CEILING_CELSIUS}.
 */
public final class LimitsLoader {

    /* Bounds a limits file may choose within, besides the hardware caps in Limits. Documented in docs/configuration.md. */
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

    static final Set<String> SECTIONS = Set.of("stimulation", "session", "heat", "sensors", "stimulator");
    private static final Set<String> MIN_MAX = Set.of("min", "max");

    private LimitsLoader() { }

    /** The limits in {@code file}; a ConfigException with every error otherwise (also when the file is missing). */
    public static Limits load(Path file) throws ConfigException {
        Entry root = YamlReader.read(file);
        Limits limits = read(root);
        root.throwIfErrors();
        return limits;
    }

    /** Reads a parsed document, recording errors in it; the result holds defaults where a value was wrong. */
    public static Limits read(Entry root) {
        Limits d = Limits.defaults();
        Map<String, Entry> top = root.map(SECTIONS);
        Stimulation s = stimulation(section(top, "stimulation", Set.of("maxMilliAmps", "pulseWidthMicros", "frequencyHz",
                "maxChargePerPhaseMicroCoulombs", "maxRampMilliAmpsPerSecond")), d);
        Map<String, Entry> session = section(top, "session", Set.of("maxSessionMinutes"));
        int maxSessionMinutes = integer(session, "maxSessionMinutes", d.maxSessionMinutes(), 1, MAX_SESSION_MINUTES, "min", null);
        Map<String, Entry> heat = section(top, "heat", Set.of("skinCeilingCelsius", "maxHeatMinutes"));
        double skinCeiling = skinCeiling(heat, d.skinCeilingCelsius());
        int maxHeatMinutes = integer(heat, "maxHeatMinutes", d.maxHeatMinutes(), 1, MAX_SESSION_MINUTES, "min", null);
        if (maxHeatMinutes > maxSessionMinutes && !anyError(heat.get("maxHeatMinutes"), session.get("maxSessionMinutes"))) {
            heat.get("maxHeatMinutes").error("must not be longer than session.maxSessionMinutes (" + maxSessionMinutes
                    + " min), got " + maxHeatMinutes + " min");
            maxHeatMinutes = maxSessionMinutes;
        }
        Map<String, Entry> sensors = section(top, "sensors", Set.of("staleMillis"));
        int staleMillis = integer(sensors, "staleMillis", d.sensorStaleMillis(), MIN_STALE_MILLIS, MAX_STALE_MILLIS, "ms", null);
        Map<String, Entry> stimulator = section(top, "stimulator", Set.of("leaseMillis"));
        int leaseMillis = integer(stimulator, "leaseMillis", d.stimulatorLeaseMillis(), MIN_LEASE_MILLIS, MAX_LEASE_MILLIS, "ms", null);
        return new Limits(s.maxMilliAmps, s.minPulseWidthMicros, s.maxPulseWidthMicros, s.minFrequencyHz, s.maxFrequencyHz,
                s.maxChargeMicroCoulombs, s.maxRampMilliAmpsPerSecond, maxSessionMinutes, skinCeiling, maxHeatMinutes,
                staleMillis, leaseMillis);
    }

    private record Stimulation(double maxMilliAmps, int minPulseWidthMicros, int maxPulseWidthMicros, double minFrequencyHz,
                               double maxFrequencyHz, double maxChargeMicroCoulombs, double maxRampMilliAmpsPerSecond) { }

    private static Stimulation stimulation(Map<String, Entry> m, Limits d) {
        String board = "the stimulator board's hardware range";
        double maxMilliAmps = number(m, "maxMilliAmps", d.maxMilliAmps(), MIN_MAX_MILLI_AMPS, Limits.HARDWARE_MAX_MILLI_AMPS,
                "mA", "hardware maximum " + plain(Limits.HARDWARE_MAX_MILLI_AMPS) + " mA");

        Map<String, Entry> pw = section(m, "pulseWidthMicros", MIN_MAX);
        int minPw = integer(pw, "min", d.minPulseWidthMicros(), Limits.HARDWARE_MIN_PULSE_WIDTH_MICROS,
                Limits.HARDWARE_MAX_PULSE_WIDTH_MICROS, "µs", board);
        int maxPw = integer(pw, "max", d.maxPulseWidthMicros(), Limits.HARDWARE_MIN_PULSE_WIDTH_MICROS,
                Limits.HARDWARE_MAX_PULSE_WIDTH_MICROS, "µs", board);
        if (minPw > maxPw) {
            minMaxConflict(pw, Integer.toString(minPw), Integer.toString(maxPw), "µs");
            minPw = maxPw; // keep the result consistent; the file is rejected anyway
        }

        Map<String, Entry> f = section(m, "frequencyHz", MIN_MAX);
        double minHz = number(f, "min", d.minFrequencyHz(), Limits.HARDWARE_MIN_FREQUENCY_HZ, Limits.HARDWARE_MAX_FREQUENCY_HZ,
                "Hz", board);
        double maxHz = number(f, "max", d.maxFrequencyHz(), Limits.HARDWARE_MIN_FREQUENCY_HZ, Limits.HARDWARE_MAX_FREQUENCY_HZ,
                "Hz", board);
        if (minHz > maxHz) {
            minMaxConflict(f, plain(minHz), plain(maxHz), "Hz");
            minHz = maxHz;
        }

        double charge = number(m, "maxChargePerPhaseMicroCoulombs", d.maxChargePerPhaseMicroCoulombs(),
                MIN_CHARGE_PER_PHASE_MICRO_COULOMBS, MAX_CHARGE_PER_PHASE_MICRO_COULOMBS, "µC",
                plain(Limits.HARDWARE_MAX_MILLI_AMPS) + " mA × " + Limits.HARDWARE_MAX_PULSE_WIDTH_MICROS + " µs is the hardware maximum");
        double ramp = number(m, "maxRampMilliAmpsPerSecond", d.maxRampMilliAmpsPerSecond(), MIN_RAMP_MILLI_AMPS_PER_SECOND,
                MAX_RAMP_MILLI_AMPS_PER_SECOND, "mA/s", null);
        return new Stimulation(maxMilliAmps, minPw, maxPw, minHz, maxHz, charge, ramp);
    }

    /** The skin ceiling gets its own message above 43 °C: that bound is fixed in the software, not a matter of taste. */
    private static double skinCeiling(Map<String, Entry> heat, double fallback) {
        Entry e = heat.get("skinCeilingCelsius");
        if (e == null) {
            return fallback;
        }
        double v = e.number(Double.NaN, -Double.MAX_VALUE, Double.MAX_VALUE);
        if (Double.isNaN(v)) {
            return fallback;
        }
        if (v > Limits.ABSOLUTE_SKIN_CEILING_CELSIUS) {
            e.error("must not be above " + plain(Limits.ABSOLUTE_SKIN_CEILING_CELSIUS) + " °C, the absolute maximum skin "
                    + "temperature of this device (it cannot be configured higher), got " + plain(v) + " °C");
            return fallback;
        }
        return number(heat, "skinCeilingCelsius", fallback, MIN_SKIN_CEILING_CELSIUS, Limits.ABSOLUTE_SKIN_CEILING_CELSIUS,
                "°C", null);
    }

    /**
     * Reports min &gt; max at the key that was written (at least one was, defaults are consistent); says so when the
     * other side is a default. Silent when one side is already wrong: its default would only cause a follow-up error.
     */
    private static void minMaxConflict(Map<String, Entry> m, String min, String max, String unit) {
        Entry minEntry = m.get("min");
        Entry maxEntry = m.get("max");
        if (anyError(minEntry, maxEntry)) {
            return;
        }
        if (minEntry != null) {
            minEntry.error("must not be above max (" + max + " " + unit + (maxEntry == null ? ", the default" : "")
                    + "), got " + min + " " + unit);
        } else {
            maxEntry.error("must not be below min (" + min + " " + unit + ", the default), got " + max + " " + unit);
        }
    }

    private static boolean anyError(Entry... entries) {
        for (Entry e : entries) {
            if (e != null && e.hasError()) {
                return true;
            }
        }
        return false;
    }
}
