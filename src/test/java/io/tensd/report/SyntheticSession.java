package io.tensd.report;

import io.tensd.loop.StatusSnapshot;
import io.tensd.session.SessionEvent;
import io.tensd.session.SessionSummary;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A made-up 10-minute session fed through {@link SessionRecorder} every 10 ms, with known posture: the
 * patient slouches (flexion 35°) from minute 3 to minute 5 and stands at 5° otherwise; heat on from the
 * start; one pause at minute 6 for 30 s.
 */
public final class SyntheticSession {
    public static final String ID = "syn-0001";
    public static final long START = 5_000_000_000L;
    public static final int SECONDS = 600;
    /** Samples with flexion above 20°: minute 3 to 5. */
    public static final int SLOUCH_SECONDS = 120;

    private SyntheticSession() { }

    public static double flexion(long tMs) {
        return tMs >= 180_000 && tMs < 300_000 ? 35 : 5;
    }

    public static Path write(Path base) {
        try (SessionRecorder rec = new SessionRecorder(base, "tensd-test-007", 41.0)) {
            feed(rec);
            rec.flush(5000);
            return rec.sessionDir(ID);
        }
    }

    static void feed(SessionRecorder rec) {
        rec.event(new SessionEvent("session-started", ID, START, Map.of("program", "conventional", "targetMa", 20.0,
                "maxMa", 25.0, "pulseWidthUs", 150, "frequencyHz", 100.0, "durationMin", 10, "heatSetpointC", 40.0)));
        for (long tMs = 0; tMs <= SECONDS * 1000L; tMs += 10) {
            long now = START + tMs * 1_000_000L;
            boolean paused = tMs >= 360_000 && tMs < 390_000;
            String state = tMs < 10_000 ? "RAMP_UP" : paused ? "PAUSED" : tMs < 590_000 ? "ACTIVE" : "RAMP_DOWN";
            double ma = paused ? 0 : tMs < 10_000 ? tMs / 500.0 : tMs < 590_000 ? 20 : Math.max(0, (600_000 - tMs) / 500.0);
            double skin = 33 + 6.5 * (1 - Math.exp(-tMs / 120_000.0));
            double flex = flexion(tMs);
            rec.sample(now, new StatusSnapshot(now, ID, state, "conventional", true, ma, ma * 0.98, 150, 100, 1200,
                    true, 0.4, 40.0, skin, skin + 3, flex, flex > 20 ? "flexed" : "upright", tMs, 600_000, 80,
                    List.of()));
            if (tMs == 360_000) {
                rec.event(new SessionEvent("session-paused", ID, now, Map.of("reason", "patient")));
            }
            if (tMs == 390_000) {
                rec.event(new SessionEvent("session-resumed", ID, now, Map.of("reason", "patient")));
            }
        }
        long end = START + SECONDS * 1000L * 1_000_000L;
        SessionSummary s = new SessionSummary(ID, "conventional", "completed", 600_000, 570_000, 19.4, 20.0,
                171_000.0, 600_000, 39.41, 0.0123, 1, 0, List.of());
        rec.event(new SessionEvent("session-completed", ID, end, Map.of("reason", "completed", "deliveredMs", 570_000L)));
        rec.event(new SessionEvent("session-summary", ID, end, s.toMap()));
    }
}
