package io.tensd.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What every plot of the report marks, from the session's events, in minutes of session time: pauses (bands),
 * faults (lines, where the output drops to 0), the patient's button presses (ticks), and when the posture
 * calibration was taken (flexion before it is not a reading of the patient's posture).
 */
record SessionMarks(List<Pause> pauses, List<Point> faults, List<Point> presses, Double calibratedAtMin) {
    record Pause(double fromMin, double toMin, String why) { }

    record Point(double atMin, String what) { }

    static SessionMarks of(SessionRecord r) {
        List<Pause> pauses = new ArrayList<>();
        List<Point> faults = new ArrayList<>();
        List<Point> presses = new ArrayList<>();
        Double calibrated = null;
        Double pausedAt = null;
        String why = "";
        double endMin = r.samples().isEmpty() ? 0 : r.samples().get(r.samples().size() - 1).tMs() / 60_000.0;
        for (JsonNode e : r.events()) {
            double t = e.path("tMs").asLong() / 60_000.0;
            JsonNode d = e.path("data");
            switch (e.path("type").asText()) {
                case "session-paused" -> {
                    if (pausedAt == null) {
                        pausedAt = t;
                        why = d.path("reason").asText("");
                    }
                }
                case "session-resumed", "session-completed", "session-aborted" -> {
                    String reason = d.path("reason").asText("");
                    // the session record may hold only the end of a session a fault ended (fault-raised carries
                    // no session id once the session has gone): its reason names the fault
                    if (reason.startsWith("fault:") && faults.stream().noneMatch(f -> Math.abs(f.atMin() - t) < 1 / 60.0)) {
                        faults.add(new Point(t, reason.substring(6)));
                    }
                    if (pausedAt != null) {
                        pauses.add(new Pause(pausedAt, t, why));
                        pausedAt = null;
                    }
                    endMin = Math.max(endMin, t);
                }
                case "fault-raised" -> faults.add(new Point(t, d.path("code").asText("fault")));
                case "intensity-button" -> presses.add(new Point(t, "patient pressed " + d.path("button").asText("")
                        + ": " + Words.number(d.path("fromMa")) + " → " + Words.number(d.path("toMa")) + " mA"));
                case "posture-calibration" -> {
                    if (d.path("ok").asBoolean(true) && calibrated == null) {
                        calibrated = t;
                    }
                }
                default -> { }
            }
        }
        if (pausedAt != null) {
            pauses.add(new Pause(pausedAt, Math.max(endMin, pausedAt), why));
        }
        return new SessionMarks(List.copyOf(pauses), List.copyOf(faults), List.copyOf(presses), calibrated);
    }

    /** Draws the pauses, faults and presses on {@code c}, with legend entries for those present. */
    void draw(SvgChart c) {
        for (Pause p : pauses) {
            c.vband(p.fromMin(), p.toMin(), "mark-pause");
        }
        for (Point f : faults) {
            c.vline(f.atMin(), "mark-fault", "fault: " + f.what());
        }
        for (Point p : presses) {
            c.tick(p.atMin(), "mark-press", p.what());
        }
        if (!pauses.isEmpty()) {
            c.legendBox("mark-pause", "paused");
        }
        if (!faults.isEmpty()) {
            c.legendBox("mark-fault-box", "fault");
        }
        if (!presses.isEmpty()) {
            c.legendBox("mark-press-box", "patient button");
        }
    }
}
