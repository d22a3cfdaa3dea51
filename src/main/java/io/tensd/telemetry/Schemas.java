package io.tensd.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The JSON Schemas in {@code src/main/resources/schemas/} (the same files the AsyncAPI document references). */
public final class Schemas {
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true).typeLoose(false).build();
    private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();

    private Schemas() { }

    /** The schema with id {@code name} (e.g. "tensd.event.v1"), loaded once from the class path. */
    public static JsonSchema get(String name) {
        return CACHE.computeIfAbsent(name, n -> {
            try (InputStream in = Schemas.class.getResourceAsStream("/schemas/" + n + ".json")) {
                if (in == null) throw new IllegalArgumentException("no schema " + n);
                return FACTORY.getSchema(Wire.JSON.readTree(in), CONFIG);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Validation messages (empty when valid), sorted so answers are stable. */
    public static List<String> validate(String name, JsonNode node) {
        return get(name).validate(node).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    /** The command schema id of a command name. */
    public static String command(String name) { return "tensd.cmd." + name + ".v1"; }
}
