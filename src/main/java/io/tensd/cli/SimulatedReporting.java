package io.tensd.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensd.config.DeviceConfig;
import io.tensd.config.LoadedConfig;
import io.tensd.config.Limits;
import io.tensd.loop.Clock;
import io.tensd.loop.DeviceController;
import io.tensd.sim.scenario.Action;
import io.tensd.sim.scenario.ScenarioRunner;
import io.tensd.telemetry.EmbeddedBroker;
import io.tensd.telemetry.JournalingEventSink;
import io.tensd.telemetry.TelemetryService;
import io.tensd.telemetry.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * The MQTT side of {@code simulate}: an embedded broker (unless --broker), the journal, the same
 * TelemetryService the device runs, the live console view, and the scenario's broker and command entries.
 */
final class SimulatedReporting implements AutoCloseable {
    /** The one line a device installation prints for a command that would start the embedded broker. */
    static final String NO_EMBEDDED_BROKER = "the embedded MQTT broker is not part of the device package: "
            + "give --broker tcp://HOST:PORT or --no-mqtt (the build tree's target/tensd.jar and tensd-clinic have it)";
    private final LoadedConfig cfg;
    private final PrintWriter out;
    private final Path journalDir;
    private final JournalingEventSink sink;
    private final String url;
    private final Topics topics;
    private EmbeddedBroker broker;
    private int brokerPort;
    private TelemetryService service;
    private MqttClient clinician;
    private final io.tensd.report.SessionRecorder recorder;
    private ScenarioRunner runner;
    private final boolean mqtt;
    private static final long COMMAND_HOLD_NANOS = 10_000_000_000L;

    private SimulatedReporting(LoadedConfig cfg, PrintWriter out, Path journalDir, JournalingEventSink sink, EmbeddedBroker broker,
                               String url, boolean mqtt) {
        this.mqtt = mqtt;
        this.cfg = cfg;
        this.out = out;
        this.journalDir = journalDir;
        this.sink = sink;
        this.broker = broker;
        this.brokerPort = broker == null ? -1 : broker.port();
        this.url = url;
        this.topics = new Topics(cfg.device().site(), cfg.device().deviceId());
        this.recorder = new io.tensd.report.SessionRecorder(journalDir.resolveSibling("sessions"), cfg.device().deviceId(),
                cfg.limits().skinCeilingCelsius());
    }

    /** The loop's event sink: journal first (then MQTT), and the session record for the report. */
    io.tensd.session.EventSink events() {
        return e -> {
            sink.emit(e);
            recorder.event(e);
        };
    }

    /** Finishes the session record and renders the HTML report; returns its path, or null if there was no session. */
    Path writeHtmlReport() {
        var session = runner.controller().session();
        var summary = session.lastSummary();
        if (summary == null) {
            return null;
        }
        var pipeline = runner.device().posturePipeline();
        recorder.finish(summary, pipeline == null ? Map.of() : Map.of("posture", pipeline.stats().toMap()));
        recorder.flush(5_000);
        Path dir = journalDir.resolveSibling("sessions").resolve(summary.sessionId());
        try {
            var record = io.tensd.report.SessionRecord.load(dir);
            String html = io.tensd.report.HtmlReport.render(record, io.tensd.report.ReportFigures.of(record, 20.0), "tensd simulate");
            Path file = dir.resolve("report.html");
            java.nio.file.Files.writeString(file, html, StandardCharsets.UTF_8);
            return file;
        } catch (Exception e) {
            out.println("note: no HTML report: " + e.getMessage());
            return null;
        }
    }

