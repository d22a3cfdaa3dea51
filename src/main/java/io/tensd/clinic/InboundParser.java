package io.tensd.clinic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensd.telemetry.Schemas;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Topic + payload → {@link Inbound}. Pure: no I/O. Validates every payload against the device's own JSON Schemas
 * (src/main/resources/schemas) and checks that the payload's deviceId is the topic's device, so a message can
 * never be filed under another device.
 */
public final class InboundParser {
    private static final String PREFIX = "tensd/v1/";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Payloads above this are rejected before parsing (the device's largest, a birth, is a few kB). */
    public static final int MAX_PAYLOAD_BYTES = 256 * 1024;

    private InboundParser() { }

    public static Inbound parse(String topic, byte[] payload) {
        String[] level = topic.split("/", -1);
        if (!topic.startsWith(PREFIX) || level.length < 5) {
            return new Inbound.Rejected(topic, "topic: not tensd/v1/<site>/<device>/…", payload);
        }
        String site = level[2];
        String device = level[3];
        String kind = String.join("/", java.util.Arrays.copyOfRange(level, 4, level.length));
        String schema = switch (kind) {
            case "event" -> "tensd.event.v1";
            case "session/summary" -> "tensd.session-summary.v1";
            case "status" -> "tensd.status.v1";
            case "birth" -> "tensd.birth.v1";
            default -> null;
        };
        if (schema == null) {
            return new Inbound.Rejected(topic, "topic: unknown kind '" + kind + "'", payload);
        }
        if (payload.length > MAX_PAYLOAD_BYTES) {
            return new Inbound.Rejected(topic, "payload: " + payload.length + " bytes, more than " + MAX_PAYLOAD_BYTES, payload);
        }
        String text;
        JsonNode n;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload)).toString();
            n = JSON.readTree(text);
        } catch (CharacterCodingException e) {
            return new Inbound.Rejected(topic, "payload: not UTF-8", payload);
        } catch (Exception e) {
            return new Inbound.Rejected(topic, "json: " + firstLine(e.getMessage()), payload);
        }
        if (n == null || !n.isObject()) {
            return new Inbound.Rejected(topic, "json: not an object", payload);
        }
        List<String> problems = Schemas.validate(schema, n);
        if (!problems.isEmpty()) {
            return new Inbound.Rejected(topic, "schema " + schema + ": " + String.join("; ", problems), payload);
        }
        if (!device.equals(n.get("deviceId").asText())) {
            return new Inbound.Rejected(topic, "deviceId '" + n.get("deviceId").asText() + "' is not the topic's device '" + device + "'", payload);
        }
        Instant ts;
        try {
            ts = Instant.parse(n.get("ts").asText());
        } catch (DateTimeParseException e) {
            return new Inbound.Rejected(topic, "ts: not an ISO-8601 instant", payload);
        }
        String session = n.get("sessionId").isNull() ? null : n.get("sessionId").asText();
        return switch (kind) {
            case "status" -> new Inbound.Status(topic, site, device, "online".equals(n.get("state").asText()),
                    n.get("reason").asText(), ts);
            case "birth" -> new Inbound.Birth(topic, site, device, ts, n.path("journal").path("lastSeq").asLong(), text);
            default -> {
                boolean summary = kind.equals("session/summary");
                yield new Inbound.Journaled(topic, site, device, session, n.get("seq").asLong(), n.get("type").asText(), ts,
                        n.get("monoMs").asLong(), n.path("replayed").asBoolean(false), n.get(summary ? "summary" : "data"), text);
            }
        };
    }

    private static String firstLine(String s) {
        if (s == null) return "unreadable";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
