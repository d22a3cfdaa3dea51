package io.tensd.clinic.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginLimiterTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void tenFailuresBlockUntilTheOldestLeavesTheWindow() {
        LoginLimiter l = new LoginLimiter();
        for (int i = 0; i < 9; i++) l.failed("10.0.0.1", T0.plusSeconds(i));
        assertEquals(0, l.retryAfterSeconds("10.0.0.1", T0.plusSeconds(9)));
        l.failed("10.0.0.1", T0.plusSeconds(9));
        assertEquals(LoginLimiter.WINDOW.toSeconds() - 10, l.retryAfterSeconds("10.0.0.1", T0.plusSeconds(10)));
        assertEquals(0, l.retryAfterSeconds("10.0.0.2", T0.plusSeconds(10)), "another address is not blocked");
        assertEquals(0, l.retryAfterSeconds("10.0.0.1", T0.plus(LoginLimiter.WINDOW)), "the oldest failure left the window");
    }

    @Test
    void successForgetsFailures() {
        LoginLimiter l = new LoginLimiter();
        for (int i = 0; i < 9; i++) l.failed("a", T0);
        l.succeeded("a");
        l.failed("a", T0);
        assertEquals(0, l.retryAfterSeconds("a", T0));
    }

    @Test
    void rowEscapesWhatTheDeviceSends() {
        DeviceView d = new DeviceView("s", "dev-1", true, null, "<script>alert(1)</script>", "a\"b", null, null, null, null, null, null,
                java.util.List.of("<img src=x>"), null);
        String row = Dashboard.row(d);
        assertTrue(row.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), row);
        assertTrue(row.contains("a&quot;b"), row);
        assertTrue(!row.contains("<script>") && !row.contains("<img"), row);
    }
}
