package io.tensd.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.config.DeviceConfig;
import io.tensd.loop.Clock;
import io.tensd.session.CommandOutcome;
import io.tensd.session.SessionCommand;
import io.tensd.session.SessionEvent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against Debian mosquitto with TLS, passwords and the repository's ACL (config/mosquitto/acl). */
class MosquittoTest {
    static MosquittoBroker mosquitto;
    @TempDir Path tmp;

    @BeforeAll
    static void start() throws Exception {
        mosquitto = new MosquittoBroker();
    }

    @AfterAll
    static void stop() throws Exception {
        if (mosquitto != null) mosquitto.close();
    }

    static MqttConnectionOptions login(String user, boolean cleanStart) throws Exception {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName(user);
        o.setPassword(Files.readString(mosquitto.passwordFile(user)).strip().getBytes(StandardCharsets.UTF_8));
        o.setCleanStart(cleanStart);
        if (!cleanStart) o.setSessionExpiryInterval(600L);
        o.setAutomaticReconnect(true);
        o.setAutomaticReconnectDelay(1, 2);
        o.setSocketFactory(new NoDelaySocketFactories.Tls(TlsContexts.fromPem(mosquitto.ca(), null, null).getSocketFactory()));
        o.setHttpsHostnameVerificationEnabled(true);
        return o;
    }

    static Subscriber client(String user, String filter) throws Exception {
        return new Subscriber(mosquitto.url(), user + "-" + System.nanoTime(), login(user, true), filter);
    }

    DeviceConfig.Broker device(String id, int keepAlive) {
        return new DeviceConfig.Broker(mosquitto.url(), id, mosquitto.passwordFile(id), mosquitto.ca(), null, null, keepAlive, 200);
    }

    @Test
    void deviceOverTlsWithPasswordPublishesAndAnswersACliniciansCommand() throws Exception {
        List<SessionCommand> got = new CopyOnWriteArrayList<>();
        try (Subscriber anna = client("clinician-anna", "tensd/v1/clinic-demo/#");
             JournalingEventSink sink = JournalingEventSink.open(tmp.resolve("j"), "dev-m1", Clock.SYSTEM)) {
            TelemetryService svc = TelemetryService.builder("clinic-demo", "dev-m1", device("dev-m1", 10)).events(sink)
                    .status(TelemetryServiceTest::snapshot).commands((c, r) -> { got.add(c); r.accept(CommandOutcome.accepted()); }).build();
            svc.start();
            assertTrue(svc.awaitConnected(Duration.ofSeconds(15)));
            sink.emit(new SessionEvent("session-started", "s-1", System.nanoTime(), Map.of()));
            assertNotNull(anna.await(m -> m.topic().endsWith("/event"), Duration.ofSeconds(5)));
            assertNotNull(anna.await(m -> m.topic().endsWith("/telemetry"), Duration.ofSeconds(5)));
            Thread.sleep(200);
            MqttProperties p = new MqttProperties();
            p.setResponseTopic("tensd/v1/clinic-demo/dev-m1/reply/anna");
            p.setCorrelationData(new byte[] {7});
            p.setMessageExpiryInterval(30L);
            IMqttToken t = anna.client.publish("tensd/v1/clinic-demo/dev-m1/cmd/pause", new MqttMessage(
                    ("{\"id\":\"a1\",\"deadline\":\"" + Instant.now().plusSeconds(30) + "\"}").getBytes(), 1, false, p));
            t.waitForCompletion(5000);
            Subscriber.Received answer = anna.await(m -> m.topic().endsWith("/reply/anna"), Duration.ofSeconds(5));
            assertNotNull(answer, "the answer passes the ACL (device writes its reply/#, clinician reads the site)");
            assertEquals("accepted", answer.json().get("status").asText());
            assertEquals(1, got.size());
            assertTrue(anna.schemaErrors.isEmpty(), anna.schemaErrors.toString());
            svc.stop();
        }
    }

