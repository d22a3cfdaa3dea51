package io.tensd.cli;

import io.tensd.config.ConfigException;
import io.tensd.config.ConfigPaths;
import io.tensd.config.DeviceConfig;
import io.tensd.config.LimitsFingerprint;
import io.tensd.config.Limits;
import io.tensd.config.LoadedConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the CLI finds its configuration. */
final class CliConfig {
    private CliConfig() { }

    /** For the daemon: both files must exist and be valid. */
    static LoadedConfig required(Path config, Path limits) throws ConfigException {
        return LoadedConfig.load(ConfigPaths.resolve(config, limits));
    }

    /**
     * For simulation: files named on the command line must load; without options the shipped files are
     * used when present (working directory = project or /etc/tensd), the built-in defaults otherwise.
     */
    static LoadedConfig forSimulation(Path config, Path limits) throws ConfigException {
        ConfigPaths paths = ConfigPaths.resolve(config, limits);
        if (config == null && limits == null && !Files.exists(paths.config())) {
            Limits l = Limits.defaults();
            return new LoadedConfig(paths, DeviceConfig.defaults(), l, LimitsFingerprint.of(l));
        }
        return LoadedConfig.load(paths);
    }
}
