package io.tensd.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import io.tensd.bench.MachineInfo;
import io.tensd.bench.RealTimeRig;
import io.tensd.config.DeviceConfig;
import io.tensd.loop.Clock;
import io.tensd.loop.StatusSnapshot;
import io.tensd.loop.StatusSource;
import io.tensd.session.CommandGateway;
import io.tensd.session.CommandOutcome;
import io.tensd.session.SessionCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
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

/**
 * Loopback latency figures (not a test), against one mosquitto broker started for the run (a separate C
 * process, as the clinic's broker is), all rows in the same run:
 * <ul>
 *   <li>command round trip: clinician (Paho) publishes {@code cmd/set-intensity} → tensd's {@link TelemetryService}
 *       (parse, JSON Schema, expiry, the gateway, answer, journal) → the answer on the response topic, with
 *       stages (clinician → gateway, gateway → answer received); once with a gateway that answers at once (the
 *       MQTT path) and once with the real {@code ControlLoop} + {@code DeviceController} at 100 Hz;</li>
 *   <li>the same round trip with a bare Paho echo responder (no tensd logic) and with the C clients only
 *       ({@code mosquitto_pub -l} → {@code mosquitto_sub | mosquitto_pub -l} echo → {@code mosquitto_sub});</li>
 *   <li>telemetry: snapshot taken → received by a Paho subscriber, vs {@code mosquitto_pub -l} → {@code mosquitto_sub}
 *       with a payload of the same size at the same rate;</li>
 *   <li>the CPU cost of {@link CommandHandler#handle} and of JSON Schema validation alone, in-process.</li>
 * </ul>
 * Run: {@code java -cp target/test-classes:target/classes:$(cat cp.txt) io.tensd.telemetry.MqttBench [commands] [telemetrySeconds] [--hivemq]}
 */
public final class MqttBench {
    static final String SITE = "bench";
    static final String DEV = "bench-dev";
    static final String CMD = "tensd/v1/bench/bench-dev/cmd/set-intensity";
    static final String REPLY = "tensd/v1/bench/bench-dev/reply/clinic";
    static final int WARMUP = 300;

    public static void main(String[] args) throws Exception {
        try {
            bench(args);
        } catch (io.tensd.bench.LiveSession.NotLive e) {
            System.out.println("tensd: refused: " + e.getMessage());
            System.exit(1); // the broker's and Paho's threads would keep the JVM alive
        }
    }

    private static void bench(String[] args) throws Exception {
        int commands = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int telemetrySeconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        boolean hivemq = List.of(args).contains("--hivemq");
        System.out.println(MachineInfo.describe());
        System.out.println("load average at start: " + loadavg());
        List<String> rows = new ArrayList<>();
        stageCosts(rows);
        try (PlainMosquitto mosq = new PlainMosquitto()) {
            System.out.println("broker: mosquitto " + mosq.url());
            Histogram tensd = tensdRoundTrip(mosq.url(), commands, false, rows, "mosquitto");
            tensdRoundTrip(mosq.url(), commands, true, rows, "mosquitto");
            Histogram paho = pahoEcho(mosq.url(), commands);
            rows.add(row("Paho echo responder round trip (mosquitto)", paho));
            Histogram c = cRoundTrip(mosq.port, commands);
            rows.add(row("C clients round trip (mosquitto_pub/sub echo)", c));
            rows.add(ratio("tensd / C round trip", tensd, c));
            rows.add(ratio("tensd / Paho echo round trip", tensd, paho));
            Histogram tel = tensdTelemetry(mosq.url(), telemetrySeconds);
            rows.add(row("tensd telemetry snapshot→receive (mosquitto)", tel));
            Histogram ctel = cTelemetry(mosq.port, telemetrySeconds);
            rows.add(row("C telemetry mosquitto_pub→mosquitto_sub QoS 0", ctel));
            rows.add(ratio("tensd / C telemetry", tel, ctel));
        }
        try (PlainMosquitto nagle = new PlainMosquitto(false)) {
            // mosquitto's default: no TCP_NODELAY on the broker's own sockets
            rows.add(row("tensd round trip, mosquitto WITHOUT set_tcp_nodelay", quiet(nagle.url(), commands / 4)));
            rows.add(row("C clients round trip, mosquitto WITHOUT set_tcp_nodelay", cRoundTrip(nagle.port, commands / 4)));
            rows.add(row("C telemetry, mosquitto WITHOUT set_tcp_nodelay", cTelemetry(nagle.port, Math.max(5, telemetrySeconds / 4))));
        }
        if (hivemq) {
            try (EmbeddedBroker b = EmbeddedBroker.start()) {
                tensdRoundTrip(b.url(), commands, false, rows, "HiveMQ in-process");
                rows.add(row("tensd telemetry snapshot→receive (HiveMQ in-process)", tensdTelemetry(b.url(), telemetrySeconds)));
            }
        }
        System.out.println();
        System.out.println("load average at end: " + loadavg());
        System.out.printf("%-58s %6s %8s %8s %8s %8s %8s  (ms)%n", "", "n", "p50", "p90", "p99", "p99.9", "max");
        rows.forEach(System.out::println);
        System.exit(0);
    }

