package io.tensd.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.config.DeviceConfig;
import io.tensd.loop.Clock;
import io.tensd.loop.StatusSnapshot;
import io.tensd.session.CommandGateway;
import io.tensd.session.CommandOutcome;
import io.tensd.session.SessionCommand;
import io.tensd.session.SessionEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real broker (HiveMQ CE embedded, one per class): order on connect, outages, commands, the Will. */
class TelemetryServiceTest {
    static EmbeddedBroker broker;
    static final ScheduledExecutorService loopThread = Executors.newSingleThreadScheduledExecutor();
    @TempDir Path tmp;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        loopThread.shutdownNow();
        if (broker != null) broker.close();
    }

    static StatusSnapshot snapshot() {
        return new StatusSnapshot(System.nanoTime(), "s-1", "running", "conventional", true, 20.0, 19.6, 200, 80.0, 1800,
                true, 0.35, 39.0, 36.4, 38.1, Double.NaN, null, 60_000, 1_800_000, 81.0, List.of());
    }

    /** A loop stand-in: answers on its own thread, like the real loop's tick. */
    final List<SessionCommand> submitted = new CopyOnWriteArrayList<>();
    final CommandGateway gateway = (cmd, reply) -> {
        submitted.add(cmd);
        loopThread.execute(() -> reply.accept(cmd instanceof SessionCommand.SetIntensity s && s.milliAmps() > 40
                ? CommandOutcome.clamped(List.of("limits: maxMilliAmps 40")) : CommandOutcome.accepted()));
    };

    TelemetryService service(String device, String url, JournalingEventSink sink, int keepAlive) {
        DeviceConfig.Broker b = new DeviceConfig.Broker(url, null, null, null, null, null, keepAlive, 100);
        return TelemetryService.builder("site-a", device, b).events(sink).status(TelemetryServiceTest::snapshot)
                .commands(gateway).birth(() -> Map.of("version", "0.1.0", "limitsHash", "sha256:ab12", "program", "conventional"))
                .firstConnectRetryMax(Duration.ofMillis(500)).build();
    }

    @Test
    void connectOrderIsStatusBirthBacklogThenLiveAndEveryPayloadMatchesItsSchema() throws Exception {
        try (Subscriber sub = new Subscriber(broker.url(), "clinic-1", null, "tensd/v1/site-a/dev-order/#");
             JournalingEventSink sink = JournalingEventSink.open(tmp.resolve("j"), "dev-order", Clock.SYSTEM)) {
            sink.emit(new SessionEvent("session-started", "s-1", System.nanoTime(), Map.of("program", "conventional")));
            sink.emit(new SessionEvent("electrode-lift", "s-1", System.nanoTime(), Map.of("impedanceOhms", 9000)));
            assertTrue(sink.awaitIdle(Duration.ofSeconds(5)));
            TelemetryService svc = service("dev-order", broker.url(), sink, 10);
            svc.start();
            assertTrue(svc.awaitConnected(Duration.ofSeconds(15)));
            assertTrue(svc.awaitDelivered(Duration.ofSeconds(5)));
            sink.emit(new SessionEvent("session-completed", "s-1", System.nanoTime(), Map.of()));
            sink.emit(new SessionEvent(Wire.SUMMARY_TYPE, "s-1", System.nanoTime(), Map.of("durationMillis", 1_800_000, "maxMilliAmps", 20.0)));
            assertNotNull(sub.await(r -> r.topic().endsWith("/session/summary"), Duration.ofSeconds(5)));
            assertNotNull(sub.await(r -> r.topic().endsWith("/telemetry"), Duration.ofSeconds(5)));
            svc.stop();
            assertNotNull(sub.await(r -> r.topic().endsWith("/status") && r.json().get("state").asText().equals("offline"), Duration.ofSeconds(5)));

            List<String> order = sub.messages.stream().map(r -> r.topic().substring("tensd/v1/site-a/dev-order/".length())
                    + (r.json().has("seq") ? "#" + r.json().get("seq") + (r.json().path("replayed").asBoolean() ? "r" : "") : "")).toList();
            List<String> head = order.stream().filter(s -> !s.equals("telemetry")).toList();
            assertEquals(List.of("status", "birth", "event#1r", "event#2r", "event#3", "session/summary#4", "status"), head, order.toString());
            assertTrue(sub.schemaErrors.isEmpty(), sub.schemaErrors.toString());
            Subscriber.Received tel = sub.on("/telemetry").get(0);
            assertEquals(20.0, tel.json().get("intensitySetMilliAmps").asDouble());
            assertTrue(tel.json().get("postureAngleDeg").isNull(), "NaN is null on the wire");
            assertEquals("sha256:ab12", sub.on("/birth").get(0).json().get("device").get("limitsHash").asText());
            assertEquals(4, sink.journal().ackedSeq(), "the cursor follows the PUBACKs");
        }
    }

    @Test
    void tenConnectionOutagesLoseNothingAndKeepOrder() throws Exception {
        int events = 600;
        try (Subscriber sub = new Subscriber(broker.url(), "clinic-2", null, "tensd/v1/site-a/dev-outage/#");
             TcpProxy proxy = new TcpProxy(broker.port());
             JournalingEventSink sink = JournalingEventSink.open(tmp.resolve("j"), "dev-outage", Clock.SYSTEM)) {
            TelemetryService svc = service("dev-outage", proxy.url(), sink, 5);
            svc.start();
            assertTrue(svc.awaitConnected(Duration.ofSeconds(15)));
            Thread producer = new Thread(() -> {
                for (int i = 0; i < events; i++) {
                    sink.emit(new SessionEvent(i % 100 == 99 ? Wire.SUMMARY_TYPE : "slouch-alert", "s-" + (i / 100), System.nanoTime(), Map.of("i", i)));
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            producer.start();
            for (int outage = 0; outage < 10; outage++) {
                Thread.sleep(300);
                proxy.cut();
                Thread.sleep(200);
                proxy.restore();
                long deadline = System.nanoTime() + 15_000_000_000L;
                long connectsBefore = svc.counters().connects();
                while (svc.counters().connects() == connectsBefore && System.nanoTime() < deadline) Thread.sleep(20);
            }
            producer.join();
            assertTrue(sink.awaitIdle(Duration.ofSeconds(10)));
            assertTrue(svc.awaitDelivered(Duration.ofSeconds(30)), "acked " + sink.journal().ackedSeq() + " of " + sink.journal().durableSeq());
            long last = sink.journal().durableSeq();
            Thread.sleep(200);
            List<Subscriber.Received> stream = sub.messages.stream()
                    .filter(r -> r.topic().endsWith("/event") || r.topic().endsWith("/session/summary")).toList();
            int dups = Subscriber.assertCompleteInOrder(stream, last);
            TelemetryService.Counters c = svc.counters();
            System.out.printf("outages: 10, events %d, connects %d, replayed %d, duplicates at the subscriber %d, telemetry dropped %d%n",
                    last, c.connects(), c.eventsReplayed(), dups, c.telemetryDropped());
            assertEquals(events, last);
            assertTrue(c.connects() >= 11, "reconnected after every outage: " + c.connects());
            assertTrue(sub.on("/birth").size() >= 11, "a birth on every (re)connect: " + sub.on("/birth").size());
            assertTrue(sub.schemaErrors.isEmpty(), sub.schemaErrors.toString());
            svc.stop();
        }
    }

    @Test
    void commandsRoundTripWithCorrelationDataAndBecomeEvents() throws Exception {
        try (Subscriber clinic = new Subscriber(broker.url(), "clinic-3", null, "tensd/v1/site-a/dev-cmd/#");
             JournalingEventSink sink = JournalingEventSink.open(tmp.resolve("j"), "dev-cmd", Clock.SYSTEM)) {
            TelemetryService svc = service("dev-cmd", broker.url(), sink, 10);
            svc.start();
            assertTrue(svc.awaitConnected(Duration.ofSeconds(15)));
            Thread.sleep(200); // the command subscription is made right after connect
            String reply = "tensd/v1/site-a/dev-cmd/reply/clinic-3";
            send(clinic, "set-intensity", "{\"id\":\"k1\",\"deadline\":\"" + Instant.now().plusSeconds(30) + "\",\"milliAmps\":55}", reply, "corr-1", 30L);
            Subscriber.Received r = clinic.await(m -> m.topic().equals(reply), Duration.ofSeconds(5));
            assertNotNull(r, "answered");
            assertEquals("clamped", r.json().get("status").asText());
            assertEquals("limits: maxMilliAmps 40", r.json().get("reasons").get(0).asText());
            assertEquals("corr-1", new String(r.props().getCorrelationData(), StandardCharsets.UTF_8));
            // the same id again: same answer, not executed twice
            send(clinic, "set-intensity", "{\"id\":\"k1\",\"deadline\":\"" + Instant.now().plusSeconds(30) + "\",\"milliAmps\":55}", reply, "corr-2", 30L);
            Subscriber.Received again = clinic.await(m -> m.topic().equals(reply) && m.json().get("duplicate").asBoolean(), Duration.ofSeconds(5));
            assertNotNull(again);
            assertEquals("corr-2", new String(again.props().getCorrelationData(), StandardCharsets.UTF_8));
            assertEquals(1, submitted.size());
            // rebirth is answered by the device itself
            int births = clinic.on("/birth").size();
            send(clinic, "rebirth", "{\"id\":\"k2\",\"deadline\":\"" + Instant.now().plusSeconds(30) + "\"}", reply, "corr-3", 30L);
            assertNotNull(clinic.await(m -> m.topic().equals(reply) && "k2".equals(m.json().get("id").asText()), Duration.ofSeconds(5)));
            assertTrue(clinic.on("/birth").size() > births);
            assertNotNull(clinic.await(m -> m.topic().endsWith("/event") && m.json().get("type").asText().equals("command-result")
                    && "clamped".equals(m.json().get("data").get("status").asText()), Duration.ofSeconds(5)), "the result is an event too");
            assertTrue(clinic.schemaErrors.isEmpty(), clinic.schemaErrors.toString());
            svc.stop();
        }
    }

    @Test
    void willSaysOfflineWithinOneAndAHalfKeepAlivesOfASilentNetwork() throws Exception {
        int keepAlive = 2;
        try (Subscriber clinic = new Subscriber(broker.url(), "clinic-4", null, "tensd/v1/site-a/dev-will/status");
             TcpProxy proxy = new TcpProxy(broker.port());
             JournalingEventSink sink = JournalingEventSink.open(tmp.resolve("j"), "dev-will", Clock.SYSTEM)) {
            TelemetryService svc = service("dev-will", proxy.url(), sink, keepAlive);
            svc.start();
            assertTrue(svc.awaitConnected(Duration.ofSeconds(15)));
            assertNotNull(clinic.await(m -> m.json().get("state").asText().equals("online"), Duration.ofSeconds(5)));
            long t0 = System.nanoTime();
            proxy.freeze(); // the device's packets no longer arrive, no FIN: only keep-alive can tell
            Subscriber.Received off = clinic.await(m -> m.json().get("state").asText().equals("offline"), Duration.ofSeconds(10));
            assertNotNull(off, "the Will arrives");
            double secs = (off.atNanos() - t0) / 1e9;
            // MQTT counts 1.5 x keep-alive from the last packet the broker received, not from the death
            double fromLast = (off.atNanos() - proxy.lastUpstreamNanos()) / 1e9;
            System.out.printf("will after silent network: %.2f s after the freeze, %.2f s after the last packet the broker got"
                    + " (keep-alive %d s, 1.5x = %.1f s)%n", secs, fromLast, keepAlive, 1.5 * keepAlive);
            assertEquals("will", off.json().get("reason").asText());
            assertTrue(fromLast >= 1.5 * keepAlive - 0.1, "the broker waited out the keep-alive: " + fromLast + " s");
            // HiveMQ acts ~0.11 s after 1.5 x keep-alive (measured 3.11-3.14 s); 0.5 s leaves room for a loaded machine
            assertTrue(fromLast <= 1.5 * keepAlive + 0.5, "offline " + fromLast + " s after the last packet");
            assertTrue(secs <= fromLast, "the device's last packet was before its death");
            proxy.cut();
            svc.stop();
        }
    }

    @Test
    void everyCommandIsAnsweredWhileABacklogReplays() throws Exception {
        // HiveMQ's receive maximum is 10: 8 events in flight leave little room for answers. How fast a backlog replays
        // depends on the machine (565 of 3,000 events by the last command here, all 3,000 on a faster CI machine): a
        // replay that ends before the commands were sent proves nothing, so the backlog grows until it outlasts them.
        ReplayRun run = null;
        for (int backlog = 3000; backlog <= 48_000; backlog *= 4) {
            run = commandsDuringReplay("dev-cmd-" + backlog, backlog);
            if (run.replayedAtLastSend() <= backlog / 2) break;
            System.out.printf("replay of %d events was %d done when the last command was sent: again with a larger backlog%n",
                    backlog, run.replayedAtLastSend());
        }
        assertTrue(run.replayedAtLastSend() <= run.backlog() / 2,
                "precondition: the commands were sent in the replay's first half (" + run + ")");
        assertEquals(run.commands(), run.answers(), "every command answered: " + run);
        // answers must not queue behind the backlog: the last one arrives before the replay has ended
        assertTrue(run.lastAnswerNanos() < run.replayEndNanos(), "every answer came before the replay ended: " + run);
    }

    record ReplayRun(int backlog, int commands, long replayedAtLastSend, int answers, long lastAnswerNanos, long replayEndNanos) {
        @Override public String toString() {
            return String.format("backlog %d, replayed %d when the last command was sent, %d of %d answered, "
                    + "last answer %.1f ms before the replay ended", backlog, replayedAtLastSend, answers, commands,
                    (replayEndNanos - lastAnswerNanos) / 1e6);
        }
    }

    ReplayRun commandsDuringReplay(String device, int backlog) throws Exception {
        String reply = "tensd/v1/site-a/" + device + "/reply/clinic-5";
        try (Subscriber clinic = new Subscriber(broker.url(), "clinic-5-" + device, null, reply);
             JournalingEventSink sink = JournalingEventSink.open(tmp.resolve(device), device, Clock.SYSTEM)) {
            for (int i = 0; i < backlog; i++) {
                while (i - sink.recordedEvents() > 2000) Thread.sleep(1);
                sink.emit(new SessionEvent("slouch-alert", "s-1", System.nanoTime(), Map.of("i", i)));
            }
            assertTrue(sink.awaitIdle(Duration.ofSeconds(60)));
            TelemetryService svc = service(device, broker.url(), sink, 10);
            svc.start();
            assertTrue(svc.awaitConnected(Duration.ofSeconds(15)));
            Thread.sleep(100); // the command subscription is made right after connect
            int commands = 10;
            for (int i = 0; i < commands; i++) {
                send(clinic, device, "set-intensity", "{\"id\":\"r" + i + "\",\"deadline\":\"" + Instant.now().plusSeconds(30)
                        + "\",\"milliAmps\":12}", reply, "c" + i, 30L);
                Thread.sleep(20);
            }
            long replayedAtLastSend = svc.counters().eventsReplayed();
            long end = System.nanoTime() + 60_000_000_000L;
            long replayEnd = Long.MAX_VALUE;
            while ((replayEnd == Long.MAX_VALUE || clinic.on("/reply/clinic-5").size() < commands) && System.nanoTime() < end) {
                if (replayEnd == Long.MAX_VALUE && svc.counters().eventsReplayed() >= backlog) replayEnd = System.nanoTime();
                Thread.sleep(1);
            }
            List<Subscriber.Received> answers = clinic.on("/reply/clinic-5");
            long lastAnswer = answers.stream().mapToLong(Subscriber.Received::atNanos).max().orElse(Long.MAX_VALUE);
            ReplayRun run = new ReplayRun(backlog, commands, replayedAtLastSend, answers.size(), lastAnswer, replayEnd);
            System.out.println("answers during replay: " + run);
            assertTrue(svc.awaitDelivered(Duration.ofSeconds(30)));
            svc.stop();
            return run;
        }
    }

    @Test
    void monitorFollowsADevicesEvents() throws Exception {
        try (JournalingEventSink sink = JournalingEventSink.open(tmp.resolve("j"), "dev-mon", Clock.SYSTEM)) {
            TelemetryService svc = service("dev-mon", broker.url(), sink, 10);
            svc.start();
            assertTrue(svc.awaitConnected(Duration.ofSeconds(15)));
            io.tensd.cli.MonitorCommand mon = new io.tensd.cli.MonitorCommand();
            java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
            Thread t = new Thread(() -> {
                mon.output(new java.io.PrintStream(buf, true));
                new picocli.CommandLine(mon).execute("--broker", broker.url(), "--site", "site-a", "--device", "dev-mon", "--follow", "--duration", "4");
            });
            t.start();
            long end = System.nanoTime() + 4_000_000_000L;
            while (!buf.toString(StandardCharsets.UTF_8).contains("following") && System.nanoTime() < end) Thread.sleep(10);
            sink.emit(new SessionEvent("session-paused", "s-1", System.nanoTime(), Map.of("by", "button")));
            t.join();
            String out = buf.toString(StandardCharsets.UTF_8);
            assertTrue(out.contains("session-paused") && out.contains("seq=1"), out);
            svc.stop();
        }
    }

    @Test
    void resendPublishesTheRangeAgainMarkedReplayedAndRejectsWhatTheJournalNoLongerKeeps() throws Exception {
        // 300-byte segments: a few events each, so retention can drop the oldest ones below
        Journal.Policy small = new Journal.Policy(300, 1, Duration.ofDays(30));
        try (Subscriber clinic = new Subscriber(broker.url(), "clinic-resend", null, "tensd/v1/site-a/dev-cmd/#");
             JournalingEventSink sink = JournalingEventSink.open(tmp.resolve("j"), small, "dev-cmd", Clock.SYSTEM,
                     JournalingEventSink.Settings.defaults())) {
            TelemetryService svc = service("dev-cmd", broker.url(), sink, 10);
            svc.start();
            assertTrue(svc.awaitConnected(Duration.ofSeconds(15)));
            Thread.sleep(200); // the command subscription is made right after connect
            for (int i = 0; i < 20; i++) sink.emit(new SessionEvent("slouch-alert", "s-1", System.nanoTime(), Map.of("i", i)));
            assertTrue(sink.awaitIdle(Duration.ofSeconds(5)));
            assertTrue(svc.awaitDelivered(Duration.ofSeconds(10)));
            String reply = "tensd/v1/site-a/dev-cmd/reply/clinic-resend";
            send(clinic, "resend", "{\"id\":\"r1\",\"deadline\":\"" + Instant.now().plusSeconds(30) + "\",\"fromSeq\":5,\"toSeq\":8}",
                    reply, "c-r1", 30L);
            Subscriber.Received a = clinic.await(m -> m.topic().equals(reply) && "r1".equals(m.json().get("id").asText()), Duration.ofSeconds(5));
            assertNotNull(a, "answered");
            assertEquals("accepted", a.json().get("status").asText(), a.json().toString());
            for (long seq = 5; seq <= 8; seq++) {
                long s = seq;
                assertNotNull(clinic.await(m -> m.topic().endsWith("/event") && m.json().get("seq").asLong() == s
                        && m.json().path("replayed").asBoolean(), Duration.ofSeconds(5)), "seq " + s + " published again, replayed");
            }
            long again = clinic.messages.stream().filter(m -> m.topic().endsWith("/event") && m.json().path("replayed").asBoolean()
                    && m.json().get("seq").asLong() <= 20).count();
            assertEquals(4, again, "exactly the range, nothing else");
            assertEquals(4, svc.eventsResent());

            assertTrue(sink.journal().applyRetention(Instant.now()) > 0, "retention dropped old segments");
            long first = sink.journal().firstStoredSeq();
            long last = sink.journal().durableSeq();
            assertTrue(first > 1, "first stored " + first);
            send(clinic, "resend", "{\"id\":\"r2\",\"deadline\":\"" + Instant.now().plusSeconds(30) + "\",\"fromSeq\":1,\"toSeq\":3}",
                    reply, "c-r2", 30L);
            Subscriber.Received gone = clinic.await(m -> m.topic().equals(reply) && "r2".equals(m.json().get("id").asText()), Duration.ofSeconds(5));
            assertNotNull(gone);
            assertEquals("rejected", gone.json().get("status").asText());
            String why = gone.json().get("reasons").get(0).asText();
            java.util.regex.Matcher kept = java.util.regex.Pattern.compile("not-stored: the journal keeps seq (\\d+)\\.\\.(\\d+)").matcher(why);
            assertTrue(kept.matches() && Long.parseLong(kept.group(1)) >= first && Long.parseLong(kept.group(1)) > 3, why);
            // beyond the end: every answer above journals a command-result, and this small journal's retention moves
            // its first seq as it does, so the range starts well past what is written by now
            send(clinic, "resend", "{\"id\":\"r3\",\"deadline\":\"" + Instant.now().plusSeconds(30) + "\",\"fromSeq\":" + (last + 100)
                    + ",\"toSeq\":" + (last + 150) + "}", reply, "c-r3", 30L);
            Subscriber.Received ahead = clinic.await(m -> m.topic().equals(reply) && "r3".equals(m.json().get("id").asText()), Duration.ofSeconds(5));
            assertNotNull(ahead);
            assertTrue(ahead.json().get("reasons").get(0).asText().startsWith("not-journaled: "), ahead.json().toString());
            Thread.sleep(300);
            assertEquals(4, svc.eventsResent(), "rejected ranges publish nothing");
            assertTrue(clinic.schemaErrors.isEmpty(), clinic.schemaErrors.toString());
            svc.stop();
        }
    }

    static void send(Subscriber client, String name, String json, String responseTopic, String correlation, Long expiry) throws Exception {
        send(client, "dev-cmd", name, json, responseTopic, correlation, expiry);
    }

    static void send(Subscriber client, String device, String name, String json, String responseTopic, String correlation,
            Long expiry) throws Exception {
        MqttProperties p = new MqttProperties();
        p.setResponseTopic(responseTopic);
        p.setCorrelationData(correlation.getBytes(StandardCharsets.UTF_8));
        if (expiry != null) p.setMessageExpiryInterval(expiry);
        MqttMessage m = new MqttMessage(json.getBytes(StandardCharsets.UTF_8), 1, false, p);
        client.client.publish("tensd/v1/site-a/" + device + "/cmd/" + name, m)
                .waitForCompletion(5000);
    }
}
