package io.tensd.telemetry;

import io.tensd.bench.MachineInfo;
import io.tensd.config.DeviceConfig;
import io.tensd.loop.Clock;
import io.tensd.session.CommandOutcome;
import io.tensd.session.SessionEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

/**
 * How long a 24-hour outage backlog takes to reach a subscriber once the broker is back (not a test).
 *
 * <p>Assumed day: {@code events} journaled events (default 30,000 ≈ one every 2.9 s around the clock; a
 * session-heavy clinic day: 16 back-to-back 30-minute sessions with posture alerts every ~20 s, intensity
 * commands and their results, electrode lifts, and the rest of the day's faults/commands). The event mix and
 * sizes come from {@link #dayEvent}. The journal is filled while no broker is reachable, then the device's
 * {@link TelemetryService} connects to mosquitto and replays; a Paho subscriber counts distinct seqs.
 * Baseline: {@code mosquitto_pub -q 1 -l} publishing the very same payloads (read from the journal) to the
 * same broker, received by {@code mosquitto_sub -q 1}.
 *
 * <p>Run: {@code java -cp … io.tensd.telemetry.ReplayBench [events]}
 */
public final class ReplayBench {
    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
        System.out.println(MachineInfo.describe());
        System.out.println("load average at start: " + MqttBench.loadavg());
        Path dir = Files.createTempDirectory("replay-j");
        long fillMs;
        try (JournalingEventSink sink = JournalingEventSink.open(dir, "replay-dev", Clock.SYSTEM)) {
            long t0 = System.nanoTime();
            for (int i = 0; i < events; i++) {
                while (i - sink.recordedEvents() > 3000) Thread.sleep(1); // stay inside the sink's queue
                offer(sink, dayEvent(i));
            }
            if (!sink.awaitIdle(Duration.ofSeconds(120))) throw new IllegalStateException("journal did not catch up");
            fillMs = (System.nanoTime() - t0) / 1_000_000;
            if (sink.droppedEvents() != 0) throw new IllegalStateException("dropped " + sink.droppedEvents());
        }
        long bytes;
        try (var s = Files.list(dir)) {
            bytes = s.mapToLong(p -> p.toFile().length()).sum();
        }
        System.out.printf("journal: %d events, %.1f MB on disk, written in %d ms%n", events, bytes / 1e6, fillMs);

