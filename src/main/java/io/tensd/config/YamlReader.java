package io.tensd.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

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
        return read(path.toString(), new StringReader(readText(path)));
    }

    /** A config file's text; missing, unreadable or not UTF-8 is a ConfigException naming the file (line 0). */
    static String readText(Path path) throws ConfigException {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw wholeFile(path, "file not found");
        } catch (AccessDeniedException e) {
            throw wholeFile(path, "cannot read file: permission denied");
        } catch (MalformedInputException e) {
            throw wholeFile(path, "cannot read file: not UTF-8 text");
        } catch (IOException e) {
            throw wholeFile(path, Files.isDirectory(path) ? "is a directory, not a file" : "cannot read file: " + e);
        }
    }

    /** An error about a whole file (missing, unreadable): line 0, path {@code (document)}. */
    private static ConfigException wholeFile(Path path, String message) {
        return new ConfigException(List.of(new ConfigError(path.toString(), 0, "", message)));
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
            String context = "";
            if (e.getContext() != null) { // e.g. "while parsing a flow sequence" started at the unclosed '['
                int contextLine = e.getContextMark() == null ? 0 : e.getContextMark().getLine() + 1;
                context = " (" + e.getContext().trim() + (contextLine > 0 && contextLine != line ? " started at line " + contextLine : "") + ")";
            }
            throw new ConfigException(List.of(new ConfigError(fileName, line, "", "YAML syntax: " + e.getProblem().trim() + context)));
        } catch (RuntimeException e) {
            throw new ConfigException(List.of(new ConfigError(fileName, 0, "", "YAML syntax: " + e.getMessage())));
        }
        if (root == null) {
            throw new ConfigException(List.of(new ConfigError(fileName, 1, "", "file is empty")));
        }
        return r.new Entry("", root, lineOf(root));
    }

    private static int lineOf(Node n) {
        return n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
    }

    /** A located value in the document. */
    public final class Entry {
        private final String path;
        private final Node node;
        private final int line;

        /**
         * {@code line} is the key's line for mapping values: a nested mapping's own node starts at its first
         * child, which would point a "unknown key" error one or more lines too far down.
         */
        Entry(String path, Node node, int line) {
            this.path = path;
            this.node = node;
            this.line = line;
        }

        public String path() { return path; }

        public int line() { return line; }

        /** The last path segment (the key this value was written under), or the whole path for the root/list items. */
        public String key() { return path.substring(path.lastIndexOf('.') + 1); }

        public String file() { return file; }

        /** Records an error at this entry's line and path. */
        public void error(String message) {
            ConfigError e = new ConfigError(file, line(), path, message);
            if (!errors.contains(e)) { // map() may be asked twice for the same node
                errors.add(e);
            }
        }

        /** Throws a ConfigException if any error was recorded anywhere in this document, in line order. */
        public void throwIfErrors() throws ConfigException {
            if (!errors.isEmpty()) {
                throw new ConfigException(errors.stream().sorted(Comparator.comparingInt(ConfigError::line)).toList());
            }
        }

        public List<ConfigError> errors() { return List.copyOf(errors); }

        /** Whether an error was recorded at this entry's path or below it (to avoid follow-up errors from fallbacks). */
        public boolean hasError() {
            return errors.stream().anyMatch(e -> e.path().equals(path) || e.path().startsWith(path + ".")
                    || e.path().startsWith(path + "["));
        }

        public boolean isMap() { return node instanceof MappingNode; }

        public boolean isList() { return node instanceof SequenceNode; }

        public boolean isScalar() { return node instanceof ScalarNode; }

        /** True for {@code key:} with nothing after it, {@code ~} and {@code null}. */
        public boolean isNull() { return node instanceof ScalarNode && Tag.NULL.equals(node.getTag()); }

        /** Children of a mapping in file order; records an error and returns empty if not a mapping. */
        public Map<String, Entry> map() {
            Map<String, Entry> out = new LinkedHashMap<>();
            if (!(node instanceof MappingNode m)) {
                error("expected a mapping (key: value)");
                return out;
            }
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    new Entry(path, t.getKeyNode(), lineOf(t.getKeyNode())).error("keys must be plain names");
                    continue;
                }
                String childPath = path.isEmpty() ? k.getValue() : path + "." + k.getValue();
                Entry child = new Entry(childPath, t.getValueNode(), lineOf(k));
                Entry first = out.get(k.getValue());
                if (first != null) {
                    // SnakeYAML checks duplicates only when constructing objects, never in the node graph.
                    child.error("duplicate key (first given at line " + first.line() + "); the later value is ignored");
                    continue;
                }
                out.put(k.getValue(), child);
            }
            return out;
        }

        /** Mapping children, with an error for every key not in {@code allowed}. */
        public Map<String, Entry> map(Set<String> allowed) {
            Map<String, Entry> children = map();
            for (Entry e : children.values()) {
                String key = e.key();
                if (!allowed.contains(key)) {
                    String hint = closest(key, allowed).map(c -> "did you mean '" + c + "'? ").orElse("");
                    e.error("unknown key; " + hint + "allowed: " + String.join(", ", allowed.stream().sorted().toList()));
                }
            }
            return children;
        }

        /**
         * The entry at a dotted path below this mapping ({@code "stimulator.leaseMillis"}), if it was written
         * in the file. Records no error: for checks that span sections or files and want a line to point at.
         */
        public Optional<Entry> find(String dottedPath) {
            Entry at = this;
            for (String key : dottedPath.split("\\.")) {
                if (!(at.node instanceof MappingNode m)) {
                    return Optional.empty();
                }
                Entry next = null;
                for (NodeTuple t : m.getValue()) {
                    if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                        next = new Entry(at.path.isEmpty() ? key : at.path + "." + key, t.getValueNode(), lineOf(k));
                        break;
                    }
                }
                if (next == null) {
                    return Optional.empty();
                }
                at = next;
            }
            return Optional.of(at);
        }

        public List<Entry> list() {
            List<Entry> out = new ArrayList<>();
            if (!(node instanceof SequenceNode s)) {
                error("expected a list");
                return out;
            }
            int i = 0;
            for (Node n : s.getValue()) {
                out.add(new Entry(path + "[" + i++ + "]", n, lineOf(n)));
            }
            return out;
        }

        /** The scalar text, or empty (with an error) if this is not a scalar. */
        public Optional<String> text() {
            if (isNull()) {
                error("no value given (write one after the colon, or delete the key to use the default)");
                return Optional.empty();
            }
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
            // Double.parseDouble alone would also take "80f", "0x1p3" and "Infinity".
            if (!DECIMAL.matcher(t.get().trim()).matches()) {
                error("expected a number, got '" + t.get() + "'");
                return fallback;
            }
            double v = Double.parseDouble(t.get().trim());
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
            OptionalLong parsed = parseWhole(t.get().trim());
            if (parsed.isEmpty()) {
                error("expected a whole number, got '" + t.get() + "'");
                return fallback;
            }
            long v = parsed.getAsLong();
            if (v < min || v > max) {
                error("must be between " + min + " and " + max + ", got " + v);
                return fallback;
            }
            return (int) v;
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

    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern WHOLE = Pattern.compile("[-+]?\\d{1,18}");
    private static final Pattern HEX = Pattern.compile("0[xX][0-9a-fA-F]{1,15}");

    /** Decimal, or hexadecimal with {@code 0x} (as I2C addresses are written in data sheets). */
    static OptionalLong parseWhole(String s) {
        if (WHOLE.matcher(s).matches()) {
            return OptionalLong.of(Long.parseLong(s));
        }
        if (HEX.matcher(s).matches()) {
            return OptionalLong.of(Long.parseLong(s.substring(2), 16));
        }
        return OptionalLong.empty();
    }

    /** The allowed key nearest to a misspelt one, if it is plausibly a typo. */
    static Optional<String> closest(String key, Set<String> allowed) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String k = key.toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            String al = a.toLowerCase(Locale.ROOT);
            // "maximum" for "max", "rate" for "rateHz": one name starting with the other (3+ letters) counts as near
            int d = Math.min(distance(k, al), al.length() >= 3 && k.length() >= 3
                    && (k.startsWith(al) || al.startsWith(k)) ? 1 : Integer.MAX_VALUE);
            if (d < bestDistance) {
                best = a;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(2, key.length() / 4) ? Optional.of(best) : Optional.empty();
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
