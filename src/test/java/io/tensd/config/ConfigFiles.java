package io.tensd.config;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Test helpers: write a YAML file, load it, and get the printed error lines. */
final class ConfigFiles {
    private ConfigFiles() { }

    static Path write(Path dir, String name, String text) {
        try {
            Path p = dir.resolve(name);
            Files.writeString(p, text);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    interface Loader<T> {
        T load(Path p) throws ConfigException;
    }

    /** The error lines a load of {@code file} produces; fails the test if it loads. */
    static <T> List<String> errors(Loader<T> loader, Path file) {
        try {
            T value = loader.load(file);
            return fail("expected errors, but " + file + " loaded as " + value);
        } catch (ConfigException e) {
            return e.errors().stream().map(ConfigError::toString).toList();
        }
    }
}
