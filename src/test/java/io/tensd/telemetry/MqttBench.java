package io.tensd.telemetry;

import io.tensd.config.DeviceConfig;
import io.tensd.loop.Clock;
import io.tensd.loop.StatusSnapshot;
import io.tensd.session.CommandOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Loopback latency figures (not a test): command round trip (clinician publish → device answers via the
 * loop stand-in → clinician receives) and telemetry publish → receive, with HiveMQ CE embedded.
 * Run: mvn -q -o test-compile exec... or java -cp target/test-classes:target/classes:$(deps) io.tensd.telemetry.MqttBench [commands] [seconds]
 */
public final class MqttBench {
    public static void main(String[] args) throws Exception {
        int commands = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int telemetrySeconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        try (EmbeddedBroker broker = EmbeddedBroker.start();
             JournalingEventSink sink = JournalingEventSink.open(Files.createTempDirectory("bench-j"), "bench-dev", Clock.SYSTEM)) {
            ConcurrentHashMap<Long, Long> snapshotNanos = new ConcurrentHashMap<>();
            long[] calls = {0};
            DeviceConfig.Broker b = new DeviceConfig.Broker(broker.url(), null, null, null, null, null, 10, 10);
            TelemetryService svc = TelemetryService.builder("bench", "bench-dev", b).events(sink)
                    .status(() -> {
                        long now = System.nanoTime();
                        // telemetrySeq n is the n-th snapshot taken on the telemetry thread
                        if (Thread.currentThread().getName().equals("tensd-telemetry")) snapshotNanos.put(++calls[0], now);
                        return new StatusSnapshot(now, "s", "running", "conventional", true, 20, 20, 200, 80, 1500,
                                true, 0.3, 39, 36, 38, 10, "neutral", 0, 0, 90, List.of());
                    })
                    .commands((c, reply) -> reply.accept(CommandOutcome.accepted()))
                    .commandSettings(new CommandHandler.Settings(8192, Duration.ofSeconds(300), 1e9, 1e9, true, 4096))
                    .build();
            svc.start();
            svc.awaitConnected(Duration.ofSeconds(20));
            Histogram rtt = new Histogram(3);
            Histogram tel = new Histogram(3);
            ConcurrentHashMap<String, CountDownLatch> waiting = new ConcurrentHashMap<>();
            try (Subscriber clinic = new Subscriber(broker.url(), "bench-clinic", null, "tensd/v1/bench/bench-dev/reply/#");
                 Subscriber watcher = new Subscriber(broker.url(), "bench-watch", null, "tensd/v1/bench/bench-dev/telemetry")) {
                clinic.client.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
                    @Override public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse r) { }
                    @Override public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException e) { }
                    @Override public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken t) { }
                    @Override public void connectComplete(boolean r, String u) { }
                    @Override public void authPacketArrived(int rc, MqttProperties p) { }

                    @Override
                    public void messageArrived(String topic, MqttMessage m) {
                        CountDownLatch l = waiting.remove(new String(m.getProperties().getCorrelationData(), StandardCharsets.UTF_8));
                        if (l != null) l.countDown();
                    }
                });
                Thread.sleep(500);
                for (int i = 0; i < commands + 200; i++) {
                    String id = "b" + i;
                    CountDownLatch l = new CountDownLatch(1);
                    waiting.put(id, l);
                    MqttProperties p = new MqttProperties();
                    p.setResponseTopic("tensd/v1/bench/bench-dev/reply/clinic");
                    p.setCorrelationData(id.getBytes(StandardCharsets.UTF_8));
                    p.setMessageExpiryInterval(30L);
                    byte[] json = ("{\"id\":\"" + id + "\",\"deadline\":\"" + Instant.now().plusSeconds(30) + "\",\"milliAmps\":12}").getBytes();
                    long t0 = System.nanoTime();
                    clinic.client.publish("tensd/v1/bench/bench-dev/cmd/set-intensity", new MqttMessage(json, 1, false, p));
                    if (!l.await(5, TimeUnit.SECONDS)) throw new IllegalStateException("no answer to " + id);
                    if (i >= 200) rtt.recordValue((System.nanoTime() - t0) / 1000); // after 200 warm-up commands
                }
                int from = watcher.messages.size();
                Thread.sleep(telemetrySeconds * 1000L);
                for (Subscriber.Received r : watcher.messages.subList(from, watcher.messages.size())) {
                    Long sent = snapshotNanos.get(r.json().get("telemetrySeq").asLong());
                    if (sent != null) tel.recordValue((r.atNanos() - sent) / 1000);
                }
            }
            print("command round trip (µs)", rtt);
            print("telemetry snapshot→receive (µs)", tel);
            svc.stop();
        }
        System.exit(0);
    }

    static void print(String what, Histogram h) {
        System.out.printf("%-34s n=%d p50=%d p90=%d p99=%d p99.9=%d max=%d%n", what, h.getTotalCount(),
                h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9), h.getMaxValue());
    }
}
