package io.tensd.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Births, deaths and the primary host against Debian mosquitto with persistence (retained messages and the Wills
 * it publishes on a graceful stop survive its restart).
 */
class BirthDeathMosquittoTest {
    static Path dir;
    static int port;
    static Process broker;
    @TempDir Path tmp;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("tensd-mosq-bd-");
        port = EmbeddedBroker.freePort();
        Files.writeString(dir.resolve("mosquitto.conf"), """
                listener %2$d 127.0.0.1
                allow_anonymous true
                persistence true
                persistence_location %1$s/
                log_dest file %1$s/mosquitto.log
                set_tcp_nodelay true
                """.formatted(dir, port));
        MosquittoProcess.chownIfRoot(dir);
        broker = MosquittoProcess.start(dir, port);
    }

    @AfterAll
    static void stop() throws Exception {
        MosquittoProcess.stop(broker, 10);
        MosquittoProcess.deleteTree(dir);
    }

    static String url() { return "tcp://127.0.0.1:" + port; }

    /** A fresh subscriber's view of a retained topic (what a clinic that starts now sees). */
    static JsonNode retained(String topic) throws Exception {
        try (Subscriber s = new Subscriber(url(), "peek-" + System.nanoTime(), null, topic)) {
            Subscriber.Received r = s.await(m -> true, Duration.ofSeconds(2));
            return r == null ? null : r.json();
        }
    }

    static JsonNode awaitRetained(String topic, java.util.function.Predicate<JsonNode> p, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < end) {
            last = retained(topic);
            if (last != null && p.test(last)) return last;
            Thread.sleep(200);
        }
        throw new AssertionError(topic + " never matched; last " + last);
    }

    @Test
    void bdSeqTiesEachDeathToItsBirthAndABrokerRestartEndsOnline() throws Exception {
        Topics t = new Topics("site-bd", "dev-bd");
        long t0 = System.nanoTime();
        try (TcpProxy proxy = new TcpProxy(port);
             LiveDevice dev = new LiveDevice("site-bd", "dev-bd", LiveDevice.plain("tcp://127.0.0.1:" + proxy.port()), tmp.resolve("j"))) {
            JsonNode status1 = awaitRetained(t.status(), n -> n.path("state").asText().equals("online"), Duration.ofSeconds(10));
            JsonNode birth1 = awaitRetained(t.birth(), n -> true, Duration.ofSeconds(10));
            long b1 = birth1.get("bdSeq").asLong();
            assertEquals(b1, status1.get("bdSeq").asLong(), "status and birth of one connection carry one bdSeq");
            assertEquals(b1, dev.service.bdSeq());
            // monoMs: ms of this daemon run, not the machine's monotonic clock
            long runMs = (System.nanoTime() - t0) / 1_000_000L;
            for (JsonNode n : new JsonNode[] {status1, birth1}) {
                long mono = n.get("monoMs").asLong();
                assertTrue(mono >= 0 && mono <= runMs + 1000, "monoMs " + mono + " within this run's " + runMs + " ms");
            }

            Instant stoppedAt = Instant.now();
            MosquittoProcess.stop(broker, 10);   // graceful: mosquitto publishes the device's Will (retained) and saves it
            broker = MosquittoProcess.start(dir, port);
            JsonNode right = retained(t.status());
            System.out.println("retained status right after the restart: " + right);
            JsonNode status2 = awaitRetained(t.status(), n -> n.path("state").asText().equals("online") && n.get("bdSeq").asLong() > b1,
                    Duration.ofSeconds(30));
            long b2 = status2.get("bdSeq").asLong();
            JsonNode birth2 = awaitRetained(t.birth(), n -> n.get("bdSeq").asLong() == b2, Duration.ofSeconds(10));
            assertTrue(birth2.get("connects").asLong() >= 2);

            // the Will of the second connection: its own bdSeq and a ts from after the first connection
            try (Subscriber clinic = new Subscriber(url(), "clinic-bd", null, t.status())) {
                assertNotNull(clinic.await(m -> m.json().path("state").asText().equals("online"), Duration.ofSeconds(5)));
                proxy.cut();
                Subscriber.Received death = clinic.await(m -> m.json().path("reason").asText().equals("will"), Duration.ofSeconds(20));
                assertNotNull(death, "the broker published the Will");
                assertEquals(b2, death.json().get("bdSeq").asLong(), "the death matches the second birth, not the first");
                Instant willTs = Instant.parse(death.json().get("ts").asText());
                assertTrue(!willTs.isBefore(stoppedAt.minusSeconds(1)),
                        "the Will was set again for the second connection: ts " + willTs + " vs broker stop " + stoppedAt
                                + " (first birth " + birth1.get("ts").asText() + ")");
                assertTrue(clinic.schemaErrors.isEmpty(), clinic.schemaErrors.toString());
                proxy.restore();
                JsonNode status3 = awaitRetained(t.status(), n -> n.path("state").asText().equals("online") && n.get("bdSeq").asLong() > b2,
                        Duration.ofSeconds(30));
                System.out.printf("bdSeq: first %d, after broker restart %d, after a cut %d%n", b1, b2, status3.get("bdSeq").asLong());
            }
        }
    }

    @Test
    void devicesPublishTheirBirthAgainWhenThePrimaryHostReturns() throws Exception {
        Topics t = new Topics("site-host", "dev-h");
        try (TcpProxy hostLink = new TcpProxy(port);
             LiveDevice dev = new LiveDevice("site-host", "dev-h", LiveDevice.plain(url()), tmp.resolve("j"));
             Subscriber clinic = new Subscriber(url(), "clinic-h", null, t.birth(), t.hostState())) {
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setAutomaticReconnectDelay(1, 2);
            try (HostStatePublisher host = HostStatePublisher.start("tcp://127.0.0.1:" + hostLink.port(), o, "site-host", "clinic-1", 100)) {
                assertNotNull(clinic.await(m -> m.topic().endsWith("/host/state") && m.json().path("state").asText().equals("online"),
                        Duration.ofSeconds(10)));
                Thread.sleep(500);
                assertEquals(0, dev.service.hostRebirths(), "a host already online is no reason for a birth");
                int births = clinic.on("/birth").size();
                hostLink.cut(); // the clinic service vanishes: the broker publishes its Will
                Subscriber.Received down = clinic.await(m -> m.topic().endsWith("/host/state") && m.json().path("state").asText().equals("offline"),
                        Duration.ofSeconds(20));
                assertNotNull(down);
                assertEquals("will", down.json().get("reason").asText());
                assertEquals(100, down.json().get("bdSeq").asLong(), "the host's death matches its first connection");
                hostLink.restore(); // Paho reconnects it: online with the next bdSeq
                Subscriber.Received up = clinic.await(m -> m.topic().endsWith("/host/state") && m.json().path("state").asText().equals("online")
                        && m.json().get("bdSeq").asLong() == 101, Duration.ofSeconds(20));
                assertNotNull(up, "host back online with bdSeq 101");
                assertNotNull(clinic.await(m -> clinic.on("/birth").size() > births, Duration.ofSeconds(10)), "the device published its birth again");
                assertEquals(1, dev.service.hostRebirths());
            }
            assertNotNull(clinic.await(m -> m.topic().endsWith("/host/state") && m.json().path("reason").asText().equals("shutdown"),
                    Duration.ofSeconds(5)), "an orderly close says offline (shutdown)");
            assertTrue(clinic.schemaErrors.isEmpty(), clinic.schemaErrors.toString());
        }
    }
}