    @Test
    void aClientOutsideTheAclCannotCommandAndADeviceCannotLeaveItsSubtree() throws Exception {
        AtomicInteger commands = new AtomicInteger();
        try (Subscriber anna = client("clinician-anna", "tensd/v1/clinic-demo/#");
             Subscriber intruder = client("intruder", "tensd/v1/#");
             Subscriber otherDevice = client("dev-m2", "tensd/v1/clinic-demo/dev-m2/cmd/#");
             JournalingEventSink sink = JournalingEventSink.open(tmp.resolve("j"), "dev-m1", Clock.SYSTEM)) {
            TelemetryService svc = TelemetryService.builder("clinic-demo", "dev-m1", device("dev-m1", 10)).events(sink)
                    .status(TelemetryServiceTest::snapshot).commands((c, r) -> { commands.incrementAndGet(); r.accept(CommandOutcome.accepted()); }).build();
            svc.start();
            assertTrue(svc.awaitConnected(Duration.ofSeconds(15)));
            Thread.sleep(300);
            byte[] cmd = ("{\"id\":\"x1\",\"deadline\":\"" + Instant.now().plusSeconds(30) + "\"}").getBytes();
            MqttProperties p = new MqttProperties();
            p.setMessageExpiryInterval(30L);
            int rcIntruder = reasonCode(intruder.client.publish("tensd/v1/clinic-demo/dev-m1/cmd/stop", new MqttMessage(cmd, 1, false, p)));
            int rcDevice = reasonCode(otherDevice.client.publish("tensd/v1/clinic-demo/dev-m1/cmd/stop", new MqttMessage(cmd, 1, false, p)));
            int rcOutside = reasonCode(otherDevice.client.publish("tensd/v1/clinic-demo/dev-m1/event", new MqttMessage("{}".getBytes(), 1, false, null)));
            int rcAnnaEvent = reasonCode(anna.client.publish("tensd/v1/clinic-demo/dev-m1/event", new MqttMessage("{}".getBytes(), 1, false, null)));
            Thread.sleep(500);
            System.out.printf("ACL PUBACK reason codes: intruder→cmd 0x%x, dev-m2→dev-m1/cmd 0x%x, dev-m2→dev-m1/event 0x%x, clinician→event 0x%x%n",
                    rcIntruder, rcDevice, rcOutside, rcAnnaEvent);
            assertEquals(0x87, rcIntruder, "not authorized");
            assertEquals(0x87, rcDevice);
            assertEquals(0x87, rcOutside);
            assertEquals(0x87, rcAnnaEvent);
            assertEquals(0, commands.get(), "no refused command reached the device");
            assertTrue(anna.on("/dev-m1/event").stream().noneMatch(m -> m.json() != null && m.json().isEmpty()), "nothing forged arrived");
            assertTrue(intruder.messages.isEmpty(), "the intruder reads nothing");
            assertThrows(MqttException.class, () -> new Subscriber(mosquitto.url(), "anon", anonymous(), "tensd/v1/#"),
                    "anonymous clients are refused");
            svc.stop();
        }
    }

    static MqttConnectionOptions anonymous() throws Exception {
        MqttConnectionOptions o = login("monitor", true);
        o.setUserName(null);
        o.setPassword(null);
        return o;
    }

    static int reasonCode(IMqttToken t) throws MqttException {
        t.waitForCompletion(5000);
        int[] rc = t.getReasonCodes();
        return rc == null || rc.length == 0 ? 0 : rc[0];
    }

