package io.tensd.clinic.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tensd.clinic.Inbound;
import io.tensd.clinic.store.SessionDetails;
import io.tensd.report.SessionRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A stored session as the device-side report reads a session directory ({@link SessionRecord}): the stored events
 * become events.jsonl lines, the stored summary summary.json, the stored telemetry the 1 Hz samples. Session time
 * ({@code tMs}) counts from the session-started event on the daemon run's monotonic clock. Pure.
 */
final class StoredReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StoredReport() { }

    static SessionRecord record(String deviceId, String sessionId, List<SessionDetails.Event> stored, List<SessionDetails.Sample> rows) {
        long t0 = origin(stored, rows);
        List<JsonNode> events = new ArrayList<>();
        JsonNode summaryFile = MissingNode.getInstance();
        String startedAt = null;
        for (SessionDetails.Event e : stored) {
            if (e.type().equals("session-started") && startedAt == null) startedAt = e.ts().toString();
            if (e.type().equals(Inbound.SUMMARY_TYPE)) {
                ObjectNode f = JSON.createObjectNode();
                f.put("sessionId", sessionId);
                f.put("deviceId", deviceId);
                f.put("startedAt", startedAt == null ? stored.get(0).ts().toString() : startedAt);
                f.put("endedAt", e.ts().toString());
                f.set("summary", e.body());
                summaryFile = f;
                continue;
            }
            ObjectNode line = JSON.createObjectNode();
            line.put("type", e.type());
            line.put("sessionId", sessionId);
            line.put("tMs", e.monoMs() - t0);
            line.put("at", e.ts().toString());
            line.set("data", e.body());
            events.add(line);
        }
        List<SessionRecord.Sample> samples = new ArrayList<>();
        for (SessionDetails.Sample s : rows) {
            samples.add(new SessionRecord.Sample(s.monoMs() - t0, s.state() == null ? "" : s.state(), nan(s.setMa()), nan(s.measMa()),
                    nan(s.pulseUs()), nan(s.freqHz()), nan(s.heaterDuty()), nan(s.heatSetpointC()), nan(s.skinC()), nan(s.padC()),
                    nan(s.skinCeilingC()), nan(s.flexionDeg()), s.posture() == null ? "" : s.posture(), s.faults()));
        }
        List<String> notes = new ArrayList<>();
        if (rows.isEmpty()) notes.add("no telemetry of this session was received by the clinic: no plots over time");
        if (summaryFile.isMissingNode()) {
            notes.add("no session summary stored: the session has not ended or did not end normally; figures are computed from the samples");
        }
        return new SessionRecord(Path.of(sessionId), List.copyOf(samples), List.copyOf(events), summaryFile, List.copyOf(notes));
    }

    /** Session time zero: the session-started event, else the earliest event or sample. */
    private static long origin(List<SessionDetails.Event> stored, List<SessionDetails.Sample> rows) {
        for (SessionDetails.Event e : stored) if (e.type().equals("session-started")) return e.monoMs();
        long min = Long.MAX_VALUE;
        for (SessionDetails.Event e : stored) min = Math.min(min, e.monoMs());
        for (SessionDetails.Sample s : rows) min = Math.min(min, s.monoMs());
        return min == Long.MAX_VALUE ? 0 : min;
    }

    private static double nan(Double v) {
        return v == null ? Double.NaN : v;
    }
}
