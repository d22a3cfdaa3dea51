package io.tensd.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Strict YAML reading with line numbers. Jackson's tree forgets where a value came from, so config and
 * scenario files are read from SnakeYAML's node graph instead: every value knows its line, every
 * unknown key, wrong type and out-of-range value becomes a {@link ConfigError}, and reading goes on so
 * that one run reports all problems of a file.
 */
public final class YamlReader {
    private final String file;
    private final List<ConfigError> errors = new ArrayList<>();

    private YamlReader(String file) { this.file = file; }

    /** Parses a file; a syntax error is reported as a ConfigException with its line. */
    public static Entry read(Path path) throws ConfigException {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigError(path.toString(), 0, "", "cannot read file: " + e.getMessage())));
        }
        return read(path.toString(), new StringReader(text));
    }

    public static Entry read(String fileName, Reader reader) throws ConfigException {
        YamlReader r = new YamlReader(fileName);
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            root = new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new ConfigException(List.of(new ConfigError(fileName, line, "", "YAML syntax: " + e.getProblem())));
        } catch (RuntimeException e) {
            throw new ConfigException(List.of(new ConfigError(fileName, 0, "", "YAML syntax: " + e.getMessage())));
        }
        if (root == null) {
            throw new ConfigException(List.of(new ConfigError(fileName, 1, "", "file is empty")));
        }
        return r.new Entry("", root);
    }

    /** A located value in the document. */
    public final class Entry {
        private final String path;
        private final Node node;

        Entry(String path, Node node) {
            this.path = path;
            this.node = node;
        }

        public String path() { return path; }

        public int line() { return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1; }

        public String file() { return file; }

        /** Records an error at this entry's line and path. */
        public void error(String message) {
            errors.add(new ConfigError(file, line(), path, message));
        }

        /** Throws a ConfigException if any error was recorded anywhere in this document. */
        public void throwIfErrors() throws ConfigException {
            if (!errors.isEmpty()) {
                throw new ConfigException(errors);
            }
        }

        public List<ConfigError> errors() { return List.copyOf(errors); }

        public boolean isMap() { return node instanceof MappingNode; }

        public boolean isList() { return node instanceof SequenceNode; }

        public boolean isScalar() { return node instanceof ScalarNode; }

        /** Children of a mapping in file order; records an error and returns empty if not a mapping. */
        public Map<String, Entry> map() {
            Map<String, Entry> out = new LinkedHashMap<>();
            if (!(node instanceof MappingNode m)) {
                error("expected a mapping (key: value)");
                return out;
            }
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    new Entry(path, t.getKeyNode()).error("keys must be plain names");
                    continue;
                }
                String childPath = path.isEmpty() ? k.getValue() : path + "." + k.getValue();
                out.put(k.getValue(), new Entry(childPath, t.getValueNode()));
            }
            return out;
        }

        /** Mapping children, with an error for every key not in {@code allowed}. */
        public Map<String, Entry> map(Set<String> allowed) {
            Map<String, Entry> children = map();
            for (Entry e : children.values()) {
                String key = e.path.substring(e.path.lastIndexOf('.') + 1);
                if (!allowed.contains(key)) {
                    e.error("unknown key (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
                }
            }
            return children;
        }

        public List<Entry> list() {
            List<Entry> out = new ArrayList<>();
            if (!(node instanceof SequenceNode s)) {
                error("expected a list");
                return out;
            }
            int i = 0;
            for (Node n : s.getValue()) {
                out.add(new Entry(path + "[" + i++ + "]", n));
            }
            return out;
        }

        /** The scalar text, or empty (with an error) if this is not a scalar. */
        public Optional<String> text() {
            if (node instanceof ScalarNode s) {
                return Optional.of(s.getValue());
            }
            error("expected a single value, not a " + (isMap() ? "mapping" : "list"));
            return Optional.empty();
        }

        public String string(String fallback) { return text().orElse(fallback); }

        public double number(double fallback, double min, double max) {
            Optional<String> t = text();
            if (t.isEmpty()) {
                return fallback;
            }
            double v;
            try {
                v = Double.parseDouble(t.get().trim());
            } catch (NumberFormatException e) {
                error("expected a number, got '" + t.get() + "'");
                return fallback;
            }
            if (!Double.isFinite(v)) {
                error("must be a finite number");
                return fallback;
            }
            if (v < min || v > max) {
                error("must be between " + fmt(min) + " and " + fmt(max) + ", got " + fmt(v));
                return fallback;
            }
            return v;
        }

        public int integer(int fallback, int min, int max) {
            Optional<String> t = text();
            if (t.isEmpty()) {
                return fallback;
            }
            int v;
            try {
                v = Integer.parseInt(t.get().trim());
            } catch (NumberFormatException e) {
                error("expected a whole number, got '" + t.get() + "'");
                return fallback;
            }
            if (v < min || v > max) {
                error("must be between " + min + " and " + max + ", got " + v);
                return fallback;
            }
            return v;
        }

        public boolean bool(boolean fallback) {
            Optional<String> t = text();
            if (t.isEmpty()) {
                return fallback;
            }
            return switch (t.get().trim()) {
                case "true", "yes", "on" -> true;
                case "false", "no", "off" -> false;
                default -> {
                    error("expected true or false, got '" + t.get() + "'");
                    yield fallback;
                }
            };
        }

        /** Parses the scalar with {@code parser}; an IllegalArgumentException's message becomes the error. */
        public <T> Optional<T> parse(Function<String, T> parser) {
            Optional<String> t = text();
            if (t.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(parser.apply(t.get().trim()));
            } catch (IllegalArgumentException e) {
                error(e.getMessage());
                return Optional.empty();
            }
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
