package io.tensd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensd.telemetry.EmbeddedBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `tensd simulate` end to end: a short session reported to a real broker, seen by a clinic subscriber. */
class SimulateEndToEndTest {
    record Msg(String topic, JsonNode body, boolean retained) { }

    @Test
    void aSubscriberReceivesStatusBirthTelemetryEventsAndTheSummary(@TempDir Path tmp) throws Exception {
        Path scenario = tmp.resolve("short.yaml");
        Files.writeString(scenario, """
                name: short session for the clinic
                seed: 5
                prescription:
                  program: conventional
                  frequencyHz: 100
                  pulseWidthMicros: 150
                  targetMilliAmps: 10.0
                  durationMinutes: 1
                timeline:
                  - at: 20s
                    press: pause
                  - at: 25s
                    press: resume
                  - at: 30s
                    command: { name: set-intensity, milliAmps: 12.0 }
                """);
        List<Msg> got = new CopyOnWriteArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (EmbeddedBroker broker = EmbeddedBroker.start()) {
            MqttClient sub = new MqttClient(broker.url(), "clinic-test", new MemoryPersistence());
            sub.connect(new MqttConnectionOptions());
            IMqttMessageListener l = (topic, m) -> got.add(new Msg(topic, json.readTree(m.getPayload()), m.isRetained()));
            sub.subscribe(new MqttSubscription[] {new MqttSubscription("tensd/v1/#", 1)}, new IMqttMessageListener[] {l});
            StringWriter out = new StringWriter();
            var cl = Main.commandLine();
            cl.setOut(new PrintWriter(out, true));
            int rc = cl.execute("simulate", "--scenario", scenario.toString(), "--broker", broker.url(), "--speed", "30",
                    "--out", tmp.resolve("out").toString());
            assertEquals(0, rc, out.toString());
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline && got.stream().noneMatch(m -> m.topic().endsWith("/session/summary"))) {
                Thread.sleep(50);
            }
            sub.disconnect();
            String root = "tensd/v1/clinic-demo/tensd-dev-001/";
            assertTrue(got.stream().anyMatch(m -> m.topic().equals(root + "status")), "status");
            assertTrue(got.stream().anyMatch(m -> m.topic().equals(root + "birth")), "birth");
            assertTrue(got.stream().filter(m -> m.topic().equals(root + "telemetry")).count() >= 2, "telemetry at 1 Hz");
            List<String> events = got.stream().filter(m -> m.topic().equals(root + "event"))
                    .map(m -> m.body().path("type").asText()).toList();
            assertTrue(events.containsAll(List.of("session-started", "session-paused", "session-resumed", "session-completed")),
                    events.toString());
            assertTrue(events.contains("command-result"), "the remote command was answered: " + events);
            Msg summary = got.stream().filter(m -> m.topic().equals(root + "session/summary")).findFirst().orElseThrow();
            assertTrue(summary.body().has("seq") && summary.body().has("sessionId"), summary.body().toString());
            // seq over events and summaries is gapless
            List<Long> seqs = got.stream().filter(m -> m.topic().endsWith("/event") || m.topic().endsWith("/session/summary"))
                    .map(m -> m.body().path("seq").asLong()).distinct().sorted().toList();
            for (int i = 1; i < seqs.size(); i++) {
                assertEquals(seqs.get(i - 1) + 1, seqs.get(i), "gap in seq " + seqs);
            }
            assertTrue(Files.exists(tmp.resolve("out/report.json")));
        }
    }
}
