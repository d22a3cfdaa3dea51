package io.tensd.clinic.web;

import io.tensd.clinic.SessionRecord;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Posture and exercise per ISO week (Monday first) for the device page: sessions, therapy minutes, slouch alerts, time
 * held slouched before the alerts, exercise repetitions. Every week of the range is listed, empty ones with zeros. Pure.
 */
record WeeklyTrends(List<Week> weeks) {
    record Week(LocalDate monday, int sessions, double therapyMinutes, int slouchAlerts, double slouchMinutes, int exerciseReps) { }

    /** Weeks from the one holding {@code from} to the one holding {@code to}; sessions outside are ignored. */
    static WeeklyTrends of(Collection<SessionRecord> sessions, LocalDate from, LocalDate to, ZoneId zone) {
        LocalDate first = from.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        List<Week> out = new ArrayList<>();
        for (LocalDate m = first; !m.isAfter(to); m = m.plusWeeks(1)) {
            int n = 0;
            double minutes = 0;
            int alerts = 0;
            long heldMs = 0;
            int reps = 0;
            for (SessionRecord r : sessions) {
                LocalDate day = r.start().atZone(zone).toLocalDate();
                if (day.isBefore(from) || day.isAfter(to) || day.isBefore(m) || !day.isBefore(m.plusWeeks(1))) continue;
                n++;
                minutes += r.minutes() == null ? 0 : r.minutes();
                alerts += r.slouchAlerts();
                heldMs += r.slouchHeldMs();
                reps += r.exerciseReps();
            }
            out.add(new Week(m, n, minutes, alerts, heldMs / 60_000.0, reps));
        }
        return new WeeklyTrends(List.copyOf(out));
    }
}
