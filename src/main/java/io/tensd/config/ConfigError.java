package io.tensd.config;

/** One problem in a YAML file, printed as {@code FILE:LINE: field.path: message}. */
public record ConfigError(String file, int line, String path, String message) {
    @Override
    public String toString() {
        return file + ":" + line + ": " + (path.isEmpty() ? "(document)" : path) + ": " + message;
    }
}