    // ---- in-process costs

    static void stageCosts(List<String> rows) throws Exception {
        Path dir = Files.createTempDirectory("bench-cost");
        try (JournalingEventSink sink = JournalingEventSink.open(dir, DEV, Clock.SYSTEM)) {
            Executor direct = Runnable::run;
            CommandHandler h = new CommandHandler(DEV, (c, reply) -> reply.accept(CommandOutcome.accepted()), sink, () -> "s",
                    () -> { }, direct, a -> { }, Clock.SYSTEM, Instant::now,
                    new CommandHandler.Settings(8192, Duration.ofSeconds(300), 1e9, 1e9, true, 4096));
            Histogram handle = new Histogram(3);
            Histogram schema = new Histogram(3);
            for (int i = 0; i < 20_000; i++) {
                byte[] json = command("x" + i);
                long t0 = System.nanoTime();
                h.handle(new CommandHandler.Request("set-intensity", json, 30L, REPLY, new byte[] {1}));
                long t1 = System.nanoTime();
                JsonNode n = Wire.JSON.readTree(json);
                long t2 = System.nanoTime();
                if (!Schemas.validate(Schemas.command("set-intensity"), n).isEmpty()) throw new IllegalStateException();
                long t3 = System.nanoTime();
                if (i >= 10_000) {
                    handle.recordValue(t1 - t0);
                    schema.recordValue(t3 - t2);
                }
            }
            rows.add(rowNanos("in-process CommandHandler.handle (parse…answer)", handle));
            rows.add(rowNanos("in-process JSON Schema validation only", schema));
        }
    }

    static byte[] command(String id) {
        return ("{\"id\":\"" + id + "\",\"deadline\":\"" + Instant.now().plusSeconds(30) + "\",\"milliAmps\":12}")
                .getBytes(StandardCharsets.UTF_8);
    }

    // ---- tensd round trip

    /** A gateway that timestamps submit and reply (one command at a time, so one slot is enough). */
    static final class TimedGateway implements CommandGateway {
        final CommandGateway inner;
        volatile long submitNanos;
        volatile long replyNanos;

        TimedGateway(CommandGateway inner) { this.inner = inner; }

        @Override
        public void submit(SessionCommand command, java.util.function.Consumer<CommandOutcome> reply) {
            submitNanos = System.nanoTime();
            inner.submit(command, o -> {
                replyNanos = System.nanoTime();
                reply.accept(o);
            });
        }
    }

