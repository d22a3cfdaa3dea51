package io.tensd.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The AsyncAPI document and the schema files agree: every schema is referenced, every reference exists. */
class ContractTest {
    @Test
    void asyncApiReferencesEverySchemaFileAndEveryChannel() throws Exception {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(Path.of("docs/asyncapi.yaml").toFile());
        assertEquals("2.6.0", doc.get("asyncapi").asText());
        Set<String> refs = new TreeSet<>();
        collect(doc, refs);
        Set<String> files = new TreeSet<>();
        try (Stream<Path> s = Files.list(Path.of("src/main/resources/schemas"))) {
            // the MQTT payload schemas; schemas/config/ holds the config files' schemas (docs/configuration.md)
            s.filter(Files::isRegularFile).forEach(p -> files.add("../src/main/resources/schemas/" + p.getFileName()));
        }
        assertEquals(files, refs);
        for (String r : refs) assertTrue(Files.exists(Path.of("docs").resolve(r)), r);
        Set<String> channels = new TreeSet<>();
        doc.get("channels").fieldNames().forEachRemaining(channels::add);
        Topics t = new Topics("site", "device");
        for (String suffix : new String[] {"status", "birth", "telemetry", "event", "session/summary", "cmd/{command}", "reply/{requester}"}) {
            assertTrue(channels.contains("tensd/v1/{site}/{device}/" + suffix), suffix);
        }
        assertTrue(t.summary().endsWith("/session/summary"));
        for (String c : CommandHandler.COMMANDS) assertTrue(refs.contains("../src/main/resources/schemas/" + Schemas.command(c) + ".json"), c);
    }

    private static void collect(JsonNode n, Set<String> refs) {
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> {
                if (e.getKey().equals("$ref") && e.getValue().asText().endsWith(".json")) refs.add(e.getValue().asText());
                else collect(e.getValue(), refs);
            });
        } else if (n.isArray()) {
            n.forEach(c -> collect(c, refs));
        }
    }
}
