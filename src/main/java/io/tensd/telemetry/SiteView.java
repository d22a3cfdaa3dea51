package io.tensd.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a clinic-side watcher knows about a site, built from the device topics: the latest state of each
 * device and, per device, whether the journaled stream (events + summaries) has gaps or duplicates.
 * Pure: feed it messages with the time they arrived; render it as text.
 */
public final class SiteView {

    /** Per-device completeness of the seq stream. */
    public static final class SeqTracker {
        private long contiguous;                        // every seq ≤ this was seen
        private final TreeSet<Long> ahead = new TreeSet<>();
        private long duplicates;

        /** Returns false if {@code seq} was already seen (a duplicate). */
        public boolean accept(long seq) {
            if (seq <= contiguous || !ahead.add(seq)) {
                duplicates++;
                return false;
            }
            while (ahead.remove(contiguous + 1)) contiguous++;
            return true;
        }

        /** Seqs missing below the highest one seen (a receiver that started late sees the earlier ones as missing). */
        public long missing() {
            return ahead.isEmpty() ? 0 : ahead.last() - contiguous - ahead.size();
        }

        public long duplicates() { return duplicates; }

        public long highest() { return ahead.isEmpty() ? contiguous : ahead.last(); }
    }

    public static final class Device {
        String status = "?";
        JsonNode telemetry;
        long lastSeenMillis;
        final SeqTracker seq = new SeqTracker();
        String lastEvent = "";

        public SeqTracker seq() { return seq; }

        public String status() { return status; }
    }

    private final Map<String, Device> devices = new TreeMap<>();

    public Map<String, Device> devices() { return devices; }

    /** Handles one message; returns a line for follow mode when it was an event or summary, else null. */
    public String accept(String topic, byte[] payload, long nowMillis) {
        String[] t = topic.split("/", 5);
        if (t.length < 5 || !"tensd".equals(t[0]) || !"v1".equals(t[1])) return null;
        String device = t[3];
        String kind = t[4];
        JsonNode json;
        try {
            json = Wire.JSON.readTree(payload);
        } catch (IOException e) {
            return null;
        }
        if (json == null || !json.isObject()) return null;
        Device d = devices.computeIfAbsent(device, k -> new Device());
        d.lastSeenMillis = nowMillis;
        switch (kind) {
            case "status" -> d.status = json.path("state").asText("?");
            case "telemetry" -> d.telemetry = json;
            case "event", "session/summary" -> {
                long seq = json.path("seq").asLong(-1);
                boolean fresh = seq > 0 && d.seq.accept(seq);
                String type = json.path("type").asText("?");
                d.lastEvent = type;
                JsonNode data = json.has("summary") ? json.get("summary") : json.path("data");
                return String.format("%s %-14s seq=%-6d %s%s %-18s session=%s %s", json.path("ts").asText(), device, seq,
                        fresh ? "" : "DUPLICATE ", json.path("replayed").asBoolean() ? "(replayed)" : "", type,
                        json.path("sessionId").asText("-"), data);
            }
            default -> { }
        }
        return null;
    }

    /** A table of the site, one device per line. */
    public String render(long nowMillis) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-16s %-8s %-10s %7s %7s %6s %6s %7s %-10s %9s %6s %5s %5s %s%n", "device", "status", "state",
                "set mA", "meas mA", "skin°C", "pad°C", "post°", "posture", "last seen", "seq", "gaps", "dups", "faults"));
        for (Map.Entry<String, Device> e : devices.entrySet()) {
            Device d = e.getValue();
            JsonNode t = d.telemetry;
            b.append(String.format("%-16s %-8s %-10s %7s %7s %6s %6s %7s %-10s %8.1fs %6d %5d %5d %s%n", e.getKey(), d.status,
                    t == null ? "-" : t.path("state").asText("-"), num(t, "intensitySetMilliAmps"), num(t, "intensityMeasuredMilliAmps"),
                    num(t, "skinCelsius"), num(t, "padCelsius"), num(t, "postureAngleDeg"),
                    t == null ? "-" : t.path("postureClass").asText("-"), (nowMillis - d.lastSeenMillis) / 1000.0,
                    d.seq.highest(), d.seq.missing(), d.seq.duplicates(), t == null ? "" : t.path("faults").toString()));
        }
        return b.toString();
    }

    private static String num(JsonNode t, String field) {
        if (t == null || !t.path(field).isNumber()) return "-";
        return String.format("%.1f", t.get(field).asDouble());
    }
}
