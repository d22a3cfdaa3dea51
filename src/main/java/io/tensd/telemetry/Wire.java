package io.tensd.telemetry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Pattern;

/** JSON shapes shared by every payload: schema ids, the envelope fields, and safe conversion of event data. */
public final class Wire {
    public static final ObjectMapper JSON = new ObjectMapper();

    public static final String EVENT_SCHEMA = "tensd.event.v1";
    public static final String SUMMARY_SCHEMA = "tensd.session-summary.v1";
    public static final String TELEMETRY_SCHEMA = "tensd.telemetry.v1";
    public static final String BIRTH_SCHEMA = "tensd.birth.v1";
    public static final String STATUS_SCHEMA = "tensd.status.v1";
    public static final String RESPONSE_SCHEMA = "tensd.cmd-response.v1";
    public static final String HOST_STATE_SCHEMA = "tensd.host-state.v1";

    /** The loop's event type for a session summary; routed to {@code session/summary}. */
    public static final String SUMMARY_TYPE = "session-summary";

    /**
     * Keys that could carry patient-identifying data are never published, whatever a caller puts in an
     * event. A last line of defence: the device holds device and session ids only.
     */
    private static final Pattern IDENTIFYING_KEY =
            Pattern.compile("(?i).*(patient|person|name|birth|address|phone|e-?mail|mrn|ssn|insurance).*");

    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_INSTANT.withZone(ZoneOffset.UTC);

    private Wire() { }

    /** ISO-8601 UTC with millisecond precision, e.g. {@code 2025-03-01T10:15:30.123Z}. */
    public static String timestamp(Instant wall) {
        return ISO.format(wall.truncatedTo(ChronoUnit.MILLIS));
    }

    /** The fields every payload starts with. */
    static ObjectNode envelope(String schema, String deviceId, String sessionId, Instant wall, long monoMillis) {
        ObjectNode n = JSON.createObjectNode();
        n.put("schema", schema);
        n.put("deviceId", deviceId);
        if (sessionId == null) n.putNull("sessionId"); else n.put("sessionId", sessionId);
        n.put("ts", timestamp(wall));
        n.put("monoMs", monoMillis);
        return n;
    }

    /** Event data as JSON: non-finite numbers become null, identifying keys are dropped, other objects become strings. */
    static ObjectNode data(Map<String, Object> data) {
        ObjectNode n = JSON.createObjectNode();
        for (Map.Entry<String, Object> e : data.entrySet()) {
            if (IDENTIFYING_KEY.matcher(e.getKey()).matches()) continue;
            n.set(e.getKey(), value(e.getValue()));
        }
        return n;
    }

    static boolean isIdentifyingKey(String key) { return IDENTIFYING_KEY.matcher(key).matches(); }

    private static com.fasterxml.jackson.databind.JsonNode value(Object v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (v == null) return f.nullNode();
        if (v instanceof Double d) return Double.isFinite(d) ? f.numberNode(d) : f.nullNode();
        if (v instanceof Float d) return Float.isFinite(d) ? f.numberNode(d) : f.nullNode();
        if (v instanceof Number num) return JSON.valueToTree(num);
        if (v instanceof Boolean b) return f.booleanNode(b);
        if (v instanceof CharSequence || v instanceof Enum<?>) return f.textNode(v.toString());
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = f.objectNode();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (!IDENTIFYING_KEY.matcher(key).matches()) o.set(key, value(e.getValue()));
            }
            return o;
        }
        if (v instanceof Collection<?> c) {
            ArrayNode a = f.arrayNode();
            for (Object o : c) a.add(value(o));
            return a;
        }
        return f.textNode(v.toString());
    }

    /** A double as JSON, null when NaN or infinite (the snapshot's "does not exist"). */
    static void putFinite(ObjectNode n, String field, double v) {
        if (Double.isFinite(v)) n.put(field, v); else n.putNull(field);
    }

    /**
     * {@code v} rounded to {@code step} (what the sensor resolves: 0.01 °C for the skin thermometer, 0.1 mA for the
     * board's current reading), null when not finite: no digits on the wire that the hardware cannot tell apart.
     */
    static void putRounded(ObjectNode n, String field, double v, double step) {
        if (!Double.isFinite(v)) {
            n.putNull(field);
            return;
        }
        int decimals = Math.max(0, (int) Math.round(-Math.log10(step)));
        n.put(field, java.math.BigDecimal.valueOf(Math.round(v / step) * step)
                .setScale(decimals, java.math.RoundingMode.HALF_EVEN).doubleValue());
    }
}
