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

        private boolean joined;

        /**
         * A watcher that joins mid-session: everything up to {@code publishedSeq} (the device's broker-acknowledged
         * seq, from its first live telemetry) went out before it was listening, so it is not a gap. Only the first
         * call counts; seqs already received stay as they are.
         */
        public void joinedAfter(long publishedSeq) {
            if (joined) {
                return;
            }
            joined = true;
            long base = ahead.isEmpty() ? publishedSeq : Math.min(publishedSeq, ahead.first() - 1);
            if (base > contiguous) {
                contiguous = base;
                ahead.removeIf(x -> x <= contiguous);
                while (ahead.remove(contiguous + 1)) contiguous++;
            }
        }
    }

    public static final class Device {
        String status = "?";
        JsonNode telemetry;
        long lastSeenMillis;
        final SeqTracker seq = new SeqTracker();
        String lastEvent = "";
        JsonNode summary;              // the last session summary
        boolean summaryAfterTelemetry; // the session ended after the last telemetry seen

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
            case "telemetry" -> {
                d.telemetry = json;
                if (json.path("state").asText("").matches("PRECHECK|RAMP_UP|ACTIVE|PAUSED|RAMP_DOWN")) {
                    d.summaryAfterTelemetry = false;    // a session runs (again)
                }
                if (json.path("journal").path("ackedSeq").isNumber()) {
                    d.seq.joinedAfter(json.path("journal").path("ackedSeq").asLong());
                }
            }
            case "event", "session/summary" -> {
                long seq = json.path("seq").asLong(-1);
                boolean fresh = seq > 0 && d.seq.accept(seq);
                String type = json.path("type").asText("?");
                d.lastEvent = type;
                if (kind.equals("session/summary")) {
                    d.summary = json;
                    d.summaryAfterTelemetry = true;
                }
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
                    state(d), num(t, "intensitySetMilliAmps"), num(t, "intensityMeasuredMilliAmps"),
                    num(t, "skinCelsius"), num(t, "padCelsius"), num(t, "postureAngleDeg"),
                    t == null ? "-" : t.path("postureClass").asText("-"), (nowMillis - d.lastSeenMillis) / 1000.0,
                    d.seq.highest(), d.seq.missing(), d.seq.duplicates(), t == null ? "" : t.path("faults").toString()));
            if (d.summary != null) {
                b.append("  ").append(summaryLine(d.summary)).append(String.format("%n"));
            }
        }
        return b.toString();
    }

    /** The state column: the telemetry's, or COMPLETE once a session summary came after the last telemetry. */
    private static String state(Device d) {
        if (d.summaryAfterTelemetry) {
            return "COMPLETE";
        }
        return d.telemetry == null ? "-" : d.telemetry.path("state").asText("-");
    }

    /** One line for the last ended session: "session s-1 COMPLETE (completed): delivered 10.0 min, mean 18.3 mA, …". */
    static String summaryLine(JsonNode msg) {
        JsonNode s = msg.path("summary");
        StringBuilder b = new StringBuilder("session ").append(msg.path("sessionId").asText("?")).append(" COMPLETE (")
                .append(s.path("endReason").asText("?")).append(")");
        if (s.path("deliveredMs").isNumber()) {
            b.append(String.format(java.util.Locale.ROOT, ": delivered %.1f min", s.path("deliveredMs").asDouble() / 60_000));
        }
        if (s.path("meanMa").isNumber()) {
            b.append(String.format(java.util.Locale.ROOT, ", mean %.1f mA", s.path("meanMa").asDouble()));
        }
        if (s.path("maxSkinC").isNumber()) {
            b.append(String.format(java.util.Locale.ROOT, ", max skin %.1f °C", s.path("maxSkinC").asDouble()));
        }
        if (s.path("pauses").isNumber()) {
            b.append(", pauses ").append(s.path("pauses").asInt());
        }
        JsonNode f = s.path("faults");
        b.append(", faults ").append(f.isArray() && f.size() > 0 ? f.toString() : "none");
        return b.toString();
    }

    private static String num(JsonNode t, String field) {
        if (t == null || !t.path(field).isNumber()) return "-";
        return String.format("%.1f", t.get(field).asDouble());
    }
}
