package io.tensd.clinic;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds a {@link SessionRecord} from whatever of a session's events are stored. Pure and order-independent:
 * it sorts by {@code seq}, so re-running it after every batch (events of one session may arrive at different
 * collectors in any order) always converges to the same row. The summary, when present, is the authority for
 * the figures; the events fill in what an interrupted session never summarised.
 */
public final class SessionAssembly {
    private SessionAssembly() { }

    public static SessionRecord assemble(String deviceId, String sessionId, List<StoredEvent> stored) {
        if (stored.isEmpty()) throw new IllegalArgumentException("a session needs at least one event");
        List<StoredEvent> events = new ArrayList<>(stored);
        events.sort(Comparator.comparingLong(StoredEvent::seq));
        Instant start = null;
        Instant end = null;
        String endReason = null;
        String program = null;
        Double deliveredMs = null;
        Integer pausesSeen = 0;
        int slouchAlerts = 0;
        long slouchHeldMs = 0;
        int reps = 0;
        Set<String> faults = new LinkedHashSet<>();
        JsonNode summary = null;
        Instant summaryTs = null;
        for (StoredEvent e : events) {
            JsonNode d = e.body();
            switch (e.type()) {
                case "session-started" -> {
                    start = e.ts();
                    program = text(d, "program");
                }
                case "session-completed", "session-aborted" -> {
                    end = e.ts();
                    endReason = text(d, "reason");
                    if (d.hasNonNull("deliveredMs")) deliveredMs = d.get("deliveredMs").asDouble();
                }
                case "session-paused" -> pausesSeen++;
                case "fault-raised" -> {
                    String code = text(d, "code");
                    if (code != null) faults.add(code);
                }
                case "slouch-alert" -> {
                    slouchAlerts++;
                    slouchHeldMs += d.path("heldMillis").asLong(0);
                }
                case "exercise-rep" -> reps++;
                case Inbound.SUMMARY_TYPE -> {
                    summary = d;
                    summaryTs = e.ts();
                }
                default -> { }
            }
        }
        if (start == null) start = events.get(0).ts();
        Double minutes = deliveredMs == null ? null : deliveredMs / 60_000.0;
        Double maxMa = null;
        Double heatMinutes = null;
        Double maxSkin = null;
        Integer pauses = pausesSeen;
        if (summary != null) {
            if (end == null) end = summaryTs;
            String r = text(summary, "endReason");
            if (r != null) endReason = r;
            if (program == null) program = text(summary, "program");
            if (summary.hasNonNull("deliveredMs")) minutes = summary.get("deliveredMs").asDouble() / 60_000.0;
            if (summary.hasNonNull("maxMa")) maxMa = summary.get("maxMa").asDouble();
            if (summary.hasNonNull("heatMs")) heatMinutes = summary.get("heatMs").asDouble() / 60_000.0;
            if (summary.hasNonNull("maxSkinC")) maxSkin = summary.get("maxSkinC").asDouble();
            if (summary.hasNonNull("pauses")) pauses = summary.get("pauses").asInt();
            for (JsonNode f : summary.path("faults")) faults.add(f.asText());
        }
        return new SessionRecord(deviceId, sessionId, start, end, endReason, program, minutes, maxMa, heatMinutes, maxSkin,
                List.copyOf(faults), pauses, slouchAlerts, slouchHeldMs, reps, events.size(), summary != null);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