    @Test
    void tenBrokerRestartsLoseNothing() throws Exception {
        int events = 400;
        try (JournalingEventSink sink = JournalingEventSink.open(tmp.resolve("j"), "dev-m2", Clock.SYSTEM)) {
            // a clinic client with a persistent session: the broker keeps its QoS 1 messages across restarts
            Subscriber anna = new Subscriber(mosquitto.url(), "anna-persistent", login("clinician-anna", false),
                    "tensd/v1/clinic-demo/dev-m2/event", "tensd/v1/clinic-demo/dev-m2/session/summary");
            TelemetryService svc = TelemetryService.builder("clinic-demo", "dev-m2", device("dev-m2", 5)).events(sink)
                    .status(TelemetryServiceTest::snapshot).commands((c, r) -> r.accept(CommandOutcome.accepted())).build();
            svc.start();
            assertTrue(svc.awaitConnected(Duration.ofSeconds(15)));
            Thread producer = new Thread(() -> {
                for (int i = 0; i < events; i++) {
                    sink.emit(new SessionEvent(i % 50 == 49 ? Wire.SUMMARY_TYPE : "fault-raised", "s-" + (i / 50), System.nanoTime(), Map.of("i", i)));
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            producer.start();
            for (int outage = 0; outage < 10; outage++) {
                Thread.sleep(300);
                mosquitto.stop();
                Thread.sleep(300);
                mosquitto.start();
                long before = svc.counters().connects();
                long end = System.nanoTime() + 15_000_000_000L;
                while (svc.counters().connects() == before && System.nanoTime() < end) Thread.sleep(20);
            }
            producer.join();
            assertTrue(sink.awaitIdle(Duration.ofSeconds(10)));
            assertTrue(svc.awaitDelivered(Duration.ofSeconds(30)));
            long last = sink.journal().durableSeq();
            long end = System.nanoTime() + 15_000_000_000L;
            while (System.nanoTime() < end && anna.messages.stream().map(m -> m.json().get("seq").asLong()).distinct().count() < last) Thread.sleep(50);
            int dups = Subscriber.assertCompleteInOrder(new ArrayList<>(anna.messages), last);
            System.out.printf("mosquitto restarts: 10, events %d, device connects %d, replayed %d, duplicates at the subscriber %d%n",
                    last, svc.counters().connects(), svc.counters().eventsReplayed(), dups);
            assertEquals(events, last);
            assertTrue(anna.schemaErrors.isEmpty(), anna.schemaErrors.toString());
            svc.stop();
            anna.close();
        }
    }

    @Test
    void killMinusNineOfThePublisherLosesNothingAndTheWillSaysOffline() throws Exception {
        Path journal = tmp.resolve("kill-journal");
        int keepAlive = 2;
        try (Subscriber anna = client("clinician-anna", "tensd/v1/clinic-demo/dev-kill/#")) {
            Process first = child(journal, 0, 100_000, false, keepAlive);
            BufferedReader out = new BufferedReader(new InputStreamReader(first.getInputStream()));
            String line;
            int emitted = 0;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("EMITTED ") && ++emitted >= 300) break;
            }
            assertNotNull(anna.await(m -> m.topic().endsWith("/event"), Duration.ofSeconds(10)), "events flow before the kill");
            long t0 = System.nanoTime();
            new ProcessBuilder("kill", "-9", Long.toString(first.pid())).start().waitFor();
            first.waitFor();
            Subscriber.Received off = anna.await(m -> m.topic().endsWith("/status") && "offline".equals(m.json().get("state").asText()), Duration.ofSeconds(10));
            assertNotNull(off, "the Will arrives");
            double willSecs = (off.atNanos() - t0) / 1e9;
            assertEquals("will", off.json().get("reason").asText());
            assertTrue(willSecs <= 1.5 * keepAlive, "offline after " + willSecs + " s");

            Process second = child(journal, 100_000, 100_200, true, keepAlive);
            second.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            assertEquals(0, second.waitFor(), "the restarted publisher delivered its backlog");
            try (Journal j = Journal.open(journal, Journal.Policy.defaults(), e -> { })) {
                long last = j.durableSeq();
                long end = System.nanoTime() + 10_000_000_000L;
                List<Subscriber.Received> stream = List.of();
                while (System.nanoTime() < end) {
                    stream = anna.messages.stream().filter(m -> m.topic().endsWith("/event") || m.topic().endsWith("/session/summary")).toList();
                    if (stream.stream().map(m -> m.json().get("seq").asLong()).distinct().count() >= last) break;
                    Thread.sleep(50);
                }
                int dups = Subscriber.assertCompleteInOrder(stream, last);
                boolean aborted = stream.stream().anyMatch(m -> "session-aborted".equals(m.json().get("type").asText())
                        && "daemon-restart".equals(m.json().get("data").get("reason").asText()));
                System.out.printf("kill -9: Will after %.3f s (keep-alive %d s); journal last seq %d (emitted ≥ %d before the kill), duplicates %d%n",
                        willSecs, keepAlive, last, emitted, dups);
                assertTrue(aborted, "the cut session is reported aborted");
                assertNull(anna.schemaErrors.isEmpty() ? null : anna.schemaErrors.toString());
            }
        }
    }

    Process child(Path journal, int from, int to, boolean finish, int keepAlive) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-cp", System.getProperty("java.class.path"), ChildPublisher.class.getName(),
                journal.toString(), mosquitto.url(), mosquitto.ca().toString(), mosquitto.passwordFile("dev-kill").toString(),
                "dev-kill", "clinic-demo", Integer.toString(from), Integer.toString(to), Boolean.toString(finish), Integer.toString(keepAlive));
        return new ProcessBuilder(cmd).redirectError(tmp.resolve("child-" + from + ".err").toFile()).start();
    }
}
