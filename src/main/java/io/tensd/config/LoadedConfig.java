package io.tensd.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Both files, read and checked together: the device file, the limits file, and the checks that need both.
 * What {@code check-config}, {@code run} and {@code simulate} load. {@code limitsSha256} is
 * {@link LimitsFingerprint#of(Limits)} of {@code limits}.
 */
public record LoadedConfig(ConfigPaths paths, DeviceConfig device, Limits limits, String limitsSha256) {

    /** The stimulator lease must span this many loop periods, so that one late tick does not cut the output. */
    public static final int MIN_LOOP_PERIODS_PER_LEASE = 3;

    /**
     * Reads both files; a ConfigException carries every error of both, sorted by file then line. A missing
     * limits file is an error: the daemon never runs on limits it was not given.
     */
    public static LoadedConfig load(ConfigPaths paths) throws ConfigException {
        List<ConfigError> errors = new ArrayList<>();
        List<ConfigError> unreadable = new ArrayList<>();
        ConfigDocument deviceRoot = readOrCollect(paths.config(), unreadable);
        ConfigDocument limitsRoot = readOrCollect(paths.limits(), unreadable);
        DeviceConfig device = deviceRoot == null ? null : DeviceConfigLoader.read(deviceRoot, DeviceConfigLoader.baseDir(paths.config()));
        Limits limits = limitsRoot == null ? null : LimitsLoader.read(limitsRoot);
        if (device != null && limits != null && deviceRoot.errors().isEmpty() && limitsRoot.errors().isEmpty()) {
            crossCheck(deviceRoot, limitsRoot, device, limits);
        }
        if (deviceRoot != null) {
            errors.addAll(deviceRoot.errors());
        }
        if (limitsRoot != null) {
            errors.addAll(limitsRoot.errors());
        }
        if (!errors.isEmpty() || !unreadable.isEmpty()) {
            // A file that cannot be read comes first, the device file before the limits file: when the device file is
            // missing, the limits file looked for beside it is missing too, and the first line must say the cause.
            List<ConfigError> all = new ArrayList<>(unreadable);
            all.addAll(sorted(errors));
            throw new ConfigException(all);
        }
        return new LoadedConfig(paths, device, limits, LimitsFingerprint.of(limits));
    }

    /** The parsed file, or null with its error collected: the other file is still read and reported. */
    private static ConfigDocument readOrCollect(Path file, List<ConfigError> errors) {
        try {
            return ConfigDocument.read(file);
        } catch (ConfigException e) {
            errors.addAll(e.errors());
            return null;
        }
    }

    public static List<ConfigError> sorted(List<ConfigError> errors) {
        return errors.stream().sorted(Comparator.comparing(ConfigError::file).thenComparingInt(ConfigError::line)).toList();
    }

    /** Checks between the files; reported at the value that was written (the other side may be a default). */
    static void crossCheck(ConfigDocument deviceRoot, ConfigDocument limitsRoot, DeviceConfig device, Limits limits) {
        double periodMillis = 1000.0 / device.loopRateHz();
        double needed = MIN_LOOP_PERIODS_PER_LEASE * periodMillis;
        if (limits.stimulatorLeaseMillis() < needed) {
            String why = "the stimulator lease must last at least " + MIN_LOOP_PERIODS_PER_LEASE
                    + " loop periods, so that one late loop tick does not cut the output";
            if (limitsRoot.has("/stimulator/leaseMillis")) {
                limitsRoot.error("/stimulator/leaseMillis", "must be at least " + Fields.plain(Math.ceil(needed))
                        + " ms with loop.rateHz " + device.loopRateHz() + " in " + deviceRoot.file() + " (" + why + "), got "
                        + limits.stimulatorLeaseMillis() + " ms");
            } else {
                deviceRoot.error(deviceRoot.has("/loop/rateHz") ? "/loop/rateHz" : "", "must be at least "
                        + (int) Math.ceil(MIN_LOOP_PERIODS_PER_LEASE * 1000.0 / limits.stimulatorLeaseMillis())
                        + " Hz with stimulator.leaseMillis " + limits.stimulatorLeaseMillis() + " (" + why + "), got "
                        + device.loopRateHz() + " Hz");
            }
        }
    }

    /** One line for logs and {@code check-config}: who the device is and the limits in force. */
    public String summary() {
        Limits l = limits;
        return "device " + device.deviceId() + " at " + device.site() + ", loop " + device.loopRateHz() + " Hz; limits "
                + Fields.plain(l.maxMilliAmps()) + " mA, "
                + l.minPulseWidthMicros() + "–" + l.maxPulseWidthMicros() + " µs, "
                + Fields.plain(l.minFrequencyHz()) + "–" + Fields.plain(l.maxFrequencyHz()) + " Hz, "
                + Fields.plain(l.maxChargePerPhaseMicroCoulombs()) + " µC, "
                + Fields.plain(l.maxRampMilliAmpsPerSecond()) + " mA/s, "
                + "session " + l.maxSessionMinutes() + " min, "
                + "skin " + Fields.plain(l.skinCeilingCelsius()) + " °C, "
                + "heat " + l.maxHeatMinutes() + " min, "
                + "sensors stale after " + l.sensorStaleMillis() + " ms, "
                + "lease " + l.stimulatorLeaseMillis() + " ms "
                + "(limits sha256 " + limitsSha256 + ")";
    }
}