    /** With {@code mqtt} false: the journal, the session record and its report only, no broker. */
    static SimulatedReporting start(LoadedConfig cfg, String brokerUrl, boolean mqtt, Path outDir, PrintWriter out)
            throws IOException {
        EmbeddedBroker broker = null;
        String url = brokerUrl;
        if (url == null && mqtt) {
            if (!EmbeddedBroker.available()) {
                throw new UserError(NO_EMBEDDED_BROKER, null, 2, null);
            }
            out.println("starting the embedded MQTT 5 broker…");
            broker = EmbeddedBroker.start();
            url = broker.url();
        }
        Path journal = outDir.resolve("journal");
        JournalingEventSink sink;
        try {
            sink = JournalingEventSink.open(journal, cfg.device().deviceId(), Clock.SYSTEM);
        } catch (IOException e) {
            if (broker != null) {
                broker.close();
            }
            throw new UserError("cannot open the journal in " + journal + ": " + e.getMessage(),
                    "choose another directory with --out DIR", 1, e);
        }
        return new SimulatedReporting(cfg, out, journal, sink, broker, url, mqtt);
    }

    JournalingEventSink sink() { return sink; }

    /** The broker the simulated device reports to (the embedded one unless --broker was given). */
    String url() { return url; }

    Path journalDir() { return journalDir; }