    static Histogram tensdRoundTrip(String url, int n, boolean realLoop, List<String> rows, String brokerName) throws Exception {
        Path dir = Files.createTempDirectory("bench-j");
        RealTimeRig rig = null;
        try (JournalingEventSink sink = JournalingEventSink.open(dir, DEV, Clock.SYSTEM)) {
            CommandGateway inner;
            StatusSource status;
            if (realLoop) {
                rig = new RealTimeRig(100, -1, 42, sink, null);
                rig.start();
                rig.startSession(); // a rejected start or a session that does not come live is an error
                inner = rig.controller();
                status = rig.controller();
            } else {
                inner = (c, reply) -> reply.accept(CommandOutcome.accepted());
                status = MqttBench::snapshot;
            }
            TimedGateway gw = new TimedGateway(inner);
            TelemetryService svc = service(url, sink, status, gw, 1000);
            svc.start();
            if (!svc.awaitConnected(Duration.ofSeconds(20))) throw new IllegalStateException("not connected");
            Histogram total = new Histogram(3);
            Histogram in = new Histogram(3);
            Histogram out = new Histogram(3);
            Histogram loop = new Histogram(3);
            ConcurrentHashMap<String, AtomicLong> waiting = new ConcurrentHashMap<>();
            MqttAsyncClient clinic = replyClient(url, "bench-clinic-" + System.nanoTime(), waiting);
            Thread.sleep(300);
            for (int i = 0; i < n + WARMUP; i++) {
                if (rig != null && i == WARMUP) rig.live().open();
                String id = (realLoop ? "L" : "M") + i;
                AtomicLong slot = new AtomicLong();
                waiting.put(id, slot);
                long t0 = System.nanoTime();
                clinic.publish(CMD, commandMessage(id));
                long end = t0 + 5_000_000_000L;
                while (slot.get() == 0 && System.nanoTime() < end) LockSupport.parkNanos(20_000);
                if (slot.get() == 0) throw new IllegalStateException("no answer to " + id);
                if (i >= WARMUP) {
                    total.recordValue((slot.get() - t0) / 1000);
                    in.recordValue(Math.max(0, gw.submitNanos - t0) / 1000);
                    loop.recordValue(Math.max(0, gw.replyNanos - gw.submitNanos) / 1000);
                    out.recordValue(Math.max(0, slot.get() - gw.replyNanos) / 1000);
                }
                Thread.sleep(1);
            }
            if (rig != null) {
                rig.live().close();
                rig.live().require("MqttBench round trip with the real loop", n); // ≥ one tick per command
            }
            String what = realLoop ? "tensd + real loop 100 Hz" : "tensd";
            rows.add(row(what + " command round trip (" + brokerName + ")", total));
            rows.add(row("  stage: clinician publish → gateway.submit", in));
            rows.add(row("  stage: gateway.submit → reply (" + (realLoop ? "waits for the next tick" : "answers at once") + ")", loop));
            rows.add(row("  stage: reply → answer received by clinician", out));
            close(clinic);
            svc.stop();
            return total;
        } finally {
            if (rig != null) rig.close();
        }
    }

    static Histogram quiet(String url, int n) throws Exception {
        return tensdRoundTrip(url, n, false, new ArrayList<>(), "");
    }

    static TelemetryService service(String url, JournalingEventSink sink, StatusSource status, CommandGateway gw, int telemetryMillis) {
        DeviceConfig.Broker b = new DeviceConfig.Broker(url, null, null, null, null, null, 10, telemetryMillis);
        return TelemetryService.builder(SITE, DEV, b).events(sink).status(status).commands(gw)
                .commandSettings(new CommandHandler.Settings(8192, Duration.ofSeconds(300), 1e9, 1e9, true, 4096)).build();
    }

    static StatusSnapshot snapshot() {
        return new StatusSnapshot(System.nanoTime(), "s", "ACTIVE", "conventional", true, 20, 20, 200, 80, 1500,
                true, 0.3, 39, 36, 38, 10, "neutral", 0, 0, 90, List.of());
    }

    static MqttMessage commandMessage(String id) {
        MqttProperties p = new MqttProperties();
        p.setResponseTopic(REPLY);
        p.setCorrelationData(id.getBytes(StandardCharsets.UTF_8));
        p.setMessageExpiryInterval(30L);
        return new MqttMessage(command(id), 1, false, p);
    }

