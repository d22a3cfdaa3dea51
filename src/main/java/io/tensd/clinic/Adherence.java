package io.tensd.clinic;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adherence of one device over the last {@code days} days (today included), in the clinic's time zone. Pure.
 * Remote therapeutic monitoring counts days with device data: at least {@value #RTM_REQUIRED_DAYS} of every
 * {@value #RTM_WINDOW_DAYS}; that figure is always computed over the last 30 days, whatever {@code days} is.
 */
public record Adherence(String deviceId, LocalDate from, LocalDate to, int sessions, double therapyMinutes,
                        int daysWithData, int slouchAlerts, int exerciseReps, Rtm rtm, List<Day> perDay, List<Week> perWeek) {
    public static final int RTM_WINDOW_DAYS = 30;
    public static final int RTM_REQUIRED_DAYS = 16;

    public record Day(LocalDate date, int sessions, double therapyMinutes, boolean data) { }

    /** @param weekStart the Monday of the (ISO) week; the first and last week may be partial */
    public record Week(LocalDate weekStart, int sessions, double therapyMinutes, int daysWithData) { }

    public record Rtm(int windowDays, int daysWithData, int requiredDays, boolean met) { }

    /** What adherence needs of a session. */
    public record SessionFacts(Instant start, Double minutes, int slouchAlerts, int exerciseReps) {
        public static SessionFacts of(SessionRecord r) {
            return new SessionFacts(r.start(), r.minutes(), r.slouchAlerts(), r.exerciseReps());
        }
    }

    /**
     * @param dataDays dates (in {@code zone}) on which the device stored any event; may extend beyond the window
     */
    public static Adherence compute(String deviceId, Collection<SessionFacts> sessions, Set<LocalDate> dataDays,
                                    LocalDate today, int days, ZoneId zone) {
        if (days < 1) throw new IllegalArgumentException("days must be at least 1");
        LocalDate from = today.minusDays(days - 1L);
        Map<LocalDate, double[]> byDay = new LinkedHashMap<>();
        for (LocalDate d = from; !d.isAfter(today); d = d.plusDays(1)) byDay.put(d, new double[2]);
        int slouch = 0;
        int reps = 0;
        for (SessionFacts s : sessions) {
            double[] acc = byDay.get(s.start().atZone(zone).toLocalDate());
            if (acc == null) continue;
            acc[0]++;
            acc[1] += s.minutes() == null ? 0 : s.minutes();
            slouch += s.slouchAlerts();
            reps += s.exerciseReps();
        }
        List<Day> perDay = new ArrayList<>();
        Map<LocalDate, Week> weeks = new LinkedHashMap<>();
        int total = 0;
        double minutes = 0;
        int withData = 0;
        for (Map.Entry<LocalDate, double[]> e : byDay.entrySet()) {
            boolean data = dataDays.contains(e.getKey()) || e.getValue()[0] > 0;
            Day d = new Day(e.getKey(), (int) e.getValue()[0], round2(e.getValue()[1]), data);
            perDay.add(d);
            total += d.sessions();
            minutes += e.getValue()[1];
            if (data) withData++;
            LocalDate monday = e.getKey().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            Week w = weeks.getOrDefault(monday, new Week(monday, 0, 0, 0));
            weeks.put(monday, new Week(monday, w.sessions() + d.sessions(), round2(w.therapyMinutes() + e.getValue()[1]),
                    w.daysWithData() + (data ? 1 : 0)));
        }
        int rtmDays = 0;
        for (LocalDate d = today.minusDays(RTM_WINDOW_DAYS - 1L); !d.isAfter(today); d = d.plusDays(1)) {
            if (dataDays.contains(d)) rtmDays++;
        }
        return new Adherence(deviceId, from, today, total, round2(minutes), withData, slouch, reps,
                new Rtm(RTM_WINDOW_DAYS, rtmDays, RTM_REQUIRED_DAYS, rtmDays >= RTM_REQUIRED_DAYS), perDay,
                new ArrayList<>(weeks.values()));
    }

    private static double round2(double v) { return Math.round(v * 100) / 100.0; }
}
