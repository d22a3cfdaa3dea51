package io.tensd.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.tensd.config.ConfigError;
import io.tensd.config.ConfigException;
import io.tensd.config.Durations;
import io.tensd.config.ConfigDocument;
import io.tensd.config.ConfigSchemas;
import io.tensd.hw.ImuSample;
import io.tensd.hw.PostureReading;
import io.tensd.hw.SensorStatus;
import io.tensd.posture.FeedbackMode;
import io.tensd.posture.PostureCalibration;
import io.tensd.posture.PostureConfig;
import io.tensd.posture.PostureEvent;
import io.tensd.posture.PosturePipeline;
import io.tensd.posture.SensorCalibration;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tensd posture}: replays a recorded IMU file through {@link PosturePipeline}, the same code the
 * device runs live, and writes the angles per sample and a session summary.
 */
@Command(name = "posture", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Replays recorded IMU data through the posture pipeline the device runs live.",
            "Input CSV header: t_ms,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps (lower sensor), optionally the same names"
                + " with _2 for the upper sensor. The neutral standing capture is the first 10 s unless --neutral"
                + " names another window. Output: t_ms,flexion_deg,lateral_deg,posture per sample."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:replayed", "1:output could not be written", "2:bad input or options (FILE:LINE: message)"})
public final class PostureCommand implements Callable<Integer> {
    static final List<String> AXIS_COLUMNS = List.of("ax_g", "ay_g", "az_g", "gx_dps", "gy_dps", "gz_dps");

    @Spec
    CommandSpec spec;

    @Option(names = "--imu-csv", required = true, paramLabel = "FILE", description = "recorded IMU samples")
    Path imuCsv;

    @Option(names = "--rate", paramLabel = "HZ", defaultValue = "100",
            description = "nominal IMU rate (default ${DEFAULT-VALUE}); timestamps come from t_ms")
    double rateHz;

    @Option(names = "--out", paramLabel = "FILE", description = "per-sample output CSV (default: standard output)")
    Path out;

    @Option(names = "--summary", paramLabel = "FILE", description = "session summary JSON")
    Path summary;

    @Option(names = "--axes", paramLabel = "AXES", defaultValue = "x,y,z",
            description = "body x,y,z each taken from a signed recorded axis, e.g. --axes=-y,x,z (default ${DEFAULT-VALUE})")
    String axes;

    @Option(names = "--neutral", paramLabel = "FROM-TO",
            description = "neutral standing window from the start of the recording, e.g. 30s-40s (default 0s-10s)")
    String neutral;

    @Option(names = "--config", paramLabel = "FILE", description = "device YAML whose posture: section tunes the pipeline")
    Path config;

    @Option(names = "--mode", paramLabel = "MODE", description = "slouch feedback: training or tracking (overrides --config)")
    String mode;

    @Option(names = "--slouch-delay", paramLabel = "DURATION", description = "e.g. 2m, 30s; 3s..10m (overrides --config)")
    String slouchDelay;

    /** A problem in an input file, already formatted FILE:LINE: message. */
    static final class InputError extends Exception {
        InputError(Path file, long line, String message) {
            super(file + ":" + line + ": " + message);
        }

        InputError(String message) {
            super(message);
        }
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        int[] axisMap = parseAxes(axes);
        long[] window = parseNeutral(neutral);
        PostureConfig cfg;
        Recording rec;
        try {
            cfg = configure();
            rec = Recording.read(imuCsv, axisMap);
        } catch (InputError e) {
            err.println(e.getMessage());
            return 2;
        }
        double measuredHz = rec.measuredRateHz();
        if (Math.abs(measuredHz - rateHz) > 0.2 * rateHz) {
            err.printf(Locale.ROOT, "%s: warning: samples arrive at %.1f Hz but --rate is %.1f Hz%n", imuCsv, measuredHz, rateHz);
        }

        long fromNanos = rec.nanos(0) + window[0] * 1_000_000L;
        long toNanos = rec.nanos(0) + window[1] * 1_000_000L;
        PostureCalibration calibration;
        try {
            calibration = calibrate(cfg, rec, fromNanos, toNanos, window);
        } catch (InputError e) {
            err.println(e.getMessage());
            return 2;
        }

        List<Map<String, Object>> events = new ArrayList<>();
        PosturePipeline pipeline = new PosturePipeline(cfg, rec.two, e -> events.add(eventRow(e, rec.nanos(0))));
        pipeline.setCalibration(calibration);
        try (Writer w = out == null ? new NonClosing(spec.commandLine().getOut())
                : Files.newBufferedWriter(out, StandardCharsets.UTF_8);
             SequenceWriter csv = new CsvMapper().writer().writeValues(new BufferedWriter(w))) {
            csv.write(List.of("t_ms", "flexion_deg", "lateral_deg", "posture"));
            for (int i = 0; i < rec.rows; i++) {
                PostureReading r = pipeline.update(rec.nanos(i), rec.sample(i, 0), rec.two ? rec.sample(i, 1) : null);
                csv.write(List.of(rec.timeText(i), fmt(r.flexionDeg()), fmt(r.lateralDeg()),
                        r.postureClass() == null ? "" : r.postureClass()));
            }
        } catch (IOException e) {
            err.println((out == null ? "stdout" : out.toString()) + ": cannot write: " + e.getMessage());
            return 1;
        }

        Map<String, Object> sum = new LinkedHashMap<>();
        sum.put("schema", "tensd.posture-replay/1");
        sum.put("input", imuCsv.toString());
        sum.put("samples", rec.rows);
        sum.put("sensors", rec.two ? 2 : 1);
        sum.put("measuredRateHz", Math.round(measuredHz * 10) / 10.0);
        sum.put("mode", cfg.mode().wireName());
        sum.put("slouchThresholdDeg", cfg.slouchThresholdDeg());
        sum.put("slouchDelayMillis", cfg.slouchDelayMillis());
        sum.put("neutralWindowMillis", List.of(window[0], window[1]));
        Map<String, Object> cal = new LinkedHashMap<>();
        cal.put("lowerTiltDeg", Math.round(calibration.lower().mountTiltDeg() * 10) / 10.0);
        calibration.upper().ifPresent(u -> cal.put("upperTiltDeg", Math.round(u.mountTiltDeg() * 10) / 10.0));
        sum.put("calibration", cal);
        sum.putAll(pipeline.stats().toMap());
        sum.put("events", events);
        try {
            String json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(sum);
            if (summary != null) {
                Files.writeString(summary, json + "\n", StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            err.println(summary + ": cannot write: " + e.getMessage());
            return 1;
        }
        Map<String, Object> byClass = castMap(sum.get("millisByClass"));
        err.printf(Locale.ROOT, "%s: %d samples, %d sensor(s); time by class %s ms; %s slouch alerts, %s steps, %s reps%n",
                imuCsv, rec.rows, rec.two ? 2 : 1, byClass, sum.get("slouchAlerts"), sum.get("steps"), sum.get("reps"));
        return 0;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) { return (Map<String, Object>) o; }

    private PostureConfig configure() throws InputError {
        PostureConfig cfg = PostureConfig.defaults();
        if (config != null) {
            try {
                ConfigDocument doc = ConfigDocument.read(config);
                ConfigSchemas.validate(doc, ConfigSchemas.DEVICE, "/posture"); // a file with only a posture: section will do
                cfg = PostureConfig.read(doc, "/posture");
                doc.throwIfErrors();
            } catch (ConfigException e) {
                StringBuilder b = new StringBuilder();
                for (ConfigError ce : e.errors()) {
                    b.append(b.length() == 0 ? "" : System.lineSeparator()).append(ce);
                }
                throw new InputError(b.toString());
            }
        }
        try {
            cfg = cfg.withImuRateHz(rateHz);
            if (mode != null) {
                cfg = cfg.withMode(FeedbackMode.fromWire(mode));
            }
            if (slouchDelay != null) {
                cfg = cfg.withSlouch(cfg.slouchThresholdDeg(), Durations.parseMillis(slouchDelay));
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        return cfg;
    }

    private PostureCalibration calibrate(PostureConfig cfg, Recording rec, long fromNanos, long toNanos, long[] window)
            throws InputError {
        String name = "neutral window " + window[0] / 1000.0 + "s-" + window[1] / 1000.0 + "s";
        if (toNanos > rec.nanos(rec.rows - 1)) {
            throw new InputError(imuCsv + ": " + name + " ends after the recording ("
                    + (rec.nanos(rec.rows - 1) - rec.nanos(0)) / 1_000_000L + " ms long)");
        }
        List<PostureEvent.Calibration> results = new ArrayList<>();
        PosturePipeline p = new PosturePipeline(cfg, rec.two, e -> {
            if (e instanceof PostureEvent.Calibration c) {
                results.add(c);
            }
        });
        boolean started = false;
        for (int i = 0; i < rec.rows && results.isEmpty(); i++) {
            long t = rec.nanos(i);
            if (!started && t >= fromNanos) {
                p.startNeutralCapture(t, (toNanos - t) / 1_000_000L);
                started = true;
            }
            p.update(t, rec.sample(i, 0), rec.two ? rec.sample(i, 1) : null);
        }
        if (results.isEmpty() || !results.get(0).ok()) {
            throw new InputError(imuCsv + ": " + name + ": "
                    + (results.isEmpty() ? "no samples in the window" : results.get(0).reason()));
        }
        return p.calibration().orElseThrow();
    }

    private static Map<String, Object> eventRow(PostureEvent e, long originNanos) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("t_ms", (e.atNanos() - originNanos) / 1_000_000L);
        m.put("type", e.type());
        m.putAll(e.data());
        return m;
    }

    static String fmt(double v) { return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v); }

    /** Each body axis from a signed recorded axis; returns {index, sign} pairs flattened (sign ±1). */
    int[] parseAxes(String text) {
        String[] parts = text.trim().split(",");
        int[] map = new int[6];
        boolean[] used = new boolean[3];
        if (parts.length != 3) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--axes: expected three signed axes like -y,x,z, got '" + text + "'");
        }
        for (int i = 0; i < 3; i++) {
            String p = parts[i].trim().toLowerCase(Locale.ROOT);
            int sign = 1;
            if (p.startsWith("-") || p.startsWith("+")) {
                sign = p.startsWith("-") ? -1 : 1;
                p = p.substring(1);
            }
            int idx = switch (p) {
                case "x" -> 0;
                case "y" -> 1;
                case "z" -> 2;
                default -> -1;
            };
            if (idx < 0 || used[idx]) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--axes: '" + text + "' must name each of x, y, z once, optionally with a sign");
            }
            used[idx] = true;
            map[2 * i] = idx;
            map[2 * i + 1] = sign;
        }
        // a mirror (determinant −1) would turn the gyro's rotation sense against the accelerometer's
        double[][] m = new double[3][3];
        for (int i = 0; i < 3; i++) {
            m[i][map[2 * i]] = map[2 * i + 1];
        }
        double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
        if (det < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--axes: '" + text
                    + "' is a mirror image (left-handed); flip the sign of one axis to get the sensor's real mounting");
        }
        return map;
    }

    long[] parseNeutral(String text) {
        if (text == null) {
            return new long[] {0, 10_000};
        }
        int dash = text.indexOf('-');
        try {
            if (dash <= 0) {
                throw new IllegalArgumentException("expected FROM-TO, e.g. 30s-40s");
            }
            long from = Durations.parseMillis(text.substring(0, dash));
            long to = Durations.parseMillis(text.substring(dash + 1));
            if (to - from < 3000 || to - from > 30_000) {
                throw new IllegalArgumentException("the window must last 3 s to 30 s, got " + (to - from) + " ms");
            }
            return new long[] {from, to};
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--neutral: " + e.getMessage());
        }
    }

    /** The samples of one recording, axes already remapped to the documented body axes. */
    static final class Recording {
        final boolean two;
        final int cols;
        int rows;
        double[] data = new double[13 * 4096];
        private final List<String> times = new ArrayList<>();

        private Recording(boolean two) {
            this.two = two;
            this.cols = two ? 13 : 7;
        }

        long nanos(int row) { return Math.round(data[row * cols] * 1e6); }

        String timeText(int row) { return times.get(row); }

        ImuSample sample(int row, int sensor) {
            int b = row * cols + 1 + 6 * sensor;
            return new ImuSample(nanos(row), data[b], data[b + 1], data[b + 2], data[b + 3], data[b + 4], data[b + 5],
                    SensorStatus.OK);
        }

        double measuredRateHz() {
            return rows < 2 ? Double.NaN : (rows - 1) / ((nanos(rows - 1) - nanos(0)) * 1e-9);
        }

        static Recording read(Path file, int[] axisMap) throws InputError {
            CsvMapper mapper = new CsvMapper();
            mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
            mapper.enable(CsvParser.Feature.SKIP_EMPTY_LINES);
            mapper.enable(CsvParser.Feature.TRIM_SPACES);
            if (!Files.isReadable(file)) {
                throw new InputError(file, 0, "cannot read file");
            }
            try (MappingIterator<String[]> it = mapper.readerFor(String[].class).readValues(file.toFile())) {
                if (!it.hasNext()) {
                    throw new InputError(file, 1, "empty file; expected header t_ms," + String.join(",", AXIS_COLUMNS));
                }
                int[] index = header(file, it.next());
                Recording rec = new Recording(index.length == 13);
                double[] row = new double[rec.cols];
                double lastT = Double.NEGATIVE_INFINITY;
                while (it.hasNext()) {
                    String[] cells;
                    long line;
                    try {
                        cells = it.next();
                        line = it.getParser().currentTokenLocation().getLineNr();
                    } catch (RuntimeException e) {
                        throw new InputError(file, it.getCurrentLocation().getLineNr(), "unreadable CSV: " + e.getMessage());
                    }
                    if (cells.length != index.length) {
                        throw new InputError(file, line, "expected " + index.length + " values, got " + cells.length);
                    }
                    for (int c = 0; c < index.length; c++) {
                        String cell = cells[index[c]];
                        try {
                            row[c] = Double.parseDouble(cell);
                        } catch (NumberFormatException e) {
                            throw new InputError(file, line, "column " + columnName(c) + ": '" + cell + "' is not a number");
                        }
                        if (!Double.isFinite(row[c])) {
                            throw new InputError(file, line, "column " + columnName(c) + ": '" + cell + "' is not a finite number");
                        }
                    }
                    if (row[0] <= lastT) {
                        throw new InputError(file, line, "t_ms " + cells[index[0]] + " does not increase (previous "
                                + BigDecimal.valueOf(lastT).stripTrailingZeros().toPlainString() + ")");
                    }
                    lastT = row[0];
                    rec.add(row, cells[index[0]], axisMap);
                }
                if (rec.rows < 2) {
                    throw new InputError(file, 2, "no samples after the header");
                }
                return rec;
            } catch (JacksonException e) {
                long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
                throw new InputError(file, line, "unreadable CSV: " + e.getOriginalMessage());
            } catch (IOException e) {
                throw new InputError(file, 0, "cannot read: " + e.getMessage());
            }
        }

        private static String columnName(int c) {
            if (c == 0) {
                return "t_ms";
            }
            String n = AXIS_COLUMNS.get((c - 1) % 6);
            return c > 6 ? n + "_2" : n;
        }

        /** Column positions of t_ms, the six lower and, if present, the six upper columns. */
        private static int[] header(Path file, String[] names) throws InputError {
            Map<String, Integer> pos = new HashMap<>();
            for (int i = 0; i < names.length; i++) {
                String n = names[i].trim();
                if (pos.put(n, i) != null) {
                    throw new InputError(file, 1, "column '" + n + "' appears twice");
                }
            }
            List<String> wanted = new ArrayList<>();
            wanted.add("t_ms");
            wanted.addAll(AXIS_COLUMNS);
            boolean any2 = AXIS_COLUMNS.stream().anyMatch(c -> pos.containsKey(c + "_2"));
            if (any2) {
                AXIS_COLUMNS.forEach(c -> wanted.add(c + "_2"));
            }
            List<String> missing = wanted.stream().filter(w -> !pos.containsKey(w)).toList();
            if (!missing.isEmpty()) {
                throw new InputError(file, 1, "missing column(s) " + String.join(", ", missing)
                        + "; expected t_ms," + String.join(",", AXIS_COLUMNS) + " (and the same with _2 for a second sensor)");
            }
            List<String> unknown = Arrays.stream(names).map(String::trim).filter(n -> !wanted.contains(n)).toList();
            if (!unknown.isEmpty()) {
                throw new InputError(file, 1, "unknown column(s) " + String.join(", ", unknown));
            }
            return wanted.stream().mapToInt(pos::get).toArray();
        }

        private void add(double[] row, String timeText, int[] axisMap) {
            if ((rows + 1) * cols > data.length) {
                data = Arrays.copyOf(data, data.length * 2);
            }
            int b = rows * cols;
            data[b] = row[0];
            for (int s = 0; s < (two ? 2 : 1); s++) {
                int in = 1 + 6 * s;
                for (int i = 0; i < 3; i++) {
                    data[b + in + i] = axisMap[2 * i + 1] * row[in + axisMap[2 * i]];
                    data[b + in + 3 + i] = axisMap[2 * i + 1] * row[in + 3 + axisMap[2 * i]];
                }
            }
            times.add(timeText);
            rows++;
        }
    }

    /** Lets the CSV writer close without closing picocli's stdout. */
    private static final class NonClosing extends Writer {
        private final Writer w;

        NonClosing(Writer w) { this.w = w; }

        @Override public void write(char[] b, int off, int len) throws IOException { w.write(b, off, len); }

        @Override public void flush() throws IOException { w.flush(); }

        @Override public void close() throws IOException { w.flush(); }
    }
}
