package io.tensd.clinic.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.clinic.ClinicMosquitto;
import io.tensd.clinic.TestPg;
import io.tensd.clinic.http.ClinicApi;
import io.tensd.clinic.store.ClinicDb;
import io.tensd.clinic.store.ClinicStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in Debian's headless Chromium against a real mosquitto and PostgreSQL: log in, a device row updates
 * live (no reload) when its MQTT telemetry changes, a latched fault appears in red, a clinician's pause reaches the
 * device and its answer is shown, the viewer and a forged POST without CSRF token are refused (nothing sent), and
 * ten wrong passwords are rate limited. Screenshots under target/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
    static ClinicMosquitto broker;
    static ClinicDb db;
    static LiveFeed feed;
    static ClinicApi api;
    static FakeDevice device;
    static WebDriver browser;
    static Path profile;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        broker = new ClinicMosquitto();
        db = ClinicDb.open(TestPg.freshDatabase(), 4);
        ClinicStore store = new ClinicStore(db.dataSource());
        Path usersFile = Files.createTempFile("tensd-users-", ".txt");
        Files.writeString(usersFile, "# test users\nanna clinician " + Users.hash("anna-secret") + "\nvictor viewer " + Users.hash("victor-secret") + "\n");
        Users users = Users.load(usersFile);
        feed = new LiveFeed(broker.url(), "dash-test", Clock.systemUTC()).start(Duration.ofSeconds(10));
        Dashboard dashboard = new Dashboard(users, store, feed, Clock.systemUTC(), ZoneOffset.UTC);
        api = new ClinicApi(store, null, Clock.systemUTC(), ZoneOffset.UTC, dashboard::routes).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + api.port();
        device = new FakeDevice(broker.url(), "ward-3", "dev-1");

        profile = Files.createTempDirectory("tensd-chromium-");
        browser = DashboardDeviceBrowserTest.chromium(profile); // the same headless Debian chromium
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.quit();
        if (device != null) device.close();
        if (api != null) api.close();
        if (feed != null) feed.close();
        if (db != null) db.close();
        if (broker != null) broker.close();
    }

    @Test
    @Order(1)
    void clinicianSeesLiveUpdatesAndPausesViewerAndForgeryAreRefused() throws Exception {
        device.status("online");
        device.birth(40.0);
        device.telemetry("running", 10.0, 9.8, 36.2, 0.35, List.of());

        login("anna", "anna-secret");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(5));
        wait.until(d -> text("tr[data-device='dev-1'] td.state").equals("running"));
        assertEquals("online", text("tr[data-device='dev-1'] td.link"));
        assertEquals("36.2 °C / 40.0 °C", text("tr[data-device='dev-1'] td.skin"));
        assertEquals("35 %", text("tr[data-device='dev-1'] td.duty"));

        // a marker in the page's JS state survives only if the page is not reloaded
        js().executeScript("window.tensdMarker = 'same-page';");
        long sent = System.nanoTime();
        device.telemetry("paused", 12.0, 0.0, 36.4, 0.0, List.of());
        wait.until(d -> text("tr[data-device='dev-1'] td.state").equals("paused"));
        long shownMs = (System.nanoTime() - sent) / 1_000_000;
        assertEquals("12.0 / 0.0 mA", text("tr[data-device='dev-1'] td.ma"));
        device.telemetry("fault", 0.0, 0.0, 40.3, 0.0, List.of("skin-over-ceiling"));
        wait.until(d -> !browser.findElements(By.cssSelector("tr[data-device='dev-1'] li.fault")).isEmpty());
        assertEquals("skin-over-ceiling: skin temperature at or above the ceiling", text("tr[data-device='dev-1'] li.fault"));
        assertTrue(browser.findElement(By.cssSelector("tr[data-device='dev-1'] td.skin")).getAttribute("class").contains("hot"));
        assertEquals("same-page", js().executeScript("return window.tensdMarker;"), "the live view reloaded instead of updating in place");
        System.out.println("live update: telemetry published -> visible in the page in " + shownMs + " ms");
        screenshot("dashboard-live.png");

        // forged POST: the session cookie rides along, the CSRF token does not
        Object forged = js().executeAsyncScript("var done = arguments[0]; fetch('/devices/dev-1/cmd/pause', {method: 'POST'})"
                + ".then(function (r) { return r.text().then(function (t) { done(r.status + ' ' + t); }); });");
        assertTrue(forged.toString().startsWith("403 "), forged.toString());
        assertTrue(forged.toString().contains("CSRF"), forged.toString());
        assertTrue(device.commands.isEmpty(), "a forged POST reached the device: " + device.commands);

        // clinician: pause from the device page, the device's answer is shown
        browser.findElement(By.cssSelector("tr[data-device='dev-1'] td.id a")).click();
        wait.until(d -> !browser.findElements(By.id("cmd-pause")).isEmpty());
        browser.findElement(By.id("cmd-pause")).click();
        wait.until(d -> !browser.findElements(By.id("answer")).isEmpty());
        assertEquals("accepted", text("#answer"));
        assertEquals(1, device.commands.size());
        assertTrue(device.commands.get(0).startsWith("tensd/v1/ward-3/dev-1/cmd/pause "), device.commands.get(0));
        screenshot("dashboard-command.png");

        // viewer: no buttons, and a POST with a valid CSRF token is still refused
        browser.findElement(By.cssSelector("header form button")).click();
        login("victor", "victor-secret");
        browser.get(base + "/devices/dev-1");
        assertTrue(browser.findElements(By.id("cmd-pause")).isEmpty(), "the viewer sees command buttons");
        Object refused = js().executeAsyncScript("var done = arguments[0]; var t = document.querySelector('input[name=csrf]').value;"
                + "fetch('/devices/dev-1/cmd/pause', {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'},"
                + " body: 'csrf=' + encodeURIComponent(t)}).then(function (r) { return r.text().then(function (x) { done(r.status + ' ' + x); }); });");
        assertTrue(refused.toString().startsWith("403 "), refused.toString());
        assertTrue(refused.toString().contains("viewer role may not send commands"), refused.toString());
        Thread.sleep(200);
        assertEquals(1, device.commands.size(), "the viewer's command reached the device");
    }

    /** Last: it blocks logins from 127.0.0.1, the browser's address too. */
    @Test
    @Order(2)
    void tenWrongPasswordsAreRateLimited() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/login")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher tok = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page.body());
        assertTrue(tok.find());
        String cookie = Dashboard.LOGIN_COOKIE + "=" + tok.group(1);
        // wrong name and a guessed password: 401 ten times
        for (int i = 0; i < LoginLimiter.MAX_FAILURES; i++) {
            assertEquals(401, post(http, cookie, "csrf=" + tok.group(1) + "&user=mallory-" + i + "&password=guess" + i).statusCode());
        }
        // then even the right password is refused until the window passes
        HttpResponse<String> r = post(http, cookie, "csrf=" + tok.group(1) + "&user=anna&password=anna-secret");
        assertEquals(429, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Retry-After").isPresent());
        // a login POST without its CSRF token is refused before the password is looked at
        assertEquals(403, post(http, "x=y", "user=anna&password=anna-secret").statusCode());
    }

    private HttpResponse<String> post(HttpClient http, String cookie, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/login")).header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void login(String user, String password) {
        browser.get(base + "/");
        assertTrue(browser.getCurrentUrl().endsWith("/login"), "not sent to the login page: " + browser.getCurrentUrl());
        browser.findElement(By.id("user")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("submit")).click();
        try {
            new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> !d.findElements(By.id("devices")).isEmpty());
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("login as " + user + " did not reach the live view: " + browser.getCurrentUrl() + "\n" + browser.getPageSource(), e);
        }
        String cookies = browser.manage().getCookieNamed(Dashboard.SESSION_COOKIE).toString();
        assertTrue(browser.manage().getCookieNamed(Dashboard.SESSION_COOKIE).isHttpOnly(), cookies);
        assertEquals("Strict", browser.manage().getCookieNamed(Dashboard.SESSION_COOKIE).getSameSite(), cookies);
    }

    private String text(String css) {
        return Browser.text(browser, css);
    }

    private JavascriptExecutor js() {
        return (JavascriptExecutor) browser;
    }

    private static void screenshot(String name) throws Exception {
        Browser.screenshot(browser, name);
    }

    /** A device on the broker: retained status, birth, telemetry, and a pause/resume/stop handler that answers "accepted". */
    static final class FakeDevice implements AutoCloseable {
        final MqttAsyncClient client;
        final String prefix;
        final String id;
        final List<String> commands = new CopyOnWriteArrayList<>();
        int seq;

        FakeDevice(String url, String site, String id) throws Exception {
            this.id = id;
            this.prefix = "tensd/v1/" + site + "/" + id + "/";
            client = new MqttAsyncClient(url, "fake-" + id, new MemoryPersistence());
            client.setCallback(new MqttCallback() {
                @Override
                public void messageArrived(String topic, MqttMessage m) throws MqttException {
                    String body = new String(m.getPayload(), StandardCharsets.UTF_8);
                    commands.add(topic + " " + body);
                    Matcher cid = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(body);
                    if (!cid.find() || m.getProperties().getResponseTopic() == null) return;
                    MqttMessage answer = new MqttMessage(("{\"schema\":\"tensd.cmd-response.v1\",\"deviceId\":\"" + id + "\",\"sessionId\":null,"
                            + "\"ts\":\"" + Instant.now() + "\",\"monoMs\":1,\"id\":\"" + cid.group(1) + "\",\"command\":\"pause\","
                            + "\"status\":\"accepted\",\"reasons\":[],\"duplicate\":false}").getBytes(StandardCharsets.UTF_8));
                    answer.setQos(1);
                    MqttProperties p = new MqttProperties();
                    p.setCorrelationData(m.getProperties().getCorrelationData());
                    answer.setProperties(p);
                    client.publish(m.getProperties().getResponseTopic(), answer);
                }

                @Override public void disconnected(MqttDisconnectResponse r) { }
                @Override public void mqttErrorOccurred(MqttException e) { }
                @Override public void deliveryComplete(IMqttToken t) { }
                @Override public void connectComplete(boolean reconnect, String uri) { }
                @Override public void authPacketArrived(int code, MqttProperties p) { }
            });
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(true);
            client.connect(o).waitForCompletion(5000);
            client.subscribe(new MqttSubscription[] {new MqttSubscription(prefix + "cmd/#", 1)}, null, null, new MqttProperties())
                    .waitForCompletion(5000);
        }

        void publish(String sub, String json, int qos, boolean retained) throws MqttException {
            MqttMessage m = new MqttMessage(json.getBytes(StandardCharsets.UTF_8));
            m.setQos(qos);
            m.setRetained(retained);
            client.publish(prefix + sub, m).waitForCompletion(5000);
        }

        String head(String schema) {
            return "{\"schema\":\"" + schema + "\",\"deviceId\":\"" + id + "\",\"sessionId\":\"s-1\",\"ts\":\"" + Instant.now() + "\",\"monoMs\":1";
        }

        void status(String state) throws MqttException {
            publish("status", head("tensd.status.v1") + ",\"state\":\"" + state + "\",\"reason\":\"connected\"}", 1, true);
        }

        void birth(double ceiling) throws MqttException {
            publish("birth", head("tensd.birth.v1") + ",\"device\":{\"config\":{\"skinCeilingCelsius\":" + ceiling + "}},"
                    + "\"journal\":{\"lastSeq\":0,\"ackedSeq\":0}}", 1, true);
        }

        void telemetry(String state, double setMa, double measuredMa, double skinC, double duty, List<String> faults) throws MqttException {
            StringBuilder f = new StringBuilder();
            for (String x : faults) f.append(f.length() == 0 ? "" : ",").append('"').append(x).append('"');
            publish("telemetry", head("tensd.telemetry.v1") + ",\"telemetrySeq\":" + (++seq) + ",\"state\":\"" + state + "\",\"program\":\"lumbar-a\","
                    + "\"intensitySetMilliAmps\":" + setMa + ",\"intensityMeasuredMilliAmps\":" + measuredMa + ",\"heaterDuty\":" + duty
                    + ",\"skinCelsius\":" + skinC + ",\"padCelsius\":38.0,\"postureAngleDeg\":null,\"postureClass\":null,\"faults\":[" + f + "]}", 0, false);
        }

        @Override
        public void close() throws MqttException {
            client.disconnect().waitForCompletion(2000);
            client.close();
        }
    }
}
