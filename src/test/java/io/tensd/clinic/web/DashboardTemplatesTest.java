package io.tensd.clinic.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.clinic.Adherence;
import io.tensd.clinic.SessionRecord;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The jte pages (src/main/jte) escape what devices, the database and requests put in them: a device id, program, session
 * id, fault, user name, error or answer holding markup is shown as text, never as markup. The test fails if a template
 * writes such a value unescaped ($unsafe) or the page's escaping is replaced by one that leaves quotes or tags.
 */
class DashboardTemplatesTest {
    private static final String EVIL = "<script>alert(1)</script>\"'";
    private static final String SHOWN = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;";
    private static final ZoneId ZONE = ZoneOffset.UTC;

    private static void escaped(String page, int expectedAtLeast) {
        assertFalse(page.contains("<script>alert"), page);
        int n = page.split(java.util.regex.Pattern.quote(SHOWN), -1).length - 1;
        assertTrue(n >= expectedAtLeast, "escaped value shown " + n + " times, expected at least " + expectedAtLeast + ":\n" + page);
    }

    @Test
    void liveViewEscapesDeviceUserAndDatabaseTexts() {
        DeviceView d = new DeviceView(EVIL, EVIL, false, EVIL, EVIL, EVIL, null, null, null, null, null, null, List.of(EVIL), null);
        Map<String, Object> p = new HashMap<>();
        p.put("user", EVIL);
        p.put("csrf", "tok\"en");
        p.put("devices", List.of(d));
        p.put("databaseError", EVIL);
        String page = Html.render("live.jte", p);
        // data-device, href, link text, state, program, user name, database error (the fault and reason are inside longer texts)
        escaped(page, 7);
        assertTrue(page.contains("name=\"csrf\" value=\"tok&quot;en\""), page);
        assertTrue(page.contains("<script src=\"/static/dashboard.js\"></script>"), page);
        assertTrue(page.contains("<template id=\"row-template\"><tr"), page);
    }

    @Test
    void devicePageEscapesStoredSessionTexts() {
        LocalDate today = LocalDate.of(2026, 3, 10);
        Instant start = today.atStartOfDay(ZONE).toInstant().plusSeconds(3600);
        SessionRecord r = new SessionRecord("dev-1", EVIL, start, start.plusSeconds(600), EVIL, EVIL, 10.0, 12.0, 5.0, 38.0,
                List.of(EVIL), 1, 2, 60_000, 3, 9, true);
        Adherence a = Adherence.compute("dev-1", List.of(Adherence.SessionFacts.of(r)), Set.of(today), today, 30, ZONE);
        DevicePage p = new DevicePage(EVIL, "csrf-1", true, "dev-1", DeviceView.empty("", "dev-1"), List.of(r), 30, a,
                List.of(new DevicePage.CalendarWeek(today.minusDays(1), java.util.Arrays.asList(null, null, null, null, null, null, null))),
                WeeklyTrends.of(List.of(r), a.from(), a.to(), ZONE), "<svg id=\"chart-slouch\"></svg>", "<svg id=\"chart-reps\"></svg>", ZONE);
        String page = Html.render("device.jte", Map.of("p", p));
        // data-session, program, faults, end reason, report link, user name
        escaped(page, 6);
        assertTrue(page.contains("<svg id=\"chart-slouch\"></svg><svg id=\"chart-reps\"></svg>"), "the charts are markup: " + page);
        assertTrue(page.contains("action=\"/devices/dev-1/cmd/set-intensity\""), page);
        assertEquals(4, page.split("name=\"csrf\" value=\"csrf-1\"", -1).length - 1 - 1, page); // 4 command forms + log out
    }

    @Test
    void errorAndAnswerPagesEscapeTheirMessage() {
        escaped(Html.render("error.jte", Map.of("status", 400, "message", EVIL)), 1);
        Map<String, Object> p = new HashMap<>();
        p.put("user", "ana");
        p.put("csrf", "c");
        p.put("deviceId", "dev-1");
        p.put("name", "stop");
        p.put("status", EVIL);
        p.put("reasons", EVIL);
        escaped(Html.render("command.jte", p), 2);
        Map<String, Object> login = new HashMap<>();
        login.put("token", "t");
        login.put("error", EVIL);
        escaped(Html.render("login.jte", login), 1);
    }
}
