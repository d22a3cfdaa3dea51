package io.tensd.fleet;

import io.tensd.config.DeviceConfig;
import io.tensd.loop.Clock;
import io.tensd.sim.scenario.RunReport;
import io.tensd.sim.scenario.Scenario;
import io.tensd.sim.scenario.ScenarioRunner;
import io.tensd.telemetry.JournalingEventSink;
import io.tensd.telemetry.TelemetryService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * One simulated device of a fleet: its controller in virtual time, its journal and its MQTT service, the
 * same classes `simulate` and the daemon use. Every thread of the device (runner, journal writer, MQTT
 * publisher and Paho's threads) is created inside the device's own {@link ThreadGroup}, so its CPU time can
 * be told apart from the other devices'.
 */
final class FleetDevice {
    final String deviceId;
    final String clientId;
    final ThreadGroup threads;
    private final Scenario scenario;
    private final ScenarioRunner.Options options;
    private final String site;
    private final DeviceConfig.Broker broker;
    private final Path journalDir;
    private volatile JournalingEventSink sink;
    private volatile TelemetryService mqtt;
    private volatile ScenarioRunner runner;
    private volatile RunReport report;
    private volatile Throwable failure;
    private volatile boolean connected;
    final ThreadCpu cpu;

    FleetDevice(int number, String site, Scenario scenario, ScenarioRunner.Options options, DeviceConfig.Broker broker,
                Path outDir) {
        this.deviceId = String.format("%s-%03d", site, number);
        this.clientId = "tensd-" + deviceId;
        this.threads = new ThreadGroup("fleet-" + deviceId);
        this.cpu = new ThreadCpu(threads);
        this.site = site;
        // its own seed: the physical models (skin, impedance, posture noise) differ from device to device
        this.scenario = new Scenario(scenario.file(), scenario.name(), scenario.seed() + number, scenario.prescription(),
                scenario.timeline());
        this.options = options;
        this.broker = broker;
        this.journalDir = outDir.resolve(deviceId).resolve("journal");
    }

    /**
     * Starts the device's thread: opens the journal, connects MQTT, counts {@code ready} down, waits for
     * {@code go}, runs the scenario at {@code pace}, counts {@code done} down.
     */
    void start(double pace, CountDownLatch ready, CountDownLatch go, CountDownLatch done) {
        Thread t = new Thread(threads, () -> {
            try {
                sink = JournalingEventSink.open(journalDir, deviceId, Clock.SYSTEM);
                runner = new ScenarioRunner(scenario, options.withEvents(sink));
                var c = runner.controller();
                mqtt = TelemetryService.builder(site, deviceId, broker).clientId(clientId)
                        .events(sink).status(c).commands(c).birth(this::birth).build();
                mqtt.start();
                connected = mqtt.awaitConnected(Duration.ofSeconds(30));
                ready.countDown();
                go.await();
                report = runner.run(pace);
            } catch (Throwable e) {
                failure = e;
                ready.countDown();
            } finally {
                cpu.sample();   // this thread's own time, before it ends
                done.countDown();
            }
        }, "fleet-" + deviceId);
        t.setDaemon(true);
        t.start();
    }

    private Map<String, Object> birth() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", "fleet");
        m.put("config", Map.of("mode", "simulated", "fleet", true));
        String sid = runner.controller().session().sessionId();
        m.put("session", sid == null ? "none" : sid);
        return m;
    }

    boolean connectedAtStart() { return connected; }

    RunReport report() { return report; }

    Throwable failure() { return failure; }

    TelemetryService.Counters counters() {
        TelemetryService s = mqtt;
        return s == null ? null : s.counters();
    }

    /** Events and summaries this device journaled (its last seq). */
    long journaled() {
        JournalingEventSink s = sink;
        return s == null ? 0 : s.journal().durableSeq();
    }

    /** Of those, acknowledged by the broker. */
    long acknowledged() {
        JournalingEventSink s = sink;
        return s == null ? 0 : s.journal().ackedSeq();
    }

    boolean awaitDelivered(Duration timeout) throws InterruptedException {
        TelemetryService s = mqtt;
        return s != null && sink.awaitIdle(timeout) && s.awaitDelivered(timeout);
    }

    void stop() {
        try {
            if (mqtt != null) {
                mqtt.stop();
            }
            if (sink != null) {
                sink.close();
            }
        } catch (Exception e) {
            failure = failure == null ? e : failure;
        }
    }
}
