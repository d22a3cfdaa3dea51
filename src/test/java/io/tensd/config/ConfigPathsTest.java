package io.tensd.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigPathsTest {

    @Test
    void installedDeviceUsesEtc() {
        ConfigPaths p = ConfigPaths.resolve(null, null, ConfigPaths.SYSTEM_CONFIG::equals);
        assertEquals(new ConfigPaths(Path.of("/etc/tensd/tensd.yaml"), Path.of("/etc/tensd/limits.yaml")), p);
    }

    @Test
    void checkoutUsesTheConfigDirectory() {
        ConfigPaths p = ConfigPaths.resolve(null, null, path -> false);
        assertEquals(new ConfigPaths(Path.of("config/tensd.yaml"), Path.of("config/limits.yaml")), p);
    }

    @Test
    void limitsDefaultToTheDirectoryOfAGivenConfig() {
        assertEquals(new ConfigPaths(Path.of("/srv/a/dev.yaml"), Path.of("/srv/a/limits.yaml")),
                ConfigPaths.resolve(Path.of("/srv/a/dev.yaml"), null, path -> true));
        assertEquals(new ConfigPaths(Path.of("dev.yaml"), Path.of("limits.yaml")), ConfigPaths.resolve(Path.of("dev.yaml"), null));
    }

    @Test
    void givenLimitsAreUsedAsGiven() {
        assertEquals(new ConfigPaths(Path.of("config/tensd.yaml"), Path.of("/tmp/l.yaml")),
                ConfigPaths.resolve(null, Path.of("/tmp/l.yaml"), path -> false));
    }
}