    /** A clinician client that stamps each answer's arrival into the slot named by its correlation data. */
    static MqttAsyncClient replyClient(String url, String id, Map<String, AtomicLong> waiting) throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(url, id, new MemoryPersistence());
        c.setCallback(new Callbacks() {
            @Override
            public void messageArrived(String topic, MqttMessage m) {
                long now = System.nanoTime();
                AtomicLong slot = waiting.remove(new String(m.getProperties().getCorrelationData(), StandardCharsets.UTF_8));
                if (slot != null) {
                    slot.set(now);
                }
            }
        });
        connect(c);
        c.subscribe(new MqttSubscription[] {new MqttSubscription(REPLY, 1)}).waitForCompletion(5000);
        return c;
    }

    static void connect(MqttAsyncClient c) throws MqttException {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setSocketFactory(new NoDelaySocketFactories.Plain());
        c.connect(o).waitForCompletion(10_000);
    }

    // ---- Paho echo: the same exchange without tensd's logic

    static Histogram pahoEcho(String url, int n) throws Exception {
        MqttAsyncClient device = new MqttAsyncClient(url, "bench-echo-" + System.nanoTime(), new MemoryPersistence());
        device.setCallback(new Callbacks() {
            @Override
            public void messageArrived(String topic, MqttMessage m) throws MqttException {
                MqttProperties p = new MqttProperties();
                p.setCorrelationData(m.getProperties().getCorrelationData());
                device.publish(m.getProperties().getResponseTopic(), new MqttMessage(m.getPayload(), 1, false, p));
            }
        });
        connect(device);
        device.subscribe(new MqttSubscription[] {new MqttSubscription(CMD, 1)}).waitForCompletion(5000);
        ConcurrentHashMap<String, AtomicLong> waiting = new ConcurrentHashMap<>();
        MqttAsyncClient clinic = replyClient(url, "bench-clinic-e" + System.nanoTime(), waiting);
        Histogram h = new Histogram(3);
        for (int i = 0; i < n + WARMUP; i++) {
            String id = "E" + i;
            AtomicLong slot = new AtomicLong();
            waiting.put(id, slot);
            long t0 = System.nanoTime();
            clinic.publish(CMD, commandMessage(id));
            long end = t0 + 5_000_000_000L;
            while (slot.get() == 0 && System.nanoTime() < end) LockSupport.parkNanos(20_000);
            if (slot.get() == 0) throw new IllegalStateException("no echo for " + id);
            if (i >= WARMUP) h.recordValue((slot.get() - t0) / 1000);
            Thread.sleep(1);
        }
        close(clinic);
        close(device);
        return h;
    }

    // ---- C clients

    static String mq(String tool, int port) {
        return tool + " -V mqttv5 --nodelay -h 127.0.0.1 -p " + port;
    }

    static Histogram cRoundTrip(int port, int n) throws Exception {
        ConcurrentHashMap<String, AtomicLong> waiting = new ConcurrentHashMap<>();
        try (CClient echo = CClient.shell(mq("mosquitto_sub", port) + " -q 1 -t " + CMD + " -F %p | "
                + mq("mosquitto_pub", port) + " -q 1 -t " + REPLY + " -l", null);
             CClient replies = new CClient(List.of("sh", "-c", mq("mosquitto_sub", port) + " -q 1 -t " + REPLY + " -F %p"),
                     (line, at) -> {
                         AtomicLong slot = waiting.remove(idOf(line));
                         if (slot != null) {
                             slot.set(at);
                         }
                     });
             CClient pub = CClient.shell(mq("mosquitto_pub", port) + " -q 1 -t " + CMD + " -l", null)) {
            // wait until both subscriptions exist: repeat a probe until it comes back
            long until = System.nanoTime() + 10_000_000_000L;
            while (true) {
                AtomicLong probe = new AtomicLong();
                waiting.put("probe", probe);
                pub.writeLine(new String(command("probe"), StandardCharsets.UTF_8));
                Thread.sleep(100);
                if (probe.get() != 0) break;
                if (System.nanoTime() > until) throw new IllegalStateException("C clients never echoed");
            }
            waiting.clear();
            Histogram h = new Histogram(3);
            for (int i = 0; i < n + WARMUP; i++) {
                String id = "C" + i;
                AtomicLong slot = new AtomicLong();
                waiting.put(id, slot);
                String line = new String(command(id), StandardCharsets.UTF_8);
                long t0 = System.nanoTime();
                pub.writeLine(line);
                long end = t0 + 5_000_000_000L;
                while (slot.get() == 0 && System.nanoTime() < end) LockSupport.parkNanos(20_000);
                if (slot.get() == 0) throw new IllegalStateException("no C echo for " + id);
                if (i >= WARMUP) h.recordValue((slot.get() - t0) / 1000);
                Thread.sleep(1);
            }
            return h;
        }
    }

    static String idOf(String line) {
        int a = line.indexOf("\"id\":\"");
        if (a < 0) return "";
        int b = line.indexOf('"', a + 6);
        return line.substring(a + 6, b);
    }

    // ---- telemetry

    static Histogram tensdTelemetry(String url, int seconds) throws Exception {
        Path dir = Files.createTempDirectory("bench-t");
        ConcurrentHashMap<Long, Long> snapshotNanos = new ConcurrentHashMap<>();
        AtomicLong calls = new AtomicLong();
        try (JournalingEventSink sink = JournalingEventSink.open(dir, DEV, Clock.SYSTEM)) {
            TelemetryService svc = service(url, sink, () -> {
                long now = System.nanoTime();
                // telemetrySeq n is the n-th snapshot taken on the telemetry thread
                if (Thread.currentThread().getName().equals("tensd-telemetry")) snapshotNanos.put(calls.incrementAndGet(), now);
                return snapshot();
            }, (c, r) -> r.accept(CommandOutcome.accepted()), 10);
            svc.start();
            svc.awaitConnected(Duration.ofSeconds(20));
            Histogram tel = new Histogram(3);
            try (Subscriber watcher = new Subscriber(url, "bench-watch-" + System.nanoTime(), null, "tensd/v1/bench/bench-dev/telemetry")) {
                Thread.sleep(2000); // warm-up
                int from = watcher.messages.size();
                Thread.sleep(seconds * 1000L);
                for (Subscriber.Received r : watcher.messages.subList(from, watcher.messages.size())) {
                    Long sent = snapshotNanos.get(r.json().get("telemetrySeq").asLong());
                    if (sent != null) tel.recordValue((r.atNanos() - sent) / 1000);
                }
            }
            svc.stop();
            return tel;
        }
    }

    /** The same rate (100 Hz) and payload size as tensd's telemetry, through the C clients. */
    static Histogram cTelemetry(int port, int seconds) throws Exception {
        String sample = new String(Wire.JSON.writeValueAsBytes(telemetrySample()), StandardCharsets.UTF_8);
        ConcurrentHashMap<String, Long> sent = new ConcurrentHashMap<>();
        Histogram h = new Histogram(3);
        long[] measureFrom = {Long.MAX_VALUE};
        String topic = "tensd/v1/bench/c/telemetry";
        try (CClient sub = new CClient(List.of("sh", "-c", mq("mosquitto_sub", port) + " -q 0 -t " + topic + " -F %p"),
                (line, at) -> {
                    Long t0 = sent.remove(idOf(line));
                    if (t0 != null && t0 >= measureFrom[0]) {
                        synchronized (h) {
                            h.recordValue((at - t0) / 1000);
                        }
                    }
                });
             CClient pub = CClient.shell(mq("mosquitto_pub", port) + " -q 0 -t " + topic + " -l", null)) {
            Thread.sleep(500);
            long start = System.nanoTime();
            measureFrom[0] = start + 2_000_000_000L;
            long next = start;
            for (long i = 0; System.nanoTime() < start + (seconds + 2) * 1_000_000_000L; i++) {
                next += 10_000_000L;
                LockSupport.parkNanos(next - System.nanoTime());
                String id = "T" + i;
                String line = "{\"id\":\"" + id + "\"," + sample.substring(1);
                sent.put(id, System.nanoTime());
                pub.writeLine(line);
            }
            Thread.sleep(500);
        }
        synchronized (h) {
            return h.copy();
        }
    }

    static JsonNode telemetrySample() throws Exception {
        Path dir = Files.createTempDirectory("bench-s");
        try (JournalingEventSink sink = JournalingEventSink.open(dir, DEV, Clock.SYSTEM)) {
            TelemetryService svc = service("tcp://127.0.0.1:1", sink, MqttBench::snapshot, (c, r) -> { }, 1000);
            return svc.telemetryPayload(snapshot());
        }
    }

    // ---- output

    static String row(String what, Histogram usHist) {
        return String.format("%-58s %6d %8.2f %8.2f %8.2f %8.2f %8.2f", what, usHist.getTotalCount(),
                usHist.getValueAtPercentile(50) / 1000.0, usHist.getValueAtPercentile(90) / 1000.0,
                usHist.getValueAtPercentile(99) / 1000.0, usHist.getValueAtPercentile(99.9) / 1000.0, usHist.getMaxValue() / 1000.0);
    }

    static String rowNanos(String what, Histogram nanos) {
        return String.format("%-58s %6d %8.3f %8.3f %8.3f %8.3f %8.3f", what, nanos.getTotalCount(),
                nanos.getValueAtPercentile(50) / 1e6, nanos.getValueAtPercentile(90) / 1e6,
                nanos.getValueAtPercentile(99) / 1e6, nanos.getValueAtPercentile(99.9) / 1e6, nanos.getMaxValue() / 1e6);
    }

    static String ratio(String what, Histogram a, Histogram b) {
        return String.format("%-58s %6s %8.2f %8.2f %8.2f %8.2f %8s  (ratio)", what, "",
                (double) a.getValueAtPercentile(50) / b.getValueAtPercentile(50),
                (double) a.getValueAtPercentile(90) / b.getValueAtPercentile(90),
                (double) a.getValueAtPercentile(99) / b.getValueAtPercentile(99),
                (double) a.getValueAtPercentile(99.9) / b.getValueAtPercentile(99.9), "");
    }

    static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "?";
        }
    }

    static void close(MqttAsyncClient c) {
        try {
            c.disconnect().waitForCompletion(2000);
            c.close();
        } catch (MqttException ignored) {
            // gone
        }
    }

    abstract static class Callbacks implements MqttCallback {
        @Override public void disconnected(MqttDisconnectResponse r) { }
        @Override public void mqttErrorOccurred(MqttException e) { }
        @Override public void deliveryComplete(IMqttToken t) { }
        @Override public void connectComplete(boolean r, String u) { }
        @Override public void authPacketArrived(int rc, MqttProperties p) { }
    }
}
