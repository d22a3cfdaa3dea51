package io.tensd.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tensd.sim.SerialBridge;
import io.tensd.sim.SerialStimLink;
import io.tensd.sim.scenario.RunReport;
import io.tensd.sim.scenario.Scenario;
import io.tensd.sim.scenario.ScenarioParser;
import io.tensd.sim.scenario.ScenarioRunner;
import io.tensd.sim.scenario.TraceWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tensd simulate}: the simulated device through a scenario file in virtual time, or the demo session. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Run the simulated device. Without --scenario: the demo session at 20x real time, reporting to an "
                + "embedded MQTT 5 broker, with a live console view and an HTML session report. With --scenario: that "
                + "scenario in virtual time (--speed max), writing its trace and report; --serial sends every setpoint "
                + "through the real serial stack to the board emulator (real time).",
                "Scenario format: docs/scenarios.md (--serial: its \"--serial\" section). Exit 0 whatever the end state; "
                        + "2 for a bad scenario or config file, a bad option, or a serial link that cannot be opened."})
public final class SimulateCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--scenario", paramLabel = "FILE", description = "scenario YAML file")
    Path scenarioFile;

    @Option(names = "--config", paramLabel = "FILE", description = "device config (default: config/tensd.yaml or /etc/tensd/tensd.yaml)")
    Path configFile;

    @Option(names = "--limits", paramLabel = "FILE", description = "limits file (default: limits.yaml beside the config)")
    Path limitsFile;

    @Option(names = "--speed", paramLabel = "max|N",
            description = "max: virtual time as fast as possible (default with --scenario); N: N times real time "
                    + "(1 = real time; default 20 for the demo session)")
    String speed;

    @Option(names = "--trace", paramLabel = "FILE.csv", description = "write one CSV row per loop tick")
    Path traceFile;

    @Option(names = "--trace-every", paramLabel = "N", defaultValue = "1", description = "write every Nth tick only")
    int traceEvery;

    @Option(names = "--report", paramLabel = "FILE.json", description = "write the run report (default with MQTT: OUT/report.json)")
    Path reportFile;

    @Option(names = "--broker", paramLabel = "URL",
            description = "report to this MQTT broker (tcp://host:port) instead of an embedded one")
    String brokerUrl;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "tensd-sim",
            description = "where the session folder (journal, record, HTML report) and report.json go; used by every run "
                    + "with MQTT, and by a --scenario run when given (default: ./tensd-sim)")
    Path outDir;

    @Option(names = "--no-mqtt", description = "run the demo without a broker")
    boolean noMqtt;

    @Option(names = "--serial",
            description = "run the stimulator link through the real serial stack: socat ptys, jSerialComm, the board "
                    + "emulator on the simulated board (needs socat; paced at real time, --speed 1 by default)")
    boolean serial;

    @Option(names = "--serial-port", paramLabel = "PATH",
            description = "like --serial, but talk to the board on PATH: a real stimulator board's UART or "
                    + "'tensd board-emulator --port PATH'; board and electrode injections are then skipped")
    String serialPort;

    @Option(names = "--heat-model", paramLabel = "FILE",
            description = "heat with this identified pad model (tensd heat-tune --out) instead of the nominal one; "
                    + "the simulated pad is the scenario's heat.plant, or the file's pad when the scenario names none")
    Path heatModelFile;

    @Option(names = "--dashboard", negatable = true,
            description = "also start the clinic service (embedded database in OUT/clinic) and print the dashboard's URL "
                    + "and a demo login (default: on for the built-in demo with MQTT, off with --scenario)")
    Boolean dashboard;

    @Option(names = "--debug", description = "print stack traces")
    boolean debug;

    /** Where socat is looked for (the PATH; a test points it elsewhere). */
    String searchPath = System.getenv("PATH");

    /** Fastest pace the serial link is run at: its lease, heartbeats and status period are real milliseconds. */
    static final double MAX_SERIAL_SPEED = 4;

    @Override
    public Integer call() throws Exception {
        if (traceEvery < 1) {
            throw new UserError("--trace-every must be 1 or more", null, 2, null);
        }
        Scenario scenario;
        if (scenarioFile == null) {
            try (var in = SimulateCommand.class.getResourceAsStream("/scenarios/demo.yaml")) {
                scenario = ScenarioParser.parse("demo.yaml (built in)",
                        new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } else {
            if (!Files.isReadable(scenarioFile)) {
                throw new UserError("cannot read scenario file " + scenarioFile, "check the path", 2, null);
            }
            scenario = ScenarioParser.parse(scenarioFile);
        }
        boolean viaSerial = serial || serialPort != null;
        double pace = viaSerial ? serialSpeed(speed) : parseSpeed(speed != null ? speed : scenarioFile == null ? "20" : "max");
        var cfg = CliConfig.forSimulation(configFile, limitsFile);
        boolean mqtt = !noMqtt && (scenarioFile == null || brokerUrl != null || needsBroker(scenario));
        ScenarioRunner.Options opts = ScenarioRunner.Options.defaults(cfg.limits())
                .withLoopRate(cfg.device().loopRateHz());
        PrintWriter out = spec.commandLine().getOut();
        if (heatModelFile != null) {
            io.tensd.config.HeatModelFile.Loaded model = io.tensd.config.HeatModelFile.read(heatModelFile);
            if (scenario.plant().nominal() && model.simulatedPlant().isPresent()) {
                var p = model.simulatedPlant().get();
                scenario = new Scenario(scenario.file(), scenario.name(), scenario.seed(), scenario.prescription(),
                        scenario.timeline(), new io.tensd.sim.PadPlant(p.get("gainScale"), p.get("tauScale"), p.get("couplingScale")));
            }
            io.tensd.heat.HeatSetup setup = model.calibration().setup(scenario.plant().padId(),
                    io.tensd.safety.HeatModel.defaults());
            opts = opts.withHeat(setup);
            out.println("heat model: " + setup.source() + (setup.refusal() == null ? "" : "; heat refused: " + setup.refusal()));
        }
        Path serialDir = null;
        if (serialPort != null) {
            opts = opts.withStimLink(SerialStimLink.port(serialPort));
        } else if (serial) {
            if (!SerialBridge.socatAvailable(searchPath)) {
                throw new UserError("--serial needs socat, which is not on the PATH", SerialBridge.INSTALL_HINT, 2, null);
            }
            serialDir = Files.createTempDirectory("tensd-serial-");
            opts = opts.withStimLink(SerialStimLink.emulated(serialDir, scenario.seed()));
        }
        TraceWriter trace = null;
        if (traceFile != null) {
            trace = new TraceWriter(Files.newBufferedWriter(traceFile, StandardCharsets.UTF_8));
            opts = opts.withTrace(trace, traceEvery);
        }
        // A session folder with its HTML report: always with MQTT, and for a --scenario run when --out is given.
        boolean record = mqtt || spec.commandLine().getParseResult().hasMatchedOption("--out");
        SimulatedReporting reporting = null;
        if (record) {
            reporting = SimulatedReporting.start(cfg, mqtt ? brokerUrl : null, mqtt, outDir, out);
            opts = opts.withEvents(reporting.events());
        }
        if (mqtt && (dashboard != null ? dashboard : scenarioFile == null)) {
            startDashboard(reporting.url(), outDir.resolve("clinic"), out, dashboard != null);
        }
        boolean live = scenarioFile == null || pace > 0;
        ScenarioRunner runner;
        try {
            runner = new ScenarioRunner(scenario, record ? opts.withHooks(reporting.hooks(live, cfg.limits())) : opts);
        } catch (SerialStimLink.LinkException e) {
            if (trace != null) {
                trace.close();
            }
            if (reporting != null) {
                reporting.close();
            }
            boolean socatLog = serialDir != null && !(e.getCause() instanceof SerialBridge.SocatMissingException)
                    && Files.exists(serialDir.resolve("socat.log"));
            if (!socatLog) {
                deleteSerialDir(serialDir);     // kept otherwise: the hint points at socat's log in it
            }
            throw new UserError(e.getMessage(), serialPort != null
                    ? "check the path and that a board (or 'tensd board-emulator --port " + serialPort + "') is on it"
                    : socatLog ? "see " + serialDir.resolve("socat.log") : SerialBridge.INSTALL_HINT, 2, e);
        }
        if (viaSerial) {
            out.printf("stimulator link: serial, %s (%s), pace %sx real time%n",
                    ((SerialStimLink) runner.device().link()).portPath(),
                    serialPort != null ? "external board" : "socat pty pair, board emulator", fmt(pace));
            out.flush();
        }
        if (record) {
            reporting.attach(runner);
        }
        Thread main = Thread.currentThread();
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        Thread hook = new Thread(() -> {
            runner.requestStop();
            try {
                done.await(15, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "tensd-sim-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            RunReport report;
            Path html = null;
            try {
                report = runner.run(pace);
                if (reporting != null) {
                    reporting.endLiveView();
                    html = reporting.writeHtmlReport();
                }
            } finally {
                if (trace != null) {
                    trace.close();
                }
                if (reporting != null) {
                    reporting.close();
                }
                runner.device().closeLink();
                deleteSerialDir(serialDir);
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and waits for us
            }
            out.printf("scenario '%s': end state %s (%s) after %.1f s virtual in %d ms wall; %d fault(s)%n",
                    report.scenario(), report.endState(), report.endReason(), report.durationMs() / 1000.0, report.wallMs(),
                    report.faults().size());
            report.faults().forEach(f -> out.printf("  fault %-22s injected %s detected %d ms safe %s%n", f.code(),
                    f.injectedAtMs() == null ? "-" : f.injectedAtMs() + " ms", f.detectedAtMs(),
                    f.safeAtMs() == null ? "never" : f.safeAtMs() + " ms"));
            runner.notes().forEach(n -> out.println("  note: " + n));
            Path reportOut = reportFile != null ? reportFile : record ? outDir.resolve("report.json") : null;
            if (reportOut != null) {
                writeJson(reportOut, report);
                out.println("report: " + reportOut.toAbsolutePath());
            }
            if (reporting != null) {
                out.println("journal: " + reporting.journalDir().toAbsolutePath());
            }
            if (html != null) {
                out.println("session report: " + html.toAbsolutePath());
            }
            if (traceFile != null) {
                out.println("trace: " + traceFile);
            }
        } finally {
            done.countDown(); // last: on Ctrl-C the JVM halts once the shutdown hook sees this
        }
        return 0;
    }

    /**
     * The clinic service beside the simulation, so the demo shows the session live in a browser. It is looked up by
     * name: the device package leaves the clinic side out, and then the demo runs without it.
     */
    private static void startDashboard(String brokerUrl, Path dir, PrintWriter out, boolean asked) {
        Class<?> demo;
        try {
            demo = Class.forName("io.tensd.clinic.cli.DemoClinic");
        } catch (ClassNotFoundException | NoClassDefFoundError absent) {
            if (asked) {
                throw new UserError("--dashboard: the clinic service is not part of this installation",
                        "it ships in the tensd-clinic package (or run from the build tree's target/tensd.jar)", 2, null);
            }
            return;
        }
        out.println("starting the clinic service and its dashboard (embedded PostgreSQL in " + dir.toAbsolutePath() + ")…");
        out.flush();
        try {
            Object started = demo.getMethod("start", String.class, Path.class, java.time.Duration.class)
                    .invoke(null, brokerUrl, dir, java.time.Duration.ofSeconds(60));
            var type = started.getClass();
            out.printf("dashboard: %s  (log in as %s, password %s; the service logs to %s)%n",
                    type.getMethod("url").invoke(started), type.getMethod("user").invoke(started),
                    type.getMethod("password").invoke(started), type.getMethod("log").invoke(started));
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (asked) {
                throw new UserError("--dashboard: " + cause.getMessage(), "run without --dashboard", 1, cause);
            }
            out.println("note: no dashboard: " + cause.getMessage());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot start the demo clinic", e);
        }
        out.flush();
    }

    private static boolean needsBroker(Scenario s) {
        return s.timeline().stream().anyMatch(e -> e.action() instanceof io.tensd.sim.scenario.Action.Broker
                || e.action() instanceof io.tensd.sim.scenario.Action.Command);
    }

    /** With the serial link: real time by default, never 'max', at most {@link #MAX_SERIAL_SPEED}. */
    static double serialSpeed(String s) {
        if (s == null) {
            return 1;
        }
        if ("max".equals(s)) {
            throw new UserError("--speed max cannot be used with --serial or --serial-port: the serial link runs in real time",
                    "leave --speed out (real time) or give a number up to " + fmt(MAX_SERIAL_SPEED), 2, null);
        }
        double v = parseSpeed(s);
        if (v > MAX_SERIAL_SPEED) {
            throw new UserError("--speed " + s + " is too fast for the serial link (at most " + fmt(MAX_SERIAL_SPEED) + ")",
                    "its lease, heartbeats and status frames are real milliseconds; use --speed 1 (default) to "
                            + fmt(MAX_SERIAL_SPEED), 2, null);
        }
        return v;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** Removes the pty links and socat.log of a --serial run. */
    private static void deleteSerialDir(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a leftover temp dir is harmless
        }
    }

    static double parseSpeed(String s) {
        if ("max".equals(s)) {
            return 0;
        }
        try {
            double v = Double.parseDouble(s);
            if (v > 0 && v <= 10_000) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the error
        }
        throw new UserError("--speed must be 'max' or a number between 0 and 10000, got '" + s + "'", null, 2, null);
    }

    static void writeJson(Path file, Object value) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), value);
    }
}
