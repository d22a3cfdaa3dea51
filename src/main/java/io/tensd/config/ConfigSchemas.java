package io.tensd.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.AnnotationKeyword;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * The JSON Schemas of the config files ({@code src/main/resources/schemas/config/}, draft 2020-12): every key with
 * its type, range, unit and description; unknown keys are errors. A schema error is worded for a technician here:
 * the range with its unit ({@code x-unit}) and where the bound comes from ({@code x-why}), the allowed keys with the
 * nearest one to a typo, or the schema's own wording for that key and keyword ({@code x-messages}, where
 * {@code {value}}, {@code {hex}}, {@code {count}}, {@code {min}} and {@code {max}} are filled in).
 */
public final class ConfigSchemas {
    public static final String DEVICE = "tensd.yaml";
    public static final String LIMITS = "limits.yaml";
    public static final String HEAT_MODEL = "heat-model.yaml";

    /** Draft 2020-12 plus this project's wording annotations, so the validator knows them and does not warn. */
    private static final JsonMetaSchema META = JsonMetaSchema.builder(JsonMetaSchema.getV202012())
            .keywords(List.of(new AnnotationKeyword("x-unit"), new AnnotationKeyword("x-why"),
                    new AnnotationKeyword("x-messages")))
            .build();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            b -> b.metaSchema(META));
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_POINTER).typeLoose(false).build();
    private static final Map<String, JsonNode> RAW = new ConcurrentHashMap<>();
    private static final Map<String, JsonSchema> COMPILED = new ConcurrentHashMap<>();
    /** The keyword reported first when one value breaks several (a wrong type makes a range check meaningless). */
    private static final List<String> ORDER = List.of("type", "additionalProperties", "required", "const", "enum", "pattern",
            "minLength", "minItems", "maxItems", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum");

    private ConfigSchemas() { }

    /** The schema document (as JSON) of a config file kind, e.g. {@link #LIMITS}. */
    public static JsonNode raw(String name) {
        return RAW.computeIfAbsent(name, n -> {
            try (InputStream in = ConfigSchemas.class.getResourceAsStream("/schemas/config/" + n + ".schema.json")) {
                if (in == null) {
                    throw new IllegalArgumentException("no config schema " + n);
                }
                return new ObjectMapper().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Validates {@code doc} against the schema {@code name}; every problem is recorded on the document, one per value. */
    public static void validate(ConfigDocument doc, String name) {
        validate(doc, name, "");
    }

    /** As {@link #validate(ConfigDocument, String)}, keeping only the problems at or below {@code under} (a JSON pointer). */
    public static void validate(ConfigDocument doc, String name, String under) {
        JsonSchema schema = COMPILED.computeIfAbsent(name, n -> FACTORY.getSchema(raw(n), CONFIG));
        asText(raw(name), doc, doc.root(), "");
        List<ValidationMessage> messages = new ArrayList<>(schema.validate(doc.root()));
        messages.sort(Comparator.comparingInt(m -> rank(m.getType())));
        Set<String> reported = new HashSet<>();
        for (ValidationMessage m : messages) {
            String pointer = m.getInstanceLocation().toString();
            if (pointer.equals("$") || pointer.equals("/")) {
                pointer = "";
            }
            String at = switch (m.getType()) {
                case "additionalProperties" -> pointer + "/" + ConfigDocument.escape(m.getProperty());
                default -> pointer;
            };
            if (!(at.equals(under) || at.startsWith(under + "/"))) {
                continue;
            }
            if (m.getType().equals("required")) {
                doc.error(pointer, required(raw(name), pointer, m.getProperty()));
            } else if (reported.add(at)) {
                doc.error(at, translate(raw(name), doc, m, at));
            }
        }
    }

    /**
     * YAML reads {@code id: 7} or {@code padId: 1234} as a number; where the schema wants text, it is that text (as the
     * technician meant), not a type error.
     */
    private static void asText(JsonNode root, ConfigDocument doc, JsonNode node, String pointer) {
        if (!node.isContainerNode()) {
            return;
        }
        for (var it = node.isObject() ? node.fieldNames() : IntStream.range(0, node.size())
                .mapToObj(Integer::toString).iterator(); it.hasNext(); ) {
            String key = it.next();
            String child = pointer + "/" + ConfigDocument.escape(key);
            JsonNode value = node.isObject() ? node.get(key) : node.get(Integer.parseInt(key));
            JsonNode s = schemaAt(root, child);
            if (value.isNumber() || value.isBoolean()) {
                if (s != null && "string".equals(s.path("type").asText()) && !s.has("enum") && !s.has("const")) {
                    JsonNode text = TextNode.valueOf(doc.written(child).orElse(shown(value)));
                    if (node instanceof ObjectNode o) {
                        o.set(key, text);
                    } else {
                        ((ArrayNode) node).set(Integer.parseInt(key), text);
                    }
                }
            } else {
                asText(root, doc, value, child);
            }
        }
    }

    private static int rank(String keyword) {
        int i = ORDER.indexOf(keyword);
        return i < 0 ? ORDER.size() : i;
    }

    /** The subschema describing the value at {@code pointer} (following properties, items and local $refs), or null. */
    static JsonNode schemaAt(JsonNode root, String pointer) {
        JsonNode s = resolve(root, root);
        if (pointer.isEmpty()) {
            return s;
        }
        for (String seg : pointer.substring(1).split("/", -1)) {
            String key = seg.replace("~1", "/").replace("~0", "~");
            if (s == null) {
                return null;
            }
            JsonNode next = s.path("properties").get(key);
            if (next == null && s.has("items") && key.chars().allMatch(Character::isDigit)) {
                next = s.get("items");
            }
            s = next == null ? null : resolve(root, next);
        }
        return s;
    }

    private static JsonNode resolve(JsonNode root, JsonNode s) {
        while (s != null && s.has("$ref") && s.get("$ref").asText().startsWith("#")) {
            JsonNode target = root.at(s.get("$ref").asText().substring(1));
            s = target.isMissingNode() ? null : target;
        }
        return s;
    }

    private static String required(JsonNode root, String parent, String key) {
        JsonNode s = schemaAt(root, parent + "/" + ConfigDocument.escape(key));
        if (s != null && s.path("x-messages").has("required")) {
            return s.path("x-messages").get("required").asText();
        }
        return s != null && "object".equals(s.path("type").asText()) ? "missing section '" + key + "'"
                : "missing required key '" + key + "'";
    }

    private static String translate(JsonNode root, ConfigDocument doc, ValidationMessage m, String pointer) {
        JsonNode s = schemaAt(root, pointer);
        JsonNode value = doc.root().at(pointer);
        String keyword = m.getType();
        if (keyword.equals("additionalProperties")) {
            JsonNode parent = schemaAt(root, pointer.substring(0, pointer.lastIndexOf('/')));
            Set<String> allowed = new TreeSet<>();
            parent.path("properties").fieldNames().forEachRemaining(allowed::add);
            String hint = YamlReader.closest(m.getProperty(), allowed).map(c -> "did you mean '" + c + "'? ").orElse("");
            return "unknown key; " + hint + "allowed: " + String.join(", ", allowed);
        }
        if (s == null) {
            return m.getMessage();
        }
        String own = s.path("x-messages").path(keyword.startsWith("exclusive") ? keyword.substring(9).toLowerCase(Locale.ROOT)
                : keyword).asText(null);
        if (own != null) {
            return fill(own, s, value);
        }
        String unit = s.has("x-unit") ? " " + s.get("x-unit").asText() : "";
        return switch (keyword) {
            case "type" -> typeMessage(s, value);
            case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum" -> "must be between " + bound(s, "minimum")
                    + " and " + bound(s, "maximum") + unit + (s.has("x-why") ? " (" + s.get("x-why").asText() + ")" : "")
                    + ", got " + shown(value) + unit;
            case "enum" -> "must be " + alternatives(s.get("enum")) + ", got '" + shown(value) + "'";
            case "const" -> "must be " + s.get("const").asText() + ", got '" + shown(value) + "'";
            case "minLength" -> "must not be empty";
            case "minItems" -> "must list at least " + s.path("minItems").asInt() + " item(s)";
            case "maxItems" -> "lists " + value.size() + " items, at most " + s.path("maxItems").asInt();
            case "pattern" -> "does not have the form " + s.path("pattern").asText() + ", got '" + shown(value) + "'";
            default -> m.getMessage().replaceFirst("^\\S+: ", "");
        };
    }

    private static String typeMessage(JsonNode s, JsonNode value) {
        Set<String> expected = new HashSet<>();
        JsonNode t = s.path("type");
        if (t.isArray()) {
            t.forEach(x -> expected.add(x.asText()));
        } else {
            expected.add(t.asText());
        }
        if (value.isNull()) {
            return "no value given (write one after the colon, or delete the key to use the default)";
        }
        if (expected.contains("object")) {
            return "expected a mapping (key: value)";
        }
        if (expected.contains("array")) {
            return "expected a list";
        }
        if (value.isContainerNode()) {
            return "expected a single value, not a " + (value.isObject() ? "mapping" : "list");
        }
        String quoted = value.isTextual() && value.asText().trim().matches("[-+]?[0-9.]+([eE][-+]?[0-9]+)?")
                ? " (a number is written without quotes)" : "";
        if (expected.contains("integer")) {
            return "expected a whole number, got '" + value.asText() + "'" + quoted;
        }
        if (expected.contains("number")) {
            return "expected a number, got '" + value.asText() + "'" + quoted;
        }
        if (expected.contains("boolean")) {
            return "expected true or false, got '" + value.asText() + "'";
        }
        return "expected text, got '" + value.asText() + "' (put it in quotes)";
    }

    private static String fill(String template, JsonNode s, JsonNode value) {
        return template.replace("{value}", shown(value))
                .replace("{hex}", value.canConvertToInt() ? DeviceConfigLoader.hex(value.asInt()) : shown(value))
                .replace("{count}", Integer.toString(value.size()))
                .replace("{min}", bound(s, "minimum"))
                .replace("{max}", bound(s, "maximum"));
    }

    private static String bound(JsonNode s, String keyword) {
        JsonNode b = s.has(keyword) ? s.get(keyword) : s.get("exclusive" + Character.toUpperCase(keyword.charAt(0)) + keyword.substring(1));
        return b == null ? "?" : shown(b);
    }

    /** A number as written plainly (80, 0.5, never 8.0E1); anything else as its text. */
    static String shown(JsonNode v) {
        if (v.isIntegralNumber()) {
            return v.bigIntegerValue().toString();
        }
        if (v.isNumber()) {
            return Fields.plain(v.asDouble());
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }

    private static String alternatives(JsonNode values) {
        List<String> names = new ArrayList<>();
        values.forEach(v -> names.add(v.isNull() ? "~" : v.asText()));
        return names.size() == 1 ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }
}
