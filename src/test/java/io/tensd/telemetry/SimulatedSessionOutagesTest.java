package io.tensd.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensd.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten network outages between the device and the broker during one simulated session (`tensd simulate --broker`
 * through a TCP proxy that is cut and restored): the clinic's subscriber still gets every event and the summary,
 * in order, without a gap in seq; duplicates (at-least-once) are counted, not fatal.
 */
class SimulatedSessionOutagesTest {
    @Test
    void tenOutagesDuringASessionLoseNothing(@TempDir Path tmp) throws Exception {
        StringBuilder timeline = new StringBuilder();
        for (int s = 5; s < 110; s += 10) {
            timeline.append("  - at: ").append(s).append("s\n    press: pause\n");
            timeline.append("  - at: ").append(s + 3).append("s\n    press: resume\n");
        }
        Path scenario = tmp.resolve("outages.yaml");
        Files.writeString(scenario, """
                name: ten outages
                seed: 9
                prescription:
                  program: conventional
                  frequencyHz: 100
                  pulseWidthMicros: 150
                  targetMilliAmps: 8.0
                  durationMinutes: 2
                timeline:
                """ + timeline);
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> got = new CopyOnWriteArrayList<>();
        try (EmbeddedBroker broker = EmbeddedBroker.start(); TcpProxy proxy = new TcpProxy(broker.port())) {
            MqttClient clinic = new MqttClient(broker.url(), "clinic-outages", new MemoryPersistence());
            clinic.connect(new MqttConnectionOptions());
            IMqttMessageListener l = (topic, m) -> {
                if (topic.endsWith("/event") || topic.endsWith("/session/summary")) {
                    got.add(json.readTree(m.getPayload()));
                }
            };
            clinic.subscribe(new MqttSubscription[] {new MqttSubscription("tensd/v1/#", 1)}, new IMqttMessageListener[] {l});
            StringWriter out = new StringWriter();
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> {
                var cl = Main.commandLine();
                cl.setOut(new PrintWriter(out, true));
                return cl.execute("simulate", "--scenario", scenario.toString(), "--broker", "tcp://127.0.0.1:" + proxy.port(),
                        "--speed", "6", "--out", tmp.resolve("out").toString());
            });
            Thread.sleep(1_500);
            int outages = 0;
            while (outages < 10 && !run.isDone()) {
                proxy.cut();
                Thread.sleep(400);
                proxy.restore();
                outages++;
                Thread.sleep(1_100);
            }
            assertEquals(10, outages, "the session ended before ten outages: make it longer");
            assertEquals(0, run.get(90, TimeUnit.SECONDS), out.toString());
            long deadline = System.currentTimeMillis() + 15_000;
            while (System.currentTimeMillis() < deadline && got.stream().noneMatch(n -> "session-summary".equals(n.path("type").asText())
                    || n.has("deliveredMs") && !n.has("type"))) {
                Thread.sleep(100);
            }
            clinic.disconnect();
        }
        Map<Long, Integer> bySeq = new TreeMap<>();
        List<Long> order = new ArrayList<>();
        for (JsonNode n : got) {
            long seq = n.path("seq").asLong(-1);
            bySeq.merge(seq, 1, Integer::sum);
            order.add(seq);
        }
        List<Long> seqs = new ArrayList<>(bySeq.keySet());
        Map<String, Long> types = new TreeMap<>();
        Map<Long, JsonNode> first = new TreeMap<>();
        got.forEach(n -> first.putIfAbsent(n.path("seq").asLong(), n));
        first.values().forEach(n -> types.merge(n.path("type").asText(n.has("deliveredMs") ? "summary" : "?"), 1L, Long::sum));
        assertEquals(11L, types.getOrDefault("session-paused", 0L), types.toString());
        assertEquals(11L, types.getOrDefault("session-resumed", 0L), types.toString());
        assertEquals(1L, types.getOrDefault("session-started", 0L), types.toString());
        assertEquals(1L, types.getOrDefault("session-completed", 0L), types.toString());
        assertTrue(first.values().stream().anyMatch(n -> n.has("deliveredMs") || "session-summary".equals(n.path("type").asText())),
                "the session summary arrived: " + types);
        assertEquals(1L, seqs.get(0), "from the first seq");
        for (int i = 1; i < seqs.size(); i++) {
            assertEquals(seqs.get(i - 1) + 1, seqs.get(i), "gap in seq: " + seqs);
        }
        // first deliveries arrive in order (a duplicate may repeat an earlier seq, never skip ahead)
        long highest = 0;
        for (long s : order) {
            assertTrue(s <= highest + 1, "out of order: " + order);
            highest = Math.max(highest, s);
        }
        long duplicates = bySeq.values().stream().mapToInt(c -> c - 1).sum();
        System.out.println("outages 10, events+summary " + seqs.size() + ", duplicates " + duplicates);
    }
}
