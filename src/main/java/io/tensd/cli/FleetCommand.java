package io.tensd.cli;

import io.tensd.config.DeviceConfigLoader;
import io.tensd.fleet.Fleet;
import io.tensd.sim.scenario.Scenario;
import io.tensd.sim.scenario.ScenarioParser;
import io.tensd.sim.scenario.ScenarioRunner;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tensd fleet}: N simulated devices in one JVM reporting to a broker; prints what each costs and sent. */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = {"Run N simulated devices in this JVM, each a full device stack (controller in virtual time, its "
                + "own journal under --out, its own MQTT service with client id tensd-<site>-<n>), all running the "
                + "scenario together, reporting to --broker. Prints each device's CPU (its threads, % of one core), the "
                + "heap per device and the messages sent, then per device the count of journaled events (what a clinic "
                + "store must hold).",
                "Exit 0 when every device's journal was acknowledged by the broker; 1 if not; 2 for bad options or files."})
public final class FleetCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--devices", paramLabel = "N", required = true, description = "number of devices (1 to 2000)")
    int devices;

    @Option(names = "--broker", paramLabel = "URL", required = true,
            description = "MQTT broker tcp://host:port or ssl://host:port (mqtt:// and mqtts:// too); give it more than once for brokers to fail over between")
    List<String> brokers;

    @Option(names = "--scenario", paramLabel = "FILE", description = "scenario every device runs (default: the built-in demo session)")
    Path scenarioFile;

    @Option(names = "--speed", paramLabel = "max|N", defaultValue = "1",
            description = "N times real time (default 1: each device costs what a real one would), or max")
    String speed;

    @Option(names = "--site", paramLabel = "S", defaultValue = "fleet", description = "site of every device (default: fleet)")
    String site;

    @Option(names = "--config", paramLabel = "FILE", description = "device config for the broker settings, loop rate and limits")
    Path configFile;

    @Option(names = "--limits", paramLabel = "FILE", description = "limits file (default: limits.yaml beside the config)")
    Path limitsFile;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "tensd-fleet",
            description = "journals (DIR/<device>/journal) and the report DIR/fleet.json (default: ./tensd-fleet)")
    Path outDir;

    @Option(names = "--delivery-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "how long to wait after the sessions for the broker to acknowledge every journal")
    int deliveryTimeoutSeconds;

    @Override
    public Integer call() throws Exception {
        if (devices < 1 || devices > 2000) {
            throw new UserError("--devices must be between 1 and 2000, got " + devices, null, 2, null);
        }
        if (!DeviceConfigLoader.ID.matcher(site).matches() || site.length() > 40) {
            throw new UserError("--site must be 1 to 40 of a-z, 0-9 and '-', got '" + site + "'", null, 2, null);
        }
        for (String b : brokers) {
            String problem = DeviceConfigLoader.brokerUrlProblem(b);
            if (problem != null) {
                throw new UserError("--broker " + b + ": " + problem, null, 2, null);
            }
        }
        Scenario scenario;
        if (scenarioFile == null) {
            try (var in = FleetCommand.class.getResourceAsStream("/scenarios/demo.yaml")) {
                scenario = ScenarioParser.parse("demo.yaml (built in)", new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } else {
            if (!Files.isReadable(scenarioFile)) {
                throw new UserError("cannot read scenario file " + scenarioFile, "check the path", 2, null);
            }
            scenario = ScenarioParser.parse(scenarioFile);
        }
        double pace = SimulateCommand.parseSpeed(speed);
        var cfg = CliConfig.forSimulation(configFile, limitsFile);
        var broker = cfg.device().broker().withUrls(brokers.stream().map(io.tensd.config.DeviceConfig.Broker::pahoUrl).toList());
        ScenarioRunner.Options opts = ScenarioRunner.Options.defaults(cfg.limits()).withLoopRate(cfg.device().loopRateHz());
        PrintWriter out = spec.commandLine().getOut();
        out.printf("fleet: %d devices of site %s, scenario '%s' at %s, broker %s%n", devices, site, scenario.name(),
                pace == 0 ? "max speed" : fmt(pace) + "x real time", String.join(", ", brokers));
        out.flush();
        Files.createDirectories(outDir);
        Fleet.Result r = Fleet.run(devices, site, scenario, opts, broker, pace, outDir, Duration.ofSeconds(deliveryTimeoutSeconds));
        print(out, r);
        Path report = outDir.resolve("fleet.json");
        SimulateCommand.writeJson(report, r);
        out.println("report: " + report.toAbsolutePath());
        long missing = r.perDevice().stream().filter(d -> !d.delivered()).count();
        if (missing > 0) {
            spec.commandLine().getErr().printf("tensd: fleet: %d of %d devices did not have every journaled event acknowledged "
                    + "within %d s%n", missing, devices, deliveryTimeoutSeconds);
            return 1;
        }
        return 0;
    }

    static void print(PrintWriter out, Fleet.Result r) {
        double wallS = r.wallMillis() / 1000.0;
        out.printf("%-16s %-22s %-10s %6s %8s %4s %7s %6s %7s %6s %9s %9s%n", "device", "client id", "end", "cpu %",
                "cpu ms", "thr", "events", "ev/s", "telem", "tel/s", "journaled", "acked");
        for (Fleet.DeviceResult d : r.perDevice()) {
            out.printf(Locale.ROOT, "%-16s %-22s %-10s %6.2f %8d %4d %7d %6.2f %7d %6.2f %9d %9d%s%n", d.deviceId(), d.clientId(),
                    d.endState(), d.cpuPercent(), d.cpuMillis(), d.threads(), d.eventsPublished(), d.eventsPublished() / wallS,
                    d.telemetryPublished(), d.telemetryPublished() / wallS, d.journaled(), d.acknowledged(),
                    d.failure() != null ? "  FAILED: " + d.failure() : d.connectedAtStart() ? "" : "  (not connected at start)");
        }
        out.printf(Locale.ROOT, "fleet: %d devices, %.1f s wall; CPU per device %.2f %% of one core (its threads); process %.1f %% "
                        + "in all = %.2f %% per device (with GC, JIT and the broker client's share)%n",
                r.devices(), wallS, r.cpuPercentPerDevice(), r.processCpuPercent(), r.processCpuPercent() / r.devices());
        out.printf(Locale.ROOT, "heap: %.1f MB before the devices, %.1f MB live with every session running: %.0f KB per device%n",
                r.baselineHeapBytes() / 1e6, r.runningHeapBytes() / 1e6, r.heapPerDeviceBytes() / 1e3);
        out.printf(Locale.ROOT, "messages: %.1f events/s and %.1f telemetry/s from all devices (%.3f and %.2f per device)%n",
                r.eventsPerSecond(), r.telemetryPerSecond(), r.eventsPerSecond() / r.devices(), r.telemetryPerSecond() / r.devices());
        out.println("journaled events per device (a clinic store must hold exactly these): " + r.perDevice().stream()
                .map(d -> d.deviceId() + " " + d.journaled()).collect(Collectors.joining(", ")) + "; total " + r.journaledTotal());
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
