package io.tensd.clinic.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensd.clinic.ClinicMosquitto;
import io.tensd.clinic.TestPg;
import io.tensd.clinic.http.ClinicApi;
import io.tensd.clinic.store.ClinicDb;
import io.tensd.clinic.store.ClinicStore;
import io.tensd.config.DeviceConfig;
import io.tensd.loop.StatusSnapshot;
import io.tensd.session.CommandOutcome;
import io.tensd.telemetry.JournalingEventSink;
import io.tensd.telemetry.TelemetryService;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;
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
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Page load and live-update latency of the dashboard with N devices on one page (not a test: prints figures).
 * Every device is a real reporting stack (journal + {@link TelemetryService}, 1 Hz telemetry) on mosquitto; the
 * dashboard (live feed, SSE, PostgreSQL store) serves headless Chromium. Each round changes every device's state at a
 * random moment; the page stamps (Date.now(), same host clock) when each row first shows it. Figures:
 * <ul><li>state change → visible: what a clinician waits for (includes waiting for the next 1 Hz telemetry);</li>
 * <li>telemetry sent (its {@code ts}) → visible: the dashboard's own part (broker, feed, SSE, script).</li></ul>
 * Refuses to print a figure unless N devices published telemetry during the run and the page showed N live rows.
 * <p>{@code java -cp $CP io.tensd.clinic.web.DashboardBench [devices=50] [rounds=20] [pageLoads=20]}
 */
