package io.tensd.cli;

import io.tensd.config.ConfigException;
import io.tensd.config.DeviceConfig;
import io.tensd.config.Limits;
import java.nio.file.Path;

/** Where the CLI finds its configuration. */
final class CliConfig {
    private CliConfig() { }

    static Limits limits(Path config, Path limits) throws ConfigException {
        return Limits.defaults();
    }

    static DeviceConfig device(Path config) throws ConfigException {
        return DeviceConfig.defaults();
    }
}
