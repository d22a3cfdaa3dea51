package io.tensd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensd.telemetry.EmbeddedBroker;
import io.tensd.telemetry.MosquittoProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tensd fleet} against Debian's mosquitto: every device has its own id, client id and journal, and a
 * clinic-side subscriber receives each device's journaled stream complete, gapless from seq 1, as many events
 * as the fleet says that device journaled.
 */
class FleetCommandTest {
    @TempDir Path tmp;

    private record Run(int code, String out, String err) { }

    private static Run fleet(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void everyDevicesJournaledEventsArriveGaplessUnderItsOwnIds() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("mosq"));
        int port = EmbeddedBroker.freePort();
        Files.writeString(dir.resolve("mosquitto.conf"), """
                listener %2$d 127.0.0.1
                allow_anonymous true
                persistence false
                log_dest file %1$s/mosquitto.log
                """.formatted(dir, port));
        MosquittoProcess.chownIfRoot(dir);
        Process mosquitto = MosquittoProcess.start(dir, port);
        String url = "tcp://127.0.0.1:" + port;
        Path scenario = tmp.resolve("short.yaml");
        Files.writeString(scenario, """
                name: fleet test
                seed: 5
                prescription:
                  program: conventional
                  frequencyHz: 100
                  pulseWidthMicros: 150
                  targetMilliAmps: 10.0
                  durationMinutes: 1
                timeline:
                  - at: 10s
                    press: pause
                  - at: 14s
                    press: resume
                  - at: 30s
                    inject: { electrode: lift }
                  - at: 33s
                    inject: { electrode: restore }
                """);
        ObjectMapper json = new ObjectMapper();
        Map<String, List<Long>> seqsByDevice = new ConcurrentHashMap<>();
        Set<String> clientIdsSeen = ConcurrentHashMap.newKeySet();
        MqttClient clinic = new MqttClient(url, "clinic-fleet-test", new MemoryPersistence());
        try {
            clinic.connect(new MqttConnectionOptions());
            IMqttMessageListener l = (topic, m) -> {
                JsonNode n = json.readTree(m.getPayload());
                if (topic.endsWith("/event") || topic.endsWith("/session/summary")) {
                    seqsByDevice.computeIfAbsent(n.path("deviceId").asText(), k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                            .add(n.path("seq").asLong());
                    assertTrue(topic.startsWith("tensd/v1/north/" + n.path("deviceId").asText() + "/"), topic);
                }
            };
            clinic.subscribe(new MqttSubscription[] {new MqttSubscription("tensd/v1/north/#", 1)}, new IMqttMessageListener[] {l});
            Run r = fleet("fleet", "--devices", "3", "--broker", url, "--scenario", scenario.toString(), "--speed", "max",
                    "--site", "north", "--out", tmp.resolve("out").toString());
            assertEquals(0, r.code(), r.out() + r.err());
            Thread.sleep(500);

            JsonNode report = json.readTree(tmp.resolve("out/fleet.json").toFile());
            assertEquals(3, report.get("perDevice").size());
            Map<String, Long> journaled = new TreeMap<>();
            for (JsonNode d : report.get("perDevice")) {
                journaled.put(d.get("deviceId").asText(), d.get("journaled").asLong());
                clientIdsSeen.add(d.get("clientId").asText());
                assertEquals("COMPLETE", d.get("endState").asText(), d.toString());
                assertTrue(d.get("cpuMillis").asLong() > 0 && d.get("threads").asInt() >= 3, "its own threads were measured: " + d);
                assertTrue(Files.isDirectory(tmp.resolve("out").resolve(d.get("deviceId").asText()).resolve("journal")), "its own journal");
            }
            assertEquals(Set.of("north-001", "north-002", "north-003"), journaled.keySet());
            assertEquals(Set.of("tensd-north-001", "tensd-north-002", "tensd-north-003"), clientIdsSeen);
            for (Map.Entry<String, Long> e : journaled.entrySet()) {
                assertTrue(e.getValue() >= 7, "started, paused, resumed, electrode lift and back, completed, summary: " + e);
                TreeSet<Long> got = new TreeSet<>(seqsByDevice.getOrDefault(e.getKey(), List.of()));
                assertEquals(java.util.stream.LongStream.rangeClosed(1, e.getValue()).boxed().collect(Collectors.toList()),
                        new ArrayList<>(got), e.getKey() + ": every journaled seq arrived, from 1, without a gap");
                assertTrue(r.out().contains(e.getKey() + " " + e.getValue()), "printed count for " + e.getKey() + ":\n" + r.out());
            }
            assertTrue(r.out().contains("CPU per device"), r.out());
            assertTrue(r.out().contains("KB per device"), r.out());
        } finally {
            if (clinic.isConnected()) clinic.disconnect();
            clinic.close();
            MosquittoProcess.stop(mosquitto, 5);
            MosquittoProcess.deleteTree(dir);
        }
    }

    @Test
    void badOptionsAreOneLineAndExit2() {
        Run r = fleet("fleet", "--devices", "0", "--broker", "tcp://127.0.0.1:1");
        assertEquals(2, r.code());
        assertEquals("tensd: --devices must be between 1 and 2000, got 0", r.err().strip());
        r = fleet("fleet", "--devices", "2", "--broker", "http://h:1883");
        assertEquals(2, r.code());
        assertEquals("tensd: --broker http://h:1883: must start with tcp:// or mqtt:// (plain), ssl:// or mqtts:// (TLS), "
                + "got 'http://h:1883'", r.err().strip());
        r = fleet("fleet", "--devices", "2", "--broker", "tcp://h:1883", "--site", "North Site");
        assertEquals(2, r.code());
        assertEquals("tensd: --site must be 1 to 40 of a-z, 0-9 and '-', got 'North Site'", r.err().strip());
    }
}