    void attach(ScenarioRunner runner) {
        this.runner = runner;
        if (!mqtt) {
            return;
        }
        DeviceController c = runner.controller();
        DeviceConfig.Broker b = cfg.device().broker();
        DeviceConfig.Broker effective = new DeviceConfig.Broker(url, b.username(), b.passwordFile(), b.caFile(),
                b.clientCertFile(), b.clientKeyFile(), b.keepAliveSeconds(), b.telemetryPeriodMillis());
        // monoMs: events count virtual ms from the scenario's start; the service's own payloads wall ms from now
        sink.runStartNanos(runner.clock().nanos());
        service = TelemetryService.builder(cfg.device().site(), cfg.device().deviceId(), effective)
                .events(sink).status(c).commands(c).runStartNanos(System.nanoTime())
                .birth(() -> birth(c))
                .build();
        boolean connected = false;
        try {
            service.start();
            connected = service.awaitConnected(Duration.ofSeconds(5));
        } catch (IOException e) {
            throw new UserError("cannot reach the MQTT broker at " + url + ": " + e.getMessage(),
                    "is the broker running and the URL right (tcp://host:1883)? or drop --broker to use the embedded one", 1, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.println(watchHint(connected, url, cfg.device().site(), topics.root(), journalDir));
        out.flush();
    }

    /**
     * What the console says about MQTT once the service has tried to connect: how to watch the session when the
     * broker answered; when it did not, that the session runs anyway and is journaled (no command to watch a dead
     * broker with).
     */
    static String watchHint(boolean connected, String url, String site, String topicRoot, Path journalDir) {
        if (!connected) {
            return "MQTT: no broker answers at " + url + "; the session runs anyway, its events are journaled in "
                    + journalDir + " and published once the broker is reachable";
        }
        String hostPort = url.replaceFirst("^[a-z]+://", "");
        String host = hostPort.substring(0, hostPort.lastIndexOf(':'));
        String port = hostPort.substring(hostPort.lastIndexOf(':') + 1);
        return "MQTT: " + url + " — watch this session with:" + System.lineSeparator()
                + "  java -jar target/tensd.jar monitor --broker " + url + " --site " + site + System.lineSeparator()
                + "  mosquitto_sub -h " + host + " -p " + port + " -t '" + topicRoot + "#' -v";
    }

    private Map<String, Object> birth(DeviceController c) {
        Map<String, Object> m = new LinkedHashMap<>();
        String v = SimulatedReporting.class.getPackage().getImplementationVersion();
        m.put("version", v == null ? "dev" : v);
        m.put("limitsHash", cfg.limitsSha256());
        m.put("config", Map.of("loopRateHz", cfg.device().loopRateHz(), "mode", "simulated"));
        String sid = c.session().sessionId();
        m.put("session", sid == null ? "none" : sid);
        return m;
    }

    private LiveView view;
    private java.io.PrintStream plainErr;

    /** Ends the live status line and gives standard error back; before anything else is printed. */
    void endLiveView() {
        if (view != null) {
            view.finish();
            if (plainErr != null) {
                System.setErr(plainErr);
                plainErr = null;
            }
        }
    }

    ScenarioRunner.Hooks hooks(boolean liveView, Limits limits) {
        LiveView view = liveView ? new LiveView(out, System.console() != null, limits.skinCeilingCelsius()) : null;
        this.view = view;
        if (view != null) {
            plainErr = System.err;
            System.setErr(view.guard(plainErr));   // logback's console appender writes through System.err
        }
        return new ScenarioRunner.Hooks() {
            @Override
            public void broker(long atMillis, boolean up) {
                if (broker == null && brokerPort < 0) {
                    out.println("note: broker " + (up ? "up" : "down") + " at " + atMillis + " ms ignored: the broker is external");
                    return;
                }
                try {
                    if (!up && broker != null) {
                        broker.close();
                        broker = null;
                    } else if (up && broker == null) {
                        broker = EmbeddedBroker.start(brokerPort);
                    }
                } catch (IOException e) {
                    out.println("note: could not restart the embedded broker: " + e.getMessage());
                }
            }

            @Override
            public boolean command(long atMillis, Action.Command command, DeviceController controller) {
                return publishCommand(command);
            }

            @Override
            public void afterTick(long nowNanos, DeviceController controller) {
                if (controller.ticks() % cfg.device().loopRateHz() == 0) {
                    recorder.sample(nowNanos, controller.snapshot());
                }
                if (view != null && (controller.ticks() & 7) == 0) {
                    view.maybeShow(controller.snapshot(), controller.session().pauseReason(), null);
                }
            }
        };
    }

    /** Sends a scenario command as a clinician would: MQTT v5 request with response topic and correlation data. */
    private boolean publishCommand(Action.Command command) {
        try {
            if (clinician == null) {
                clinician = new MqttClient(url, "tensd-sim-clinician-" + UUID.randomUUID().toString().substring(0, 8),
                        new MemoryPersistence());
                MqttConnectionOptions o = new MqttConnectionOptions();
                o.setCleanStart(true);
                clinician.connect(o);
            }
            Map<String, Object> payload = new LinkedHashMap<>(command.payload());
            payload.putIfAbsent("id", "sim-" + UUID.randomUUID().toString().substring(0, 12));
            payload.putIfAbsent("deadline", Instant.now().plusSeconds(60).toString());
            MqttMessage msg = new MqttMessage(new ObjectMapper().writeValueAsBytes(payload));
            msg.setQos(1);
            MqttProperties props = new MqttProperties();
            props.setResponseTopic(topics.reply(command.name()));
            props.setCorrelationData(String.valueOf(payload.get("id")).getBytes(StandardCharsets.UTF_8));
            props.setMessageExpiryInterval(60L);
            msg.setProperties(props);
            long before = service.commandsHandled();
            clinician.publish(topics.command(command.name()), msg);
            // Virtual time stands still until the device has handled it: then the command is in the loop's queue and
            // takes effect at the very tick of its `at`, at any --speed (the broker's wall-time trip costs no virtual time).
            long end = System.nanoTime() + COMMAND_HOLD_NANOS;
            while (service.commandsHandled() <= before) {
                if (System.nanoTime() > end) {
                    out.println("note: command " + command.name() + " not handled within " + COMMAND_HOLD_NANOS / 1_000_000_000L
                            + " s of wall time; the run goes on without waiting");
                    break;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(100_000L);
            }
            return true;
        } catch (Exception e) {
            out.println("note: command " + command.name() + " not sent: " + e.getMessage());
            return true;
        }
    }

    @Override
    public void close() {
        endLiveView();
        try {
            if (service != null) {
                service.awaitDelivered(Duration.ofSeconds(5));
                service.stop();
            }
            if (clinician != null && clinician.isConnected()) {
                clinician.disconnect();
            }
            sink.close();
            recorder.close();
        } catch (Exception e) {
            out.println("note: closing MQTT: " + e.getMessage());
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

}
