package io.tensd.session;

import io.tensd.config.Limits;
import io.tensd.sim.scenario.RunReport;
import io.tensd.sim.scenario.Scenario;
import io.tensd.sim.scenario.ScenarioParser;
import io.tensd.sim.scenario.ScenarioRunner;
import io.tensd.sim.scenario.TraceWriter;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Runs a scenario file from src/test/resources/scenarios through the real runner and reads its trace back. */
public final class ScenarioHarness {
    /** One trace row, parsed by the header names (the trace contract). */
    public record Row(long tMs, String state, boolean stimEnabled, double maCmd, int pulseUs, double freqHz,
                      boolean heaterEnabled, double duty, double skinC, double padC, double skinModelC, String faults) { }

    public record Run(RunReport report, List<Row> rows, List<SessionEvent> events, List<String> notes) {
        public List<Row> between(long fromMs, long toMs) {
            return rows.stream().filter(r -> r.tMs() >= fromMs && r.tMs() < toMs).toList();
        }

        public List<SessionEvent> events(String type) {
            return events.stream().filter(e -> e.type().equals(type)).toList();
        }

        public long firstMs(java.util.function.Predicate<Row> p) {
            return rows.stream().filter(p).mapToLong(Row::tMs).findFirst().orElse(-1);
        }
    }

    private ScenarioHarness() { }

    public static Run run(String name) { return run(name, 1, o -> o, r -> { }); }

    /** {@code every}: keep every Nth tick in the trace (1 = all, 10 ms at the default 100 Hz). */
    public static Run run(String name, int every, UnaryOperator<ScenarioRunner.Options> tweak,
                          java.util.function.Consumer<ScenarioRunner> before) {
        try (var in = ScenarioHarness.class.getResourceAsStream("/scenarios/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no scenario resource " + name);
            }
            Scenario sc = ScenarioParser.parse(name, new InputStreamReader(in, StandardCharsets.UTF_8));
            StringWriter csv = new StringWriter();
            TraceWriter trace = new TraceWriter(csv);
            ScenarioRunner runner = new ScenarioRunner(sc, tweak.apply(ScenarioRunner.Options.defaults(Limits.defaults())
                    .withTrace(trace, every)));
            before.accept(runner);
            RunReport report = runner.run();
            trace.close();
            return new Run(report, parse(csv.toString()), List.copyOf(runner.events()), runner.notes());
        } catch (Exception e) {
            throw new AssertionError("scenario " + name + ": " + e, e);
        }
    }

    static List<Row> parse(String csv) {
        String[] lines = csv.split("\n");
        if (!lines[0].equals(TraceWriter.HEADER)) {
            throw new AssertionError("trace header changed: " + lines[0]);
        }
        List<Row> rows = new ArrayList<>(lines.length);
        for (int i = 1; i < lines.length; i++) {
            String[] c = lines[i].split(",", -1);
            rows.add(new Row(Long.parseLong(c[0]), c[1], c[2].equals("1"), d(c[3]), c[5].isEmpty() ? 0 : Integer.parseInt(c[5]),
                    d(c[6]), c[8].equals("1"), d(c[9]), d(c[10]), d(c[11]), d(c[12]), c[15]));
        }
        return rows;
    }

    private static double d(String s) { return s.isEmpty() ? Double.NaN : Double.parseDouble(s); }
}
