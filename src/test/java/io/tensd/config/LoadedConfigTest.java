package io.tensd.config;

import static io.tensd.config.ConfigFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadedConfigTest {
    private static final String DEVICE = "device: {id: belt-7, site: north-clinic}\n";

    @TempDir
    Path dir;

    private List<String> errors(ConfigPaths paths) {
        ConfigException e = assertThrows(ConfigException.class, () -> LoadedConfig.load(paths));
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void shippedFilesLoadWithTheirFingerprint() throws Exception {
        LoadedConfig c = LoadedConfig.load(ConfigPaths.resolve(Path.of("config/tensd.yaml"), null));
        assertEquals(DeviceConfig.defaults(), c.device());
        assertEquals(Limits.defaults(), c.limits());
        assertEquals(LimitsFingerprint.of(Limits.defaults()), c.limitsSha256());
    }

    @Test
    void errorsOfBothFilesComeTogetherSortedByFileThenLine() {
        Path config = write(dir, "tensd.yaml", DEVICE + "loop:\n  rateHz: 2\nbogus: 1\n");
        Path limits = write(dir, "limits.yaml", "heat:\n  skinCeilingCelsius: 45\nstimulation: {maxMilliAmps: 0}\n");
        assertEquals(List.of(
                limits + ":2: heat.skinCeilingCelsius: must not be above 43 °C, the absolute maximum skin temperature of this "
                        + "device (it cannot be configured higher), got 45 °C",
                limits + ":3: stimulation.maxMilliAmps: must be between 1 and 100 mA (hardware maximum 100 mA), got 0 mA",
                config + ":3: loop.rateHz: must be between 10 and 1000 Hz, got 2 Hz",
                config + ":4: bogus: unknown key; allowed: broker, device, hardware, heat, journal, loop, posture"),
                errors(new ConfigPaths(config, limits)));
    }

    @Test
    void aMissingLimitsFileIsAnErrorAndTheConfigIsStillChecked() {
        Path config = write(dir, "tensd.yaml", DEVICE + "loop: {rateHz: 2}\n");
        Path limits = dir.resolve("limits.yaml");
        assertEquals(List.of(
                limits + ":0: (document): file not found",
                config + ":2: loop.rateHz: must be between 10 and 1000 Hz, got 2 Hz"),
                errors(new ConfigPaths(config, limits)));
    }

    @Test
    void leaseShorterThanThreeLoopPeriodsIsReportedWhereItWasWritten() {
        Path config = write(dir, "tensd.yaml", DEVICE + "loop: {rateHz: 20}\n");
        Path limits = write(dir, "limits.yaml", "stimulator:\n  leaseMillis: 100\n");
        assertEquals(List.of(limits + ":2: stimulator.leaseMillis: must be at least 150 ms with loop.rateHz 20 in " + config
                + " (the stimulator lease must last at least 3 loop periods, so that one late loop tick does not cut the output), "
                + "got 100 ms"), errors(new ConfigPaths(config, limits)));
        Path defaultLimits = write(dir, "limits.yaml", "{}\n");
        assertEquals(List.of(config + ":2: loop.rateHz: must be at least 30 Hz with stimulator.leaseMillis 100 (the stimulator "
                + "lease must last at least 3 loop periods, so that one late loop tick does not cut the output), got 20 Hz"),
                errors(new ConfigPaths(config, defaultLimits)));
    }

    @Test
    void leaseOfExactlyThreeLoopPeriodsIsAccepted() throws Exception {
        Path config = write(dir, "tensd.yaml", DEVICE + "loop: {rateHz: 30}\n");
        Path limits = write(dir, "limits.yaml", "stimulator: {leaseMillis: 100}\n");
        assertEquals(30, LoadedConfig.load(new ConfigPaths(config, limits)).device().loopRateHz());
    }

    @Test
    void summaryNamesDeviceLimitsAndFingerprint() throws Exception {
        LoadedConfig c = LoadedConfig.load(ConfigPaths.resolve(Path.of("config/tensd.yaml"), null));
        assertEquals("device tensd-dev-001 at clinic-demo, loop 100 Hz; limits 80 mA, 50–400 µs, 1–150 Hz, 25 µC, 2 mA/s, "
                + "session 60 min, skin 41 °C, heat 60 min, sensors stale after 500 ms, lease 100 ms (limits sha256 "
                + LimitsFingerprint.of(Limits.defaults()) + ")", c.summary());
    }
}
