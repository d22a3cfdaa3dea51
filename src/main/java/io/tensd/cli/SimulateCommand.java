package io.tensd.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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
        description = {"Run the simulated device through a scenario (virtual time) and write its trace and report.",
                "Scenario format: docs/scenarios.md. Exit 0 whatever the end state; 2 for a bad scenario or config file."})
public final class SimulateCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--scenario", paramLabel = "FILE", description = "scenario YAML file")
    Path scenarioFile;

    @Option(names = "--config", paramLabel = "FILE", description = "device config (default: config/tensd.yaml or /etc/tensd/tensd.yaml)")
    Path configFile;

    @Option(names = "--limits", paramLabel = "FILE", description = "limits file (default: limits.yaml beside the config)")
    Path limitsFile;

    @Option(names = "--speed", paramLabel = "max|N", defaultValue = "max",
            description = "max: virtual time as fast as possible (default); N: N times real time (1 = real time)")
    String speed;

    @Option(names = "--trace", paramLabel = "FILE.csv", description = "write one CSV row per loop tick")
    Path traceFile;

    @Option(names = "--trace-every", paramLabel = "N", defaultValue = "1", description = "write every Nth tick only")
    int traceEvery;

    @Option(names = "--report", paramLabel = "FILE.json", description = "write the run report")
    Path reportFile;

    @Option(names = "--debug", description = "print stack traces")
    boolean debug;

    @Override
    public Integer call() throws Exception {
        if (traceEvery < 1) {
            throw new UserError("--trace-every must be 1 or more", null, 2, null);
        }
        double pace = parseSpeed(speed);
        if (scenarioFile == null) {
            throw new UserError("no --scenario given", "pass --scenario FILE (examples in scenarios/)", 2, null);
        }
        if (!Files.isReadable(scenarioFile)) {
            throw new UserError("cannot read scenario file " + scenarioFile, "check the path", 2, null);
        }
        Scenario scenario = ScenarioParser.parse(scenarioFile);
        var cfg = CliConfig.forSimulation(configFile, limitsFile);
        ScenarioRunner.Options opts = ScenarioRunner.Options.defaults(cfg.limits())
                .withLoopRate(cfg.device().loopRateHz());
        TraceWriter trace = null;
        if (traceFile != null) {
            trace = new TraceWriter(Files.newBufferedWriter(traceFile, StandardCharsets.UTF_8));
            opts = opts.withTrace(trace, traceEvery);
        }
        ScenarioRunner runner = new ScenarioRunner(scenario, opts);
        RunReport report;
        try {
            report = runner.run(pace);
        } finally {
            if (trace != null) {
                trace.close();
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("scenario '%s': end state %s (%s) after %.1f s virtual in %d ms wall; %d fault(s)%n",
                report.scenario(), report.endState(), report.endReason(), report.durationMs() / 1000.0, report.wallMs(),
                report.faults().size());
        report.faults().forEach(f -> out.printf("  fault %-22s injected %s detected %d ms safe %s%n", f.code(),
                f.injectedAtMs() == null ? "-" : f.injectedAtMs() + " ms", f.detectedAtMs(),
                f.safeAtMs() == null ? "never" : f.safeAtMs() + " ms"));
        runner.notes().forEach(n -> out.println("  note: " + n));
        if (reportFile != null) {
            writeJson(reportFile, report);
            out.println("report: " + reportFile);
        }
        if (traceFile != null) {
            out.println("trace: " + traceFile);
        }
        return 0;
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
