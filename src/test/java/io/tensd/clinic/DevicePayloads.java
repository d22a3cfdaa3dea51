package io.tensd.clinic;

import io.tensd.loop.Clock;
import io.tensd.posture.PostureEvent;
import io.tensd.session.SessionEvent;
import io.tensd.session.SessionSummary;
import io.tensd.telemetry.Journal;
import io.tensd.telemetry.JournalingEventSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real device payloads: session events emitted into the device's own {@link JournalingEventSink}, read back as the
 * exact bytes the device publishes. The session's shape follows the loop (started, pause/resume, posture, fault,
 * completed, summary).
 */
public final class DevicePayloads {
    private DevicePayloads() { }

    /** The events of one ordinary session, as the loop and the posture pipeline emit them. */
    public static List<SessionEvent> session(String sessionId, long startNanos, int slouchAlerts, int reps) {
        List<SessionEvent> out = new ArrayList<>();
        long t = startNanos;
        Map<String, Object> started = new LinkedHashMap<>();
        started.put("program", "conventional");
        started.put("targetMa", 20.0);
        started.put("maxMa", 30.0);
        started.put("pulseWidthUs", 200);
        started.put("frequencyHz", 80);
        started.put("durationMin", 10);
        started.put("heatSetpointC", 39.0);
        started.put("heatMode", "constant");
        started.put("habituation", false);
        started.put("screening", "clinician");
        out.add(new SessionEvent("session-started", sessionId, t, started));
        t += 60_000_000_000L;
        out.add(new SessionEvent("session-paused", sessionId, t, Map.of("reason", "patient")));
        t += 10_000_000_000L;
        out.add(new SessionEvent("session-resumed", sessionId, t, Map.of("reason", "patient")));
        for (int i = 0; i < slouchAlerts; i++) {
            t += 20_000_000_000L;
            PostureEvent.SlouchAlert a = new PostureEvent.SlouchAlert(t, 31.5, 25.0, 15_000);
            out.add(new SessionEvent(a.type(), sessionId, t, a.data()));
        }
        for (int i = 1; i <= reps; i++) {
            t += 3_000_000_000L;
            PostureEvent.ExerciseRep r = new PostureEvent.ExerciseRep(t, "mckenzie-extension", 1, i, reps, 22.0, 20.0, false);
            out.add(new SessionEvent(r.type(), sessionId, t, r.data()));
        }
        t += 300_000_000_000L;
        out.add(new SessionEvent("session-completed", sessionId, t, Map.of("reason", "completed", "deliveredMs", 540_000L)));
        SessionSummary s = new SessionSummary(sessionId, "conventional", "completed", 600_000, 540_000, 19.2, 21.5, 1234.5,
                480_000, 39.4, 0.0123, 1, 0, List.of(), 10_000, 0, 21.5, null);
        out.add(new SessionEvent("session-summary", sessionId, t, s.toMap()));
        return out;
    }

    /** Journals {@code events} for {@code deviceId} in {@code dir} and returns the published entries (seq + bytes). */
    public static List<Journal.Entry> journal(Path dir, String deviceId, List<SessionEvent> events) throws Exception {
        try (JournalingEventSink sink = JournalingEventSink.open(dir, deviceId, Clock.SYSTEM)) {
            for (SessionEvent e : events) sink.emit(e);
            if (!sink.awaitIdle(Duration.ofSeconds(10))) throw new IllegalStateException("journal did not drain");
            return sink.fetch(1, 100_000);
        }
    }

    /** The topic a journal entry is published on (event or summary). */
    public static String topic(String site, String deviceId, byte[] payload) {
        boolean summary = new String(payload, java.nio.charset.StandardCharsets.UTF_8).contains("\"tensd.session-summary.v1\"");
        return "tensd/v1/" + site + "/" + deviceId + (summary ? "/session/summary" : "/event");
    }
}
