package io.tensd.clinic.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.tensd.clinic.http.ClinicApi;
import io.tensd.clinic.store.ClinicStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An idle login session expires after 30 minutes: pages send the browser to the login page, a POST is a 401. */
class DashboardSessionExpiryTest {
    @TempDir
    Path tmp;

    /** A clock the test moves. */
    static final class Moving extends Clock {
        volatile Instant now = Instant.parse("2026-03-02T10:00:00Z");

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    @Test
    void anIdleSessionExpiresAndAUsedOneDoesNot() throws Exception {
        Moving clock = new Moving();
        ClinicStore store = mock(ClinicStore.class);
        when(store.devices()).thenReturn(List.of());
        Path users = tmp.resolve("users");
        Files.writeString(users, "anna clinician " + Users.hash("anna-secret") + "\n");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build(); // never follows redirects
        try (LiveFeed feed = new LiveFeed("tcp://127.0.0.1:1", "expiry-test", clock);
             ClinicApi api = new ClinicApi(store, null, clock, ZoneOffset.UTC,
                     new Dashboard(Users.load(users), store, feed, clock, ZoneOffset.UTC)::routes).start("127.0.0.1", 0)) {
            String base = "http://127.0.0.1:" + api.port();
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/login")).build(), HttpResponse.BodyHandlers.ofString());
            Matcher tok = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page.body());
            assertTrue(tok.find());
            HttpResponse<String> in = http.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                    .header("Cookie", Dashboard.LOGIN_COOKIE + "=" + tok.group(1)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("csrf=" + tok.group(1) + "&user=anna&password=anna-secret")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(302, in.statusCode(), in.body());
            String session = in.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(Dashboard.SESSION_COOKIE + "="))
                    .findFirst().orElseThrow().split(";")[0];

            clock.now = clock.now.plus(Duration.ofMinutes(29));
            assertEquals(200, get(http, base + "/", session).statusCode(), "29 minutes idle: still logged in (and the idle time restarts)");
            clock.now = clock.now.plus(Duration.ofMinutes(29));
            assertEquals(200, get(http, base + "/", session).statusCode(), "58 minutes after login but used 29 minutes ago");
            clock.now = clock.now.plus(WebSessions.IDLE);
            HttpResponse<String> expired = get(http, base + "/", session);
            assertEquals(302, expired.statusCode());
            assertEquals("/login", expired.headers().firstValue("Location").orElseThrow());
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/devices/d1/cmd/pause")).header("Cookie", session)
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("csrf=x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, post.statusCode());
            assertTrue(post.body().contains("the session expired"), post.body());
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url, String cookie) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
    }
}
