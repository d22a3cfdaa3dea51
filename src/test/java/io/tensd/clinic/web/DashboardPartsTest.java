package io.tensd.clinic.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensd.clinic.SessionRecord;
import io.tensd.clinic.store.SessionDetails;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dashboard's pure parts: the latched-fault fold, input bounds, weekly trends, the stored report's session time. */
class DashboardPartsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] telemetry(long monoMs, String... faults) {
        StringBuilder f = new StringBuilder();
        for (String x : faults) f.append(f.length() == 0 ? "" : ",").append('"').append(x).append('"');
        return ("{\"sessionId\":\"s1\",\"ts\":\"2026-03-02T10:00:00Z\",\"monoMs\":" + monoMs + ",\"state\":\"ACTIVE\",\"faults\":[" + f + "]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aFaultRaisedEventShowsAtOnceAndOlderTelemetryDoesNotHideIt() throws Exception {
        try (LiveFeed feed = new LiveFeed("tcp://127.0.0.1:1", "parts", Clock.systemUTC())) {
            String t = "tensd/v1/w/d1/";
            feed.accept(t + "telemetry", telemetry(1000));
            assertEquals(List.of(), feed.device("d1").orElseThrow().faults());
            feed.accept(t + "event", "{\"type\":\"fault-raised\",\"monoMs\":1500,\"data\":{\"code\":\"estop\"}}".getBytes(StandardCharsets.UTF_8));
            assertEquals(List.of("estop"), feed.device("d1").orElseThrow().faults(), "shown from the event, before any telemetry lists it");
            feed.accept(t + "telemetry", telemetry(1400)); // made before the latch, arrived after the event
            assertEquals(List.of("estop"), feed.device("d1").orElseThrow().faults(), "older telemetry must not hide a latched fault");
            feed.accept(t + "telemetry", telemetry(2000, "estop"));
            assertEquals(List.of("estop"), feed.device("d1").orElseThrow().faults());
            feed.accept(t + "telemetry", telemetry(3000)); // cleared on the device: newer telemetry decides
            assertEquals(List.of(), feed.device("d1").orElseThrow().faults());
            feed.accept(t + "event", "{\"type\":\"session-paused\",\"monoMs\":3100,\"data\":{}}".getBytes(StandardCharsets.UTF_8));
            assertEquals(List.of(), feed.device("d1").orElseThrow().faults());
        }
    }

    @Test
    void setIntensityAndCalendarInputsAreBounded() {
        assertEquals(12.5, Dashboard.milliAmps("12.5"));
        assertEquals(0.0, Dashboard.milliAmps("0"));
        assertEquals(100.0, Dashboard.milliAmps(" 100 "));
        for (String bad : new String[] {null, "", " ", "-1", "100.01", "NaN", "Infinity", "1e3", "12mA", "9".repeat(20), "0x10"}) {
            Dashboard.WebError e = assertThrows(Dashboard.WebError.class, () -> Dashboard.milliAmps(bad), String.valueOf(bad));
            assertEquals(400, e.status);
            assertTrue(e.getMessage().contains("nothing was sent"), e.getMessage());
        }
        assertEquals(30, Dashboard.calendarDays(null));
        assertEquals(90, Dashboard.calendarDays("90"));
        for (String bad : new String[] {"7", "abc", "-30", "30.0", "91"}) {
            assertEquals(400, assertThrows(Dashboard.WebError.class, () -> Dashboard.calendarDays(bad)).status);
        }
    }

    private static SessionRecord session(String start, double minutes, int alerts, long heldMs, int reps) {
        return new SessionRecord("d1", start, Instant.parse(start), null, "completed", "p", minutes, 10.0, 0.0, 36.0, List.of(), 0,
                alerts, heldMs, reps, 10, true);
    }

    @Test
    void weeklyTrendsSumPerIsoWeekAndListEmptyWeeks() {
        // 2026-03-02 is a Monday
        List<SessionRecord> s = List.of(session("2026-03-02T08:00:00Z", 20, 2, 90_000, 10), session("2026-03-08T20:00:00Z", 10, 1, 30_000, 5),
                session("2026-03-16T08:00:00Z", 30, 0, 0, 12), session("2026-02-20T08:00:00Z", 99, 9, 9, 9));
        WeeklyTrends t = WeeklyTrends.of(s, LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-17"), ZoneOffset.UTC);
        assertEquals(List.of(LocalDate.parse("2026-02-23"), LocalDate.parse("2026-03-02"), LocalDate.parse("2026-03-09"), LocalDate.parse("2026-03-16")),
                t.weeks().stream().map(WeeklyTrends.Week::monday).toList());
        assertEquals(new WeeklyTrends.Week(LocalDate.parse("2026-02-23"), 0, 0, 0, 0, 0), t.weeks().get(0), "before the range: not counted");
        assertEquals(new WeeklyTrends.Week(LocalDate.parse("2026-03-02"), 2, 30, 3, 2.0, 15), t.weeks().get(1));
        assertEquals(new WeeklyTrends.Week(LocalDate.parse("2026-03-09"), 0, 0, 0, 0, 0), t.weeks().get(2));
        assertEquals(new WeeklyTrends.Week(LocalDate.parse("2026-03-16"), 1, 30, 0, 0, 12), t.weeks().get(3));
    }

    @Test
    void storedReportCountsSessionTimeFromSessionStarted() throws Exception {
        Instant t0 = Instant.parse("2026-03-02T10:00:00Z");
        List<SessionDetails.Event> ev = List.of(
                new SessionDetails.Event(7, "session-started", t0, 5_000, JSON.readTree("{\"program\":\"p\",\"targetMa\":10}")),
                new SessionDetails.Event(8, "fault-raised", t0.plusSeconds(3), 8_000, JSON.readTree("{\"code\":\"estop\"}")),
                new SessionDetails.Event(9, "session-summary", t0.plusSeconds(4), 9_000, JSON.readTree("{\"maxMa\":9.5,\"endReason\":\"fault:estop\"}")));
        List<SessionDetails.Sample> rows = List.of(new SessionDetails.Sample("d1", "s1", 6_000, t0.plusSeconds(1), "ACTIVE", 9.0, 8.9, null, null,
                null, null, 33.0, 31.0, 40.0, null, null, ""));
        io.tensd.report.SessionRecord r = StoredReport.record("d1", "s1", ev, rows);
        assertEquals(List.of(0L, 3000L), r.events().stream().map(e -> e.get("tMs").asLong()).toList());
        assertEquals(1000L, r.samples().get(0).tMs());
        assertTrue(Double.isNaN(r.samples().get(0).pulseUs()));
        assertEquals(9.5, r.summary().get("maxMa").asDouble());
        assertEquals("s1", r.sessionId());
        String html = io.tensd.report.HtmlReport.render(r, io.tensd.report.ReportFigures.of(r, 20), "test");
        assertTrue(html.contains("estop"), html);
    }
}
