package io.tensd.clinic.bench;

import io.tensd.clinic.collector.Collector;
import io.tensd.clinic.store.ClinicDb;
import io.tensd.clinic.store.ClinicStore;
import io.tensd.clinic.store.LocalPostgres;
import io.tensd.session.SessionEvent;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The clinic's end-to-end runs, shared by {@code tensd bench clinic} and the acceptance test: real device
 * reporting stacks ({@link SimDevice}) → Debian's mosquitto → {@code tensd clinic} collectors → PostgreSQL.
 */
public final class ClinicBench implements AutoCloseable {
    private final Path work;
    private final PrintWriter out;
    private final LocalPostgres pg;
    private final String serverUrl;
    private final AtomicInteger dbs = new AtomicInteger();

    /** @param jdbcAdminUrl a server to use (databases are created in it), or null for the embedded one under {@code work} */
    public ClinicBench(Path work, String jdbcAdminUrl, PrintWriter out) throws IOException {
        this.work = work;
        this.out = out;
        Files.createDirectories(work);
        if (jdbcAdminUrl == null) {
            work.toFile().setExecutable(true, false);
            pg = LocalPostgres.start(work.resolve("pg"));
            serverUrl = pg.jdbcUrl("postgres");
        } else {
            pg = null;
            serverUrl = jdbcAdminUrl;
        }
    }