public final class DashboardBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A device's reporting stack whose state the bench changes. */
    static final class Device implements AutoCloseable {
        final String id;
        volatile String state = "IDLE";
        final JournalingEventSink sink;
        final TelemetryService service;

        Device(String id, String url, Path journal) throws Exception {
            this.id = id;
            sink = JournalingEventSink.open(journal, id, io.tensd.loop.Clock.SYSTEM);
            DeviceConfig.Broker b = new DeviceConfig.Broker(url, null, null, null, null, null, 10, 1000);
            service = TelemetryService.builder("bench", id, b).events(sink)
                    .status(() -> new StatusSnapshot(System.nanoTime(), id + "-s1", state, "conventional", true, 12, 11.9, 200, 80, 1500,
                            false, 0, Double.NaN, 34.0, 34.0, 5.0, "neutral", 0, 1_800_000, 90, List.of()))
                    .commands((cmd, reply) -> reply.accept(CommandOutcome.rejected("bench device")))
                    .birth(() -> Map.of("mode", "bench", "config", Map.of("skinCeilingCelsius", 40.0))).build();
            service.start();
        }

        @Override
        public void close() throws Exception {
            service.stop();
            sink.close();
        }
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int loads = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Path tmp = Files.createTempDirectory("tensd-dash-bench-");
        System.out.printf("DashboardBench: %d devices, %d rounds, %d page loads; load average %.2f%n", n, rounds, loads, load());
        List<AutoCloseable> open = new ArrayList<>();
        WebDriver browser = null;
        try {
            ClinicMosquitto broker = new ClinicMosquitto();
            open.add(0, broker);
            ClinicDb db = ClinicDb.open(TestPg.freshDatabase(), 4);
            open.add(0, db);
            ClinicStore store = new ClinicStore(db.dataSource());
            Path users = tmp.resolve("users");
            Files.writeString(users, "anna clinician " + Users.hash("anna-secret") + "\n");
            LiveFeed feed = new LiveFeed(broker.url(), "dash-bench", Clock.systemUTC()).start(Duration.ofSeconds(10));
            open.add(0, feed);
            Dashboard dashboard = new Dashboard(Users.load(users), store, feed, Clock.systemUTC(), ZoneOffset.UTC);
            ClinicApi api = new ClinicApi(store, null, Clock.systemUTC(), ZoneOffset.UTC, dashboard::routes).start("127.0.0.1", 0);
            open.add(0, api);
            String base = "http://127.0.0.1:" + api.port();

            // the observer: which devices publish, and when each sent its first telemetry with a given state
            Map<String, Long> sentAt = new ConcurrentHashMap<>();
            Map<String, Long> lastTelemetry = new ConcurrentHashMap<>();
            MqttAsyncClient observer = observer(broker.url(), sentAt, lastTelemetry);
            open.add(0, () -> { observer.disconnect().waitForCompletion(2000); observer.close(); });

            List<Device> devices = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Device d = new Device(String.format("bench-%03d", i), broker.url(), tmp.resolve("j" + i));
                devices.add(d);
                open.add(0, d);
            }
            for (Device d : devices) {
                if (!d.service.awaitConnected(Duration.ofSeconds(30))) throw new IllegalStateException(d.id + " did not connect");
            }

            browser = DashboardDeviceBrowserTest.chromium(tmp.resolve("chromium"));
            WebDriver b = browser;
            JavascriptExecutor js = (JavascriptExecutor) b;
            b.get(base + "/");
            b.findElement(By.id("user")).sendKeys("anna");
            b.findElement(By.id("password")).sendKeys("anna-secret");
            b.findElement(By.id("submit")).click();
            new WebDriverWait(b, Duration.ofSeconds(15)).until(x -> !x.findElements(By.id("devices")).isEmpty());

            // page load: navigation timing of "/" with every device on it, then the time until all N rows are live
            Histogram load = new Histogram(3);
            Histogram live = new Histogram(3);
            for (int i = 0; i < loads + 2; i++) {
                b.navigate().refresh();
                long t0 = System.currentTimeMillis();
                new WebDriverWait(b, Duration.ofSeconds(10)).until(x -> liveRows(js, "IDLE") >= n);
                long allLive = System.currentTimeMillis() - t0;
                Number ms = (Number) js.executeScript("var e = performance.getEntriesByType('navigation')[0]; return e.loadEventEnd - e.startTime;");
                if (i >= 2) { // the first two warm the JIT
                    load.recordValue(Math.max(1, Math.round(ms.doubleValue())));
                    live.recordValue(Math.max(1, allLive));
                }
            }
            long rows = liveRows(js, "IDLE");

            // live updates: every round each device changes state once at a random moment within 1 s
            js.executeScript("window.tensdSeen = {}; new MutationObserver(function () {"
                    + " var rows = document.querySelectorAll('#devices tbody tr'); var now = Date.now();"
                    + " for (var i = 0; i < rows.length; i++) { var k = rows[i].getAttribute('data-device') + '|' + rows[i].querySelector('td.state').textContent;"
                    + "  if (!(k in window.tensdSeen)) window.tensdSeen[k] = now; } })"
                    + ".observe(document.getElementById('devices'), {subtree: true, childList: true, characterData: true});");
            Histogram change = new Histogram(3);
            Histogram pipeline = new Histogram(3);
            Random rnd = new Random(14);
            int missing = 0;
            for (int r = 0; r < rounds; r++) {
                String s = "R" + r;
                Map<String, Long> changedAt = new ConcurrentHashMap<>();
                List<Thread> ts = new ArrayList<>();
                for (Device d : devices) {
                    long delay = rnd.nextInt(1000);
                    Thread t = new Thread(() -> {
                        try {
                            Thread.sleep(delay);
                        } catch (InterruptedException e) {
                            return;
                        }
                        changedAt.put(d.id, System.currentTimeMillis());
                        d.state = s;
                    });
                    t.start();
                    ts.add(t);
                }
                for (Thread t : ts) t.join();
                long end = System.currentTimeMillis() + 5000;
                while (System.currentTimeMillis() < end && liveRows(js, s) < n) Thread.sleep(50);
                @SuppressWarnings("unchecked")
                Map<String, Object> seen = (Map<String, Object>) js.executeScript("return window.tensdSeen;");
                for (Device d : devices) {
                    Object v = seen.get(d.id + "|" + s);
                    Long sent = sentAt.get(d.id + "|" + s);
                    if (v == null || sent == null) {
                        missing++;
                        continue;
                    }
                    long at = ((Number) v).longValue();
                    change.recordValue(Math.max(0, at - changedAt.get(d.id)));
                    pipeline.recordValue(Math.max(0, at - sent));
                }
            }
            long now = System.currentTimeMillis();
            long publishing = lastTelemetry.values().stream().filter(t -> now - t < 3000).count();
            Files.createDirectories(Path.of("target"));
            Files.write(Path.of("target", "dashboard-bench-" + n + ".png"), ((TakesScreenshot) b).getScreenshotAs(OutputType.BYTES));

            System.out.printf("precondition: %d of %d devices published telemetry in the last 3 s; the page showed %d live rows; "
                    + "%d of %d updates not seen%n", publishing, n, rows, missing, n * rounds);
            if (publishing < n || rows < n || missing > 0) {
                System.out.println("REFUSED: not every device was publishing and shown on the page: no figures");
                System.exit(1);
            }
            System.out.printf("page load (navigation start -> load event, %d rows): p50 %d ms, p99 %d ms, max %d ms (%d loads)%n",
                    n, load.getValueAtPercentile(50), load.getValueAtPercentile(99), load.getMaxValue(), load.getTotalCount());
            System.out.printf("load event -> all %d rows live (SSE connected, each row redrawn from an event): p50 %d ms, p99 %d ms, max %d ms%n",
                    n, live.getValueAtPercentile(50), live.getValueAtPercentile(99), live.getMaxValue());
            System.out.printf("live update, device state change -> visible (incl. waiting for the 1 Hz telemetry): p50 %d ms, p99 %d ms, max %d ms (%d updates)%n",
                    change.getValueAtPercentile(50), change.getValueAtPercentile(99), change.getMaxValue(), change.getTotalCount());
            System.out.printf("live update, telemetry sent (ts) -> visible (broker, feed, SSE, script): p50 %d ms, p99 %d ms, max %d ms%n",
                    pipeline.getValueAtPercentile(50), pipeline.getValueAtPercentile(99), pipeline.getMaxValue());
            System.out.printf("load average at end %.2f%n", load());
        } finally {
            if (browser != null) browser.quit();
            for (AutoCloseable c : open) {
                try {
                    c.close();
                } catch (Exception e) {
                    // stopping: close the rest
                }
            }
        }
        System.exit(0);
    }

    /** Rows showing {@code state} for a device that is online. */
    private static long liveRows(JavascriptExecutor js, String state) {
        Object c = js.executeScript("var n = 0, s = arguments[0]; document.querySelectorAll('#devices tbody tr').forEach(function (r) {"
                + " if (r.querySelector('td.link').textContent === 'online' && r.querySelector('td.state').textContent === s) n++; });"
                + " return n;", state);
        return ((Number) c).longValue();
    }

    private static MqttAsyncClient observer(String url, Map<String, Long> sentAt, Map<String, Long> last) throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(url, "bench-observer", new MemoryPersistence());
        c.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage m) {
                try {
                    JsonNode n = JSON.readTree(m.getPayload());
                    String id = n.path("deviceId").asText();
                    long ts = Instant.parse(n.path("ts").asText()).toEpochMilli();
                    last.put(id, System.currentTimeMillis());
                    sentAt.putIfAbsent(id + "|" + n.path("state").asText(), ts);
                } catch (Exception e) {
                    // not a telemetry payload
                }
            }

            @Override public void disconnected(MqttDisconnectResponse r) { }
            @Override public void mqttErrorOccurred(MqttException e) { }
            @Override public void deliveryComplete(IMqttToken t) { }
            @Override public void connectComplete(boolean reconnect, String uri) { }
            @Override public void authPacketArrived(int code, MqttProperties p) { }
        });
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        c.connect(o).waitForCompletion(5000);
        c.subscribe(new MqttSubscription[] {new MqttSubscription("tensd/v1/+/+/telemetry", 0)}, null, null, new MqttProperties()).waitForCompletion(5000);
        return c;
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
