package io.tensd.clinic.bench;

import io.tensd.posture.PostureEvent;
import io.tensd.session.SessionEvent;
import io.tensd.session.SessionSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The events one therapy session journals, at their session times, built from the device's own event classes:
 * started, a patient pause, a slouch alert every 20 s (posture training), a McKenzie set of 10 repetitions,
 * completed and the summary. A 10-minute session is 38 events.
 */
public final class SessionScript {
    private SessionScript() { }

    /** An event and when (ms after the session start) the device emits it. */
    public record Timed(long atMillis, SessionEvent event) { }

    public static List<Timed> session(String sessionId, long minutes) {
        long len = minutes * 60_000L;
        List<Timed> out = new ArrayList<>();
        Map<String, Object> started = new LinkedHashMap<>();
        started.put("program", "conventional");
        started.put("targetMa", 22.0);
        started.put("maxMa", 35.0);
        started.put("pulseWidthUs", 200);
        started.put("frequencyHz", 80);
        started.put("durationMin", minutes);
        started.put("heatSetpointC", 39.0);
        started.put("heatMode", "constant");
        started.put("habituation", false);
        started.put("screening", "clinician");
        out.add(at(0, new SessionEvent("session-started", sessionId, 0, started)));
        long pause = len * 3 / 10;
        out.add(at(pause, new SessionEvent("session-paused", sessionId, ns(pause), Map.of("reason", "patient"))));
        out.add(at(pause + 10_000, new SessionEvent("session-resumed", sessionId, ns(pause + 10_000), Map.of("reason", "patient"))));
        for (long t = 20_000; t < len * 8 / 10; t += 20_000) {
            PostureEvent.SlouchAlert a = new PostureEvent.SlouchAlert(ns(t), 28.0 + (t / 1000 % 7), 25.0, 15_000);
            out.add(at(t + 1, new SessionEvent(a.type(), sessionId, ns(t), a.data())));
        }
        long reps0 = len * 8 / 10;
        for (int i = 1; i <= 10; i++) {
            long t = reps0 + i * 4_000L;
            PostureEvent.ExerciseRep r = new PostureEvent.ExerciseRep(ns(t), "mckenzie-extension", 1, i, 10, 21.0 + i % 3, 20.0, false);
            out.add(at(t, new SessionEvent(r.type(), sessionId, ns(t), r.data())));
        }
        long delivered = len - 10_000;
        out.add(at(len, new SessionEvent("session-completed", sessionId, ns(len), Map.of("reason", "completed", "deliveredMs", delivered))));
        SessionSummary s = new SessionSummary(sessionId, "conventional", "completed", len, delivered, 21.6, 22.0, 1234.5,
                len * 9 / 10, 39.2, 0.012, 1, 0, List.of(), 10_000, 0, 22.0, null);
        out.add(at(len, new SessionEvent("session-summary", sessionId, ns(len), s.toMap())));
        out.sort(java.util.Comparator.comparingLong(Timed::atMillis));
        return out;
    }

    private static Timed at(long ms, SessionEvent e) { return new Timed(ms, e); }

    private static long ns(long ms) { return ms * 1_000_000L; }
}