    /** A new empty database on the server; its JDBC URL. */
    public String freshDatabase(String prefix) throws Exception {
        String name = prefix + "_" + ProcessHandle.current().pid() + "_" + dbs.incrementAndGet();
        try (Connection c = DriverManager.getConnection(serverUrl); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        String base = serverUrl.substring(0, serverUrl.indexOf('/', "jdbc:postgresql://".length()) + 1);
        String query = serverUrl.contains("?") ? serverUrl.substring(serverUrl.indexOf('?')) : "";
        return base + name + query;
    }

    // ---------------------------------------------------------------- acceptance

    /** What the acceptance run found. {@code ok} only when every journaled event is stored exactly once and no gap is open. */
    public record AcceptanceResult(int devices, long journaled, long stored, long sessionsStored, long sessionsComplete,
                                   long openGaps, List<String> problems, double p50Ms, double p99Ms, long liveEvents,
                                   double cpuPercentPerDevice, double heapMbPerDevice, double eventsPerSecond,
                                   double bytesPerEventRow, double rowsPerSession, Duration wall, long resendRequests,
                                   long resendAnswers, long eventsResent) {
        public boolean ok() { return problems.isEmpty(); }
    }

    /**
     * {@code devices} devices each run one session of {@code minutes} (session time, played {@code speed}× faster),
     * two collector JVMs share the group, the broker is restarted at 25 % and 75 % of the session and one
     * collector is {@code kill -9}ed at 50 % (and started again, same client id, 3 s later).
     */
    public AcceptanceResult acceptance(int devices, long minutes, double speed) throws Exception {
        return acceptance(devices, minutes, speed, null);
    }

    /** @param gapRepairSeconds the collectors' {@code --gap-repair}, or null for their default */
    public AcceptanceResult acceptance(int devices, long minutes, double speed, Integer gapRepairSeconds) throws Exception {
        String db = freshDatabase("accept");
        try (ClinicDb schema = ClinicDb.open(db, 2); BenchMosquitto broker = new BenchMosquitto(work.resolve("mosquitto-accept"))) {
            ClinicStore store = new ClinicStore(schema.dataSource());
            CollectorProcess a = new CollectorProcess(work, "accept-a", broker.url(), db, "accept", gapRepairSeconds);
            CollectorProcess b = new CollectorProcess(work, "accept-b", broker.url(), db, "accept", gapRepairSeconds);
            a.start();
            b.start();
            a.awaitSubscribed(Duration.ofSeconds(180));
            b.awaitSubscribed(Duration.ofSeconds(180));
            List<SimDevice> fleet = new ArrayList<>();
            for (int i = 1; i <= devices; i++) {
                String id = String.format("dev-%03d", i);
                SimDevice d = new SimDevice("bench", id, work.resolve("journals-accept").resolve(id), broker.url());
                d.connect();
                fleet.add(d);
            }
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            long sessionRealMs = (long) (minutes * 60_000 / speed);
            Thread chaos = new Thread(() -> {
                try {
                    sleepUntil(t0, sessionRealMs / 4);
                    out.println("  broker restart 1");
                    broker.restart();
                    sleepUntil(t0, sessionRealMs / 2);
                    out.println("  kill -9 collector " + b.clientId());
                    b.kill();
                    Thread.sleep(3_000);
                    b.start();
                    sleepUntil(t0, sessionRealMs * 3 / 4);
                    out.println("  broker restart 2");
                    broker.restart();
                } catch (Exception e) {
                    out.println("  chaos failed: " + e);
                }
            }, "chaos");
            chaos.start();
            play(fleet, minutes, speed, t0);
            chaos.join();
            long heapUsed = usedHeap();
            double cpuPct = 100.0 * (processCpuNanos() - cpu0) / (System.nanoTime() - t0) / devices;
            for (SimDevice d : fleet) d.awaitDelivered(Duration.ofSeconds(120));
            // what the broker dropped comes back by gap repair (resend), which journals a command-result per request:
            // wait until the store holds everything journaled so far and no gap is open, then settle once more
            long journaled = 0;
            Map<String, List<Long>> seqs = new HashMap<>();
            long deadline = System.nanoTime() + 240_000_000_000L;
            int settled = 0;
            while (System.nanoTime() < deadline && settled < 2) {
                journaled = 0;
                for (SimDevice d : fleet) {
                    List<Long> s = d.journaledSeqs();
                    seqs.put(d.deviceId, s);
                    journaled += s.size();
                }
                ClinicStore.Totals now = store.totals();
                settled = now.events() == journaled && now.openGaps() == 0 ? settled + 1 : 0;
                Thread.sleep(settled > 0 ? 3_000 : 1_000);
            }
            Duration wall = Duration.ofNanos(System.nanoTime() - t0);
            List<String> problems = new ArrayList<>();
            for (SimDevice d : fleet) {
                List<Long> stored = storedSeqs(schema, d.deviceId);
                if (!stored.equals(seqs.get(d.deviceId))) {
                    problems.add(d.deviceId + ": journaled " + seqs.get(d.deviceId).size() + " seqs, stored " + stored.size()
                            + (stored.size() == seqs.get(d.deviceId).size() ? " (different seqs)" : ""));
                }
            }
            ClinicStore.Totals t = store.totals();
            long complete = scalar(schema, "SELECT count(*) FROM sessions WHERE complete");
            if (t.sessions() != devices || complete != devices) problems.add("sessions: " + t.sessions() + " stored, " + complete + " complete, " + devices + " run");
            if (t.openGaps() != 0) problems.add(t.openGaps() + " open gaps");
            if (t.rejects() != 0) problems.add(t.rejects() + " rejected messages");
            double[] lat = latency(schema);
            double bytesPerRow = (double) scalar(schema, "SELECT pg_total_relation_size('events')") / Math.max(1, t.events());
            long resendAnswers = scalar(schema, "SELECT count(*) FROM events WHERE type = 'command-result' AND body->>'command' = 'resend'");
            long resent = 0;
            for (SimDevice d : fleet) resent += d.eventsResent();
            for (SimDevice d : fleet) d.close();
            a.stop();
            b.stop();
            return new AcceptanceResult(devices, journaled, t.events(), t.sessions(), complete, t.openGaps(), problems, lat[0],
                    lat[1], (long) lat[2], cpuPct, heapUsed / 1e6 / devices, t.events() / (wall.toMillis() / 1000.0), bytesPerRow,
                    (double) t.events() / Math.max(1, t.sessions()), wall, t.resendRequests(), resendAnswers, resent);
        }
    }

    private static void play(List<SimDevice> fleet, long minutes, double speed, long t0) throws Exception {
        // one thread per device: each sleeps through its own session script
        ExecutorService pool = Executors.newFixedThreadPool(fleet.size());
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (SimDevice d : fleet) {
                List<SessionScript.Timed> script = SessionScript.session(d.deviceId + "-s1", minutes);
                fs.add(pool.submit(() -> {
                    for (SessionScript.Timed e : script) {
                        sleepUntil(t0, (long) (e.atMillis() / speed));
                        d.emit(e.event());
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
        } finally {
            pool.shutdown();
        }
    }

    // ---------------------------------------------------------------- throughput

    public record ThroughputResult(int collectors, long events, double seconds, double eventsPerSecond, double perCollector,
                                   double p50Ms, double p99Ms) { }

    /**
     * {@code events} real device events from 20 devices published as fast as QoS 1 allows while {@code collectors}
     * collectors (in this JVM) share the group; events/s = stored events / time from the first publish to the last commit.
     */
    public ThroughputResult throughput(int collectors, int events) throws Exception {
        String db = freshDatabase("tput");
        try (ClinicDb schema = ClinicDb.open(db, 2); BenchMosquitto broker = new BenchMosquitto(work.resolve("mosquitto-tput-" + collectors))) {
            ClinicStore check = new ClinicStore(schema.dataSource());
            List<ClinicDb> pools = new ArrayList<>();
            List<Collector> cs = new ArrayList<>();
            for (int i = 0; i < collectors; i++) {
                ClinicDb p = ClinicDb.open(db, 4);
                pools.add(p);
                Collector c = new Collector(Collector.Settings.defaults(broker.url(), "tput-" + i, "tput"), new ClinicStore(p.dataSource()));
                c.start();
                cs.add(c);
            }
            for (Collector c : cs) while (!c.stats().connected()) Thread.sleep(20);
            Thread.sleep(500);
            int devices = 20;
            List<List<byte[]>> payloads = new ArrayList<>();
            for (int d = 0; d < devices; d++) payloads.add(journalPayloads("tput-dev-" + d, events / devices));
            long t0 = System.nanoTime();
            ExecutorService pubs = Executors.newFixedThreadPool(4);
            List<Future<?>> fs = new ArrayList<>();
            for (int d = 0; d < devices; d++) {
                int dev = d;
                fs.add(pubs.submit(() -> { publishAll(broker.url(), "tput-dev-" + dev, payloads.get(dev)); return null; }));
            }
            for (Future<?> f : fs) f.get();
            pubs.shutdown();
            long total = (long) devices * (events / devices);
            long deadline = System.nanoTime() + 600_000_000_000L;
            while (check.totals().events() < total && System.nanoTime() < deadline) Thread.sleep(20);
            double secs = (System.nanoTime() - t0) / 1e9;
            long stored = check.totals().events();
            double[] lat = latency(schema);
            for (Collector c : cs) c.close();
            for (ClinicDb p : pools) p.close();
            return new ThroughputResult(collectors, stored, secs, stored / secs, stored / secs / collectors, lat[0], lat[1]);
        }
    }

    private List<byte[]> journalPayloads(String device, int n) throws Exception {
        Path dir = work.resolve("journals-tput").resolve(device + "-" + System.nanoTime());
        try (SimDevice d = new SimDevice("bench", device, dir, "tcp://127.0.0.1:1")) {
            int s = 0;
            int emitted = 0;
            while (emitted < n) {
                for (SessionScript.Timed e : SessionScript.session(device + "-s" + (++s), 10)) {
                    if (emitted++ >= n) break;
                    d.emit(e.event());
                }
            }
            d.sink().awaitIdle(Duration.ofSeconds(30));
            return d.sink().fetch(1, n).stream().map(io.tensd.telemetry.Journal.Entry::payload).toList();
        }
    }

    private static void publishAll(String url, String device, List<byte[]> payloads) throws Exception {
        org.eclipse.paho.mqttv5.client.MqttAsyncClient c = new org.eclipse.paho.mqttv5.client.MqttAsyncClient(url,
                "pub-" + device, new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        org.eclipse.paho.mqttv5.client.MqttConnectionOptions o = new org.eclipse.paho.mqttv5.client.MqttConnectionOptions();
        o.setCleanStart(true);
        c.connect(o).waitForCompletion(10_000);
        java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(20);
        List<org.eclipse.paho.mqttv5.client.IMqttToken> tokens = new ArrayList<>();
        for (byte[] p : payloads) {
            boolean summary = new String(p, java.nio.charset.StandardCharsets.UTF_8).contains("tensd.session-summary.v1");
            window.acquire();
            var t = c.publish("tensd/v1/bench/" + device + (summary ? "/session/summary" : "/event"),
                    new org.eclipse.paho.mqttv5.common.MqttMessage(p, 1, false, null), null,
                    new org.eclipse.paho.mqttv5.client.MqttActionListener() {
                        public void onSuccess(org.eclipse.paho.mqttv5.client.IMqttToken tok) { window.release(); }

                        public void onFailure(org.eclipse.paho.mqttv5.client.IMqttToken tok, Throwable e) { window.release(); }
                    });
            tokens.add(t);
        }
        for (var t : tokens) t.waitForCompletion(60_000);
        c.disconnect().waitForCompletion(5_000);
        c.close();
    }

    // ---------------------------------------------------------------- 24 h backlog

    public record BacklogResult(long events, double seconds, double eventsPerSecond, long bytesPerDayRows, long sessions) { }

    /**
     * One device journals a day (16 sessions of 30 minutes, {@link SessionScript}) with no broker, then connects:
     * the time from its connect until the last row is committed, with one collector.
     */
    public BacklogResult backlog() throws Exception {
        String db = freshDatabase("backlog");
        try (ClinicDb schema = ClinicDb.open(db, 4); BenchMosquitto broker = new BenchMosquitto(work.resolve("mosquitto-backlog"))) {
            ClinicStore store = new ClinicStore(schema.dataSource());
            Collector c = new Collector(Collector.Settings.defaults(broker.url(), "backlog-c", "backlog"), store);
            c.start();
            while (!c.stats().connected()) Thread.sleep(20);
            Thread.sleep(500);
            try (SimDevice d = new SimDevice("bench", "dev-day", work.resolve("journals-backlog"), broker.url())) {
                for (int s = 1; s <= 16; s++) {
                    for (SessionScript.Timed e : SessionScript.session("dev-day-s" + s, 30)) d.emit(e.event());
                }
                long n = d.journaledSeqs().size();
                long t0 = System.nanoTime();
                d.connect();
                long deadline = System.nanoTime() + 600_000_000_000L;
                while (store.totals().events() < n && System.nanoTime() < deadline) Thread.sleep(10);
                double secs = (System.nanoTime() - t0) / 1e9;
                long bytes = scalar(schema, "SELECT pg_total_relation_size('events') + pg_total_relation_size('sessions')");
                ClinicStore.Totals t = store.totals();
                c.close();
                return new BacklogResult(t.events(), secs, t.events() / secs, bytes, t.sessions());
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static List<Long> storedSeqs(ClinicDb db, String device) throws Exception {
        List<Long> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT seq FROM events WHERE device_id = ? ORDER BY seq")) {
            ps.setString(1, device);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getLong(1));
            }
        }
        return out;
    }

    private static long scalar(ClinicDb db, String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** p50, p99 (ms) of device journal time → row stored, over live (not replayed) events, and how many. */
    private static double[] latency(ClinicDb db) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), percentile_cont(0.99) WITHIN GROUP (ORDER BY ms), count(*)
                     FROM (SELECT extract(epoch FROM (stored_at - ts)) * 1000 AS ms FROM events WHERE NOT replayed) x""")) {
            rs.next();
            return new double[] {rs.getDouble(1), rs.getDouble(2), rs.getDouble(3)};
        }
    }

    private static void sleepUntil(long t0, long ms) throws InterruptedException {
        long wait = t0 / 1_000_000 + ms - System.nanoTime() / 1_000_000;
        if (wait > 0) Thread.sleep(wait);
    }

    private static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    private static long usedHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Override
    public void close() {
        if (pg != null) pg.close();
    }
}
