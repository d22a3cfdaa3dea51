package io.tensd.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * Which files the daemon reads. {@code --config} defaults to {@link #SYSTEM_CONFIG} when it exists (an
 * installed device) and to {@link #DEVELOPMENT_CONFIG} otherwise (a checkout); {@code --limits} defaults to
 * {@code limits.yaml} in the same directory as the config file, so the two always travel together.
 */
public record ConfigPaths(Path config, Path limits) {
    public static final Path SYSTEM_CONFIG = Path.of("/etc/tensd/tensd.yaml");
    public static final Path DEVELOPMENT_CONFIG = Path.of("config/tensd.yaml");
    public static final String LIMITS_FILE_NAME = "limits.yaml";

    /** Resolves the CLI options; either may be null (not given). */
    public static ConfigPaths resolve(Path config, Path limits) {
        return resolve(config, limits, Files::exists);
    }

    static ConfigPaths resolve(Path config, Path limits, Predicate<Path> exists) {
        Path c = config != null ? config : exists.test(SYSTEM_CONFIG) ? SYSTEM_CONFIG : DEVELOPMENT_CONFIG;
        Path l = limits != null ? limits : limitsBeside(c);
        return new ConfigPaths(c, l);
    }

    /** {@code limits.yaml} in the directory of {@code config}. */
    public static Path limitsBeside(Path config) {
        return config.resolveSibling(LIMITS_FILE_NAME);
    }
}
