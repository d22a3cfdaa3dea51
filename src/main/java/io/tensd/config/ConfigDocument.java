package io.tensd.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A config file read with Jackson's YAML parser into a JSON tree, with the line of every key and list item kept by
 * its JSON pointer ({@code /stimulation/maxMilliAmps}), so that a problem found by the file's JSON Schema
 * ({@link ConfigSchemas}) or by a check in code becomes {@code FILE:LINE: path: message}. Values with an error are
 * not handed out ({@link #value}), so a loader falls back to its default and reading goes on: one run reports
 * every problem of a file.
 */
public final class ConfigDocument {
    /** {@code key:} with nothing after it is null (no value given), as in YAML itself, not an empty text. */
    private static final YAMLFactory YAML = YAMLFactory.builder().enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL).build();

    private final String file;
    private final JsonNode root;
    /** Line of each key (for a mapping value) or item (for a list item) by JSON pointer; the root is "". */
    private final Map<String, Integer> lines;
    /** The text as written of every number and true/false, for a key whose schema wants text ({@code id: 007}). */
    private final Map<String, String> written;
    private final List<ConfigError> errors = new ArrayList<>();
    private final List<String> errorPointers = new ArrayList<>();

    private ConfigDocument(String file, JsonNode root, Map<String, Integer> lines, Map<String, String> written) {
        this.file = file;
        this.root = root;
        this.lines = lines;
        this.written = written;
    }

    /** Parses a file; a missing or unreadable file or a syntax error is a ConfigException with its line. */
    public static ConfigDocument read(Path path) throws ConfigException {
        return read(path.toString(), new StringReader(YamlReader.readText(path)));
    }

    public static ConfigDocument read(String fileName, Reader reader) throws ConfigException {
        Map<String, Integer> lines = new HashMap<>();
        Map<String, String> written = new HashMap<>();
        List<ConfigError> duplicates = new ArrayList<>();
        JsonNode root;
        try (JsonParser p = YAML.createParser(reader)) {
            if (p.nextToken() == null) {
                throw new ConfigException(List.of(new ConfigError(fileName, 1, "", "file is empty")));
            }
            lines.put("", p.currentTokenLocation().getLineNr());
            root = new TreeBuilder(fileName, p, lines, written, duplicates).value("");
        } catch (JsonProcessingException e) {
            throw new ConfigException(List.of(syntaxError(fileName, e)));
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(List.of(new ConfigError(fileName, 0, "", "YAML syntax: " + e.getMessage())));
        }
        if (root.isNull()) {
            throw new ConfigException(List.of(new ConfigError(fileName, 1, "", "file is empty")));
        }
        ConfigDocument d = new ConfigDocument(fileName, root, lines, written);
        for (ConfigError e : duplicates) {
            d.errors.add(e);
            d.errorPointers.add("\u0000"); // the ignored value has no pointer of its own
        }
        return d;
    }

    /** SnakeYAML's problem and context (e.g. the unclosed '[' a flow list started at), at the problem's line. */
    private static ConfigError syntaxError(String fileName, JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException m && m.getProblem() != null) {
            int line = m.getProblemMark() == null ? 0 : m.getProblemMark().getLine() + 1;
            String context = "";
            if (m.getContext() != null) {
                int contextLine = m.getContextMark() == null ? 0 : m.getContextMark().getLine() + 1;
                context = " (" + m.getContext().trim() + (contextLine > 0 && contextLine != line ? " started at line " + contextLine : "") + ")";
            }
            return new ConfigError(fileName, line, "", "YAML syntax: " + m.getProblem().trim() + context);
        }
        int line = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
        return new ConfigError(fileName, line, "", "YAML syntax: " + e.getOriginalMessage());
    }

    /**
     * Builds the tree token by token: Jackson's tree forgets where a value came from, and its duplicate-key check
     * stops at the first one, while a technician wants every duplicate with the line of the first.
     */
    private record TreeBuilder(String file, JsonParser p, Map<String, Integer> lines, Map<String, String> written,
                               List<ConfigError> duplicates) {
        JsonNode value(String pointer) throws IOException {
            JsonNodeFactory f = JsonNodeFactory.instance;
            if (p.currentToken().isScalarValue() && p.currentToken() != JsonToken.VALUE_STRING) {
                written.put(pointer, p.getText());
            }
            if (p.currentToken().isNumeric()) {
                try {
                    return p.currentToken() == JsonToken.VALUE_NUMBER_FLOAT ? f.numberNode(p.getDoubleValue())
                            : switch (p.getNumberType()) {
                                case INT -> f.numberNode(p.getIntValue());
                                case LONG -> f.numberNode(p.getLongValue());
                                default -> f.numberNode(p.getBigIntegerValue());
                            };
                } catch (StreamReadException e) { // .inf, .nan: not numbers a config can use; the schema says "expected a number"
                    return f.textNode(p.getText());
                }
            }
            return node(pointer, f);
        }

        private JsonNode node(String pointer, JsonNodeFactory f) throws IOException {
            return switch (p.currentToken()) {
                case START_OBJECT -> {
                    ObjectNode o = f.objectNode();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        int line = p.currentTokenLocation().getLineNr();
                        String child = pointer + "/" + escape(key);
                        p.nextToken();
                        if (o.has(key)) {
                            duplicates.add(new ConfigError(file, line, pathOf(child),
                                    "duplicate key (first given at line " + lines.get(child) + "); the later value is ignored"));
                            p.skipChildren();
                            continue;
                        }
                        lines.put(child, line);
                        o.set(key, value(child));
                    }
                    yield o;
                }
                case START_ARRAY -> {
                    ArrayNode a = f.arrayNode();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        String child = pointer + "/" + a.size();
                        lines.put(child, p.currentTokenLocation().getLineNr());
                        a.add(value(child));
                    }
                    yield a;
                }
                case VALUE_TRUE -> f.booleanNode(true);
                case VALUE_FALSE -> f.booleanNode(false);
                case VALUE_NULL -> f.nullNode();
                default -> f.textNode(p.getText());
            };
        }
    }

    static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    /** {@code /broker/urls/1} → {@code broker.urls[1]}: the notation of every message. */
    static String pathOf(String pointer) {
        StringBuilder b = new StringBuilder();
        if (pointer.isEmpty()) {
            return "";
        }
        for (String seg : pointer.substring(1).split("/", -1)) {
            String s = seg.replace("~1", "/").replace("~0", "~");
            if (!s.isEmpty() && s.chars().allMatch(Character::isDigit) && b.length() > 0) {
                b.append('[').append(s).append(']');
            } else {
                b.append(b.length() == 0 ? "" : ".").append(s);
            }
        }
        return b.toString();
    }

    public String file() { return file; }

    /** The text of the number or true/false at {@code pointer} as written in the file, if it is one. */
    Optional<String> written(String pointer) { return Optional.ofNullable(written.get(pointer)); }

    public JsonNode root() { return root; }

    /** Whether the file writes a value (possibly {@code ~}) at {@code pointer}. */
    public boolean has(String pointer) { return !root.at(pointer).isMissingNode(); }

    /** The value at {@code pointer} if written, not {@code ~}, and without an error at or below it. */
    public Optional<JsonNode> value(String pointer) {
        JsonNode n = root.at(pointer);
        return n.isMissingNode() || n.isNull() || hasError(pointer) ? Optional.empty() : Optional.of(n);
    }

    public int integer(String pointer, int fallback) { return value(pointer).map(JsonNode::asInt).orElse(fallback); }

    public double number(String pointer, double fallback) { return value(pointer).map(JsonNode::asDouble).orElse(fallback); }

    public String text(String pointer, String fallback) { return value(pointer).map(JsonNode::asText).orElse(fallback); }

    /** The line of the key at {@code pointer}, or of its nearest written parent. */
    public int line(String pointer) {
        String p = pointer;
        while (!lines.containsKey(p) && !p.isEmpty()) {
            p = p.substring(0, p.lastIndexOf('/'));
        }
        return lines.getOrDefault(p, 0);
    }

    /** Records an error at {@code pointer}'s line and path (once per pointer and message). */
    public void error(String pointer, String message) {
        ConfigError e = new ConfigError(file, line(pointer), pathOf(pointer), message);
        if (!errors.contains(e)) {
            errors.add(e);
            errorPointers.add(pointer);
        }
    }

    /** Whether an error was recorded at {@code pointer} or below it (a value there must not be trusted). */
    public boolean hasError(String pointer) {
        return errorPointers.stream().anyMatch(p -> p.equals(pointer) || p.startsWith(pointer + "/"));
    }

    public List<ConfigError> errors() { return List.copyOf(errors); }

    /** Throws a ConfigException with every error of this file, in line order. */
    public void throwIfErrors() throws ConfigException {
        if (!errors.isEmpty()) {
            throw new ConfigException(errors.stream().sorted(Comparator.comparingInt(ConfigError::line)).toList());
        }
    }
}
