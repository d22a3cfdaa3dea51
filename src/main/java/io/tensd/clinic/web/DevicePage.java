package io.tensd.clinic.web;

import io.tensd.clinic.Adherence;
import io.tensd.clinic.SessionRecord;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * What the device page's template (src/main/jte/device.jte) shows, gathered by {@link Dashboard}: the live row, the
 * command forms (clinicians), the sessions newest first, the adherence calendar and the weekly trends with their charts.
 * The two charts are SVG from io.tensd.report.WeeklyChart, which escapes its own texts.
 */
record DevicePage(String user, String csrf, boolean mayCommand, String deviceId, DeviceView live, List<SessionRecord> sessions,
                  int days, Adherence adherence, List<CalendarWeek> calendar, WeeklyTrends trends, String slouchChart,
                  String repsChart, ZoneId zone) {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    /** One calendar row: Monday and its seven days, null where a day is outside the window. */
    record CalendarWeek(LocalDate monday, List<Adherence.Day> days) { }

    String maxMilliAmps() {
        return String.format(Locale.ROOT, "%.0f", Dashboard.MAX_MILLIAMPS);
    }

    String when(SessionRecord r) {
        return WHEN.format(r.start().atZone(zone));
    }

    /** The day cell's minutes: whole minutes from 10 on, one decimal below; nothing on a day without therapy. */
    static String dayMinutes(Adherence.Day d) {
        if (d.sessions() == 0) return "";
        return String.format(Locale.ROOT, d.therapyMinutes() >= 10 ? "%.0f′" : "%.1f′", d.therapyMinutes());
    }

    static String dayClass(Adherence.Day d) {
        return d.sessions() > 0 ? "therapy" : d.data() ? "data" : "nodata";
    }
}
