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

/** Runs a scenario in virtual time and gives the trace back as rows, the way an outside check reads it. */
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
