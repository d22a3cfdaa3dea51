package io.tensd.sim.scenario;

import io.tensd.config.ConfigException;
import io.tensd.config.Limits;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Runs a scenario (YAML text, or a file of src/test/resources/scenarios) in virtual time through the real
 * runner and gives the trace back as rows read by column name, the way an outside check reads it, with the
 * session events and the runner's notes.
 */
public final class ScenarioHarness {
    private ScenarioHarness() { }

    public record Result(RunReport report, List<Row> rows, ScenarioRunner runner) {
        public Row first(Predicate<Row> p) {
            return rows.stream().filter(p).findFirst().orElseThrow(() -> new AssertionError("no trace row matches"));
        }

        public Row at(long tMs) {
            return first(r -> r.t() >= tMs);
        }

        public List<Row> between(long fromMs, long toMs) {
            return rows.stream().filter(r -> r.t() >= fromMs && r.t() < toMs).toList();
        }

        /** Time of the first row matching {@code p}, or -1. */
        public long firstMs(Predicate<Row> p) {
            return rows.stream().filter(p).mapToLong(Row::t).findFirst().orElse(-1);
        }

        public List<io.tensd.session.SessionEvent> events() { return List.copyOf(runner.events()); }

        public List<io.tensd.session.SessionEvent> events(String type) {
            return runner.events().stream().filter(e -> e.type().equals(type)).toList();
        }

        public List<String> notes() { return runner.notes(); }
    }

    /** One trace row, read by column name. */
    public record Row(Map<String, String> cells) {
        public long t() { return Long.parseLong(cells.get("t_ms")); }

        public String s(String col) { return cells.get(col); }

        public double d(String col) {
            String v = cells.get(col);
            return v == null || v.isEmpty() ? Double.NaN : Double.parseDouble(v);
        }

        public boolean b(String col) { return "1".equals(cells.get(col)); }

        // the trace columns by name (docs/scenarios.md "Trace")
        public long tMs() { return t(); }

        public String state() { return s("state"); }

        public boolean stimEnabled() { return b("stim_enabled"); }

        public double maCmd() { return d("stim_ma_cmd"); }

        public int pulseUs() {
            String v = s("pulse_us");
            return v == null || v.isEmpty() ? 0 : Integer.parseInt(v);
        }

        public double freqHz() { return d("freq_hz"); }

        public boolean heaterEnabled() { return b("heater_enabled"); }

        public double duty() { return d("heater_duty"); }

        public double skinC() { return d("skin_c"); }

        public double padC() { return d("pad_c"); }

        public double skinModelC() { return d("skin_model_c"); }

        public String faults() { return s("faults"); }

        public boolean hasFault(String wire) { return Arrays.asList(s("faults").split("\\|")).contains(wire); }

        public boolean outputsSafe() {
            return !b("stim_enabled") && d("stim_ma_cmd") == 0 && !b("heater_enabled") && d("heater_duty") == 0;
        }

        @Override
        public String toString() { return cells.toString(); }
    }

    public static Result run(String yaml) {
        return run(yaml, ScenarioRunner.Options.defaults(Limits.defaults()));
    }

    public static Result run(String yaml, ScenarioRunner.Options options) {
        try {
            Scenario s = ScenarioParser.parse("test.yaml", new StringReader(yaml));
            StringWriter out = new StringWriter();
            TraceWriter trace = new TraceWriter(out);
            ScenarioRunner runner = new ScenarioRunner(s, options.withTrace(trace, 1));
            RunReport report = runner.run();
            trace.close();
            return new Result(report, parse(out.toString()), runner);
        } catch (ConfigException e) {
            throw new AssertionError("scenario does not parse:\n" + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A scenario file of src/test/resources/scenarios, every tick traced. */
    public static Result runFile(String name) {
        return runFile(name, 1, o -> o, r -> { });
    }

    /**
     * A scenario file of src/test/resources/scenarios. {@code every}: keep every Nth tick in the trace (1 = all,
     * 10 ms at the default 100 Hz); {@code tweak} changes the options, {@code before} sees the runner before it runs.
     */
    public static Result runFile(String name, int every, java.util.function.UnaryOperator<ScenarioRunner.Options> tweak,
                                 java.util.function.Consumer<ScenarioRunner> before) {
        try {
            Scenario s = ScenarioParser.parse(name, new StringReader(resource(name)));
            StringWriter out = new StringWriter();
            TraceWriter trace = new TraceWriter(out);
            ScenarioRunner runner = new ScenarioRunner(s, tweak.apply(ScenarioRunner.Options.defaults(Limits.defaults())
                    .withTrace(trace, every)));
            before.accept(runner);
            RunReport report = runner.run();
            trace.close();
            return new Result(report, parse(out.toString()), runner);
        } catch (ConfigException e) {
            throw new AssertionError("scenario " + name + " does not parse:\n" + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String resource(String name) {
        try {
            return Files.readString(Path.of("src/test/resources/scenarios", name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Row> parse(String csv) {
        String[] lines = csv.split("\n");
        String[] header = lines[0].split(",", -1);
        if (!String.join(",", header).equals(TraceWriter.HEADER)) {
            throw new AssertionError("trace header changed: " + lines[0]);
        }
        List<Row> rows = new ArrayList<>(lines.length);
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",", -1);
            rows.add(new Row(IntStream.range(0, header.length).boxed()
                    .collect(Collectors.toMap(j -> header[j], j -> cells[j]))));
        }
        return rows;
    }

    /** A prescription block for tests: conventional 100 Hz 150 µs, 20 mA, with optional heat. */
    public static String scenario(int minutes, boolean heat, String timeline) {
        return "name: test\nseed: 7\nprescription:\n  program: conventional\n  frequencyHz: 100\n  pulseWidthMicros: 150\n"
                + "  targetMilliAmps: 20.0\n  durationMinutes: " + minutes + "\n"
                + (heat ? "  heat: { setpointCelsius: 40.0 }\n" : "")
                + "timeline:\n" + (timeline.isBlank() ? "  []\n" : timeline);
    }
}