        try (PlainMosquitto mosq = new PlainMosquitto()) {
            // tensd replay
            AtomicLong distinct = new AtomicLong();
            AtomicLong lastAt = new AtomicLong();
            java.util.BitSet seen = new java.util.BitSet();
            MqttAsyncClient sub = new MqttAsyncClient(mosq.url(), "replay-sub", new MemoryPersistence());
            sub.setCallback(new MqttBench.Callbacks() {
                @Override
                public void messageArrived(String topic, MqttMessage m) {
                    String s = new String(m.getPayload(), StandardCharsets.UTF_8);
                    int k = s.indexOf("\"seq\":");
                    int e = k + 6;
                    while (e < s.length() && Character.isDigit(s.charAt(e))) e++;
                    int seq = Integer.parseInt(s.substring(k + 6, e));
                    synchronized (seen) {
                        if (!seen.get(seq)) {
                            seen.set(seq);
                            distinct.incrementAndGet();
                            lastAt.set(System.nanoTime());
                        }
                    }
                }
            });
            MqttBench.connect(sub);
            sub.subscribe(new MqttSubscription[] {new MqttSubscription("tensd/v1/replay/replay-dev/#", 1)}).waitForCompletion(5000);
            double tensdSecs;
            double cursorSecs;
            try (JournalingEventSink sink = JournalingEventSink.open(dir, "replay-dev", Clock.SYSTEM)) {
                DeviceConfig.Broker b = new DeviceConfig.Broker(mosq.url(), null, null, null, null, null, 10, 1000);
                TelemetryService svc = TelemetryService.builder("replay", "replay-dev", b).events(sink)
                        .status(MqttBench::snapshot).commands((c, r) -> r.accept(CommandOutcome.accepted())).build();
                long t0 = System.nanoTime();
                svc.start();
                boolean delivered = svc.awaitDelivered(Duration.ofSeconds(600));
                cursorSecs = (System.nanoTime() - t0) / 1e9;
                long end = System.nanoTime() + 30_000_000_000L;
                while (distinct.get() < events && System.nanoTime() < end) Thread.sleep(5);
                tensdSecs = (lastAt.get() - t0) / 1e9;
                System.out.printf("tensd replay: %d of %d distinct seqs at the subscriber after %.2f s (connect included); "
                                + "cursor at the last seq after %.2f s (delivered=%s); replayed counter %d%n",
                        distinct.get(), events, tensdSecs, cursorSecs, delivered, svc.counters().eventsReplayed());
                svc.stop();
            }
            MqttBench.close(sub);

            // baseline: the same payloads through mosquitto_pub -l
            Path lines = Files.createTempFile("replay-lines", ".txt");
            try (Journal j = Journal.open(dir, Journal.Policy.defaults(), e -> { })) {
                List<String> all = new ArrayList<>();
                for (long s = 1; s <= j.durableSeq(); ) {
                    List<Journal.Entry> batch = j.read(s, 1000);
                    for (Journal.Entry e : batch) all.add(new String(e.payload(), StandardCharsets.UTF_8));
                    s = batch.get(batch.size() - 1).seq() + 1;
                }
                Files.write(lines, all);
            }
            AtomicLong got = new AtomicLong();
            AtomicLong lastLine = new AtomicLong();
            String topic = "tensd/v1/replay/c/event";
            double cSecs;
            try (CClient csub = new CClient(List.of("sh", "-c", MqttBench.mq("mosquitto_sub", mosq.port) + " -q 1 -t " + topic + " -F %p"),
                    (line, at) -> {
                        got.incrementAndGet();
                        lastLine.set(at);
                    })) {
                Thread.sleep(500);
                long t0 = System.nanoTime();
                Process pub = new ProcessBuilder("sh", "-c", MqttBench.mq("mosquitto_pub", mosq.port) + " -q 1 -t " + topic + " -l < " + lines)
                        .redirectErrorStream(true).start();
                pub.getInputStream().transferTo(System.out);
                pub.waitFor();
                long end = System.nanoTime() + 60_000_000_000L;
                while (got.get() < events && System.nanoTime() < end) Thread.sleep(5);
                cSecs = (lastLine.get() - t0) / 1e9;
                System.out.printf("mosquitto_pub -q 1 -l: %d of %d at mosquitto_sub after %.2f s%n", got.get(), events, cSecs);
            }
            System.out.println("load average at end: " + MqttBench.loadavg());
            System.out.printf("%nRESULT events=%d tensd_s=%.2f tensd_per_s=%.0f cursor_s=%.2f c_s=%.2f c_per_s=%.0f ratio=%.2f%n",
                    events, tensdSecs, events / tensdSecs, cursorSecs, cSecs, events / cSecs, tensdSecs / cSecs);
        }
        System.exit(0);
    }

    private static void offer(JournalingEventSink sink, SessionEvent e) {
        long before = sink.droppedEvents();
        sink.emit(e);
        if (sink.droppedEvents() > before) throw new IllegalStateException("queue full: slow down the fill");
    }

    /** Event {@code i} of the assumed day: the mix a session-heavy day produces (sizes as the loop's events). */
    static SessionEvent dayEvent(int i) {
        String sid = "s-" + (i / 1800);
        long at = System.nanoTime();
        Map<String, Object> d = new LinkedHashMap<>();
        return switch (i % 10) {
            case 0, 1, 2, 3 -> {
                d.put("flexionDeg", 38.5 + (i % 7));
                d.put("thresholdDeg", 30.0);
                d.put("heldMillis", 20_000 + i % 997);
                yield new SessionEvent("slouch-alert", sid, at, d);
            }
            case 4, 5 -> {
                d.put("commandId", "anna-" + i);
                d.put("command", "set-intensity");
                d.put("status", "clamped");
                d.put("reasons", List.of("prescription: maxMilliAmps 20"));
                d.put("source", "remote");
                yield new SessionEvent("command-result", sid, at, d);
            }
            case 6 -> {
                d.put("impedanceOhms", 9000 + i % 500);
                yield new SessionEvent("electrode-lift", sid, at, d);
            }
            case 7 -> {
                d.put("code", "skin-temp-high");
                d.put("severity", "warning");
                d.put("description", "skin temperature above the heat setpoint band");
                yield new SessionEvent("fault-raised", sid, at, d);
            }
            case 8 -> {
                d.put("code", "skin-temp-high");
                yield new SessionEvent("fault-cleared", sid, at, d);
            }
            default -> {
                d.put("milliAmps", 18.0);
                d.put("by", "button");
                yield new SessionEvent("intensity-changed", sid, at, d);
            }
        };
    }
}
