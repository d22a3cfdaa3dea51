package io.tensd.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A session directory written by {@link SessionRecorder}, read back for the report. Tolerant of what a
 * crash leaves (a missing summary, a torn last line): such damage becomes a note shown in the report, not
 * a failure. Only a directory with nothing to report is an error.
 *
 * @param summaryFile the whole summary.json, or a MissingNode when there is none
 * @param notes       what was missing or damaged, in words for the reader of the report
 */
public record SessionRecord(Path dir, List<Sample> samples, List<JsonNode> events, JsonNode summaryFile,
                            List<String> notes) {

    /** One samples.csv row. Values that were not recorded are NaN (numbers) or "" (text). */
    public record Sample(long tMs, String state, double stimMaSet, double stimMaMeas, double pulseUs, double freqHz,
                         double heaterDuty, double heatSetpointC, double skinC, double padC, double skinCeilingC,
                         double flexionDeg, String posture, String faults) { }

    /** A session directory that cannot be reported on: what is wrong and what to do. */
    public static final class ReadException extends Exception {
        private final String hint;

        public ReadException(String message, String hint) {
            super(message);
            this.hint = hint;
        }

        public String hint() { return hint; }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The {@code summary} section (SessionSummary.toMap()), or a MissingNode. */
    public JsonNode summary() {
        return summaryFile.path("summary");
    }

    /** The {@code posture} section (PostureStats.toMap()), or a MissingNode. */
    public JsonNode posture() {
        return summaryFile.path("posture");
    }

    public String sessionId() {
        String fromFile = summaryFile.path("sessionId").asText("");
        if (!fromFile.isEmpty()) {
            return fromFile;
        }
        for (JsonNode e : events) {
            String id = e.path("sessionId").asText("");
            if (!id.isEmpty()) {
                return id;
            }
        }
        return dir.getFileName() == null ? "" : dir.getFileName().toString();
    }

    /** The data of the first event of this type, or a MissingNode. */
    public JsonNode firstEvent(String type) {
        for (JsonNode e : events) {
            if (type.equals(e.path("type").asText())) {
                return e;
            }
        }
        return MissingNode.getInstance();
    }

    public static SessionRecord load(Path dir) throws ReadException {
        if (!Files.exists(dir)) {
            throw new ReadException("session directory " + dir + " does not exist",
                    "give the directory of one session, e.g. /var/lib/tensd/sessions/<session id>");
        }
        if (!Files.isDirectory(dir)) {
            throw new ReadException(dir + " is a file, not a session directory",
                    "give the directory that holds samples.csv, events.jsonl and summary.json");
        }
        Path samplesFile = dir.resolve(SessionRecorder.SAMPLES_FILE);
        Path eventsFile = dir.resolve(SessionRecorder.EVENTS_FILE);
        Path summaryPath = dir.resolve(SessionRecorder.SUMMARY_FILE);
        if (!Files.exists(samplesFile) && !Files.exists(summaryPath)) {
            throw new ReadException("no session recorded in " + dir + " (neither samples.csv nor summary.json is there)",
                    "give the directory of one session: ls the sessions directory for the session ids");
        }
        List<String> notes = new ArrayList<>();
        List<Sample> samples = Files.exists(samplesFile) ? readSamples(samplesFile, notes) : List.of();
        if (!Files.exists(samplesFile)) {
            notes.add("samples.csv is missing: no plots over time");
        }
        List<JsonNode> events = Files.exists(eventsFile) ? readEvents(eventsFile, notes) : List.of();
        if (!Files.exists(eventsFile)) {
            notes.add("events.jsonl is missing: no event list");
        }
        JsonNode summary = MissingNode.getInstance();
        if (Files.exists(summaryPath)) {
            try {
                summary = JSON.readTree(summaryPath.toFile());
            } catch (JsonProcessingException e) {
                throw new ReadException(summaryPath + ": not valid JSON (line " + e.getLocation().getLineNr() + ")",
                        "the file is damaged; remove it to report from samples.csv and events.jsonl alone");
            } catch (IOException e) {
                throw new ReadException("cannot read " + summaryPath + ": " + e.getMessage(), "check its permissions (run as root or the tensd user)");
            }
        } else {
            notes.add("summary.json is missing: the session did not end normally (daemon stopped or power lost); "
                    + "figures below are computed from the samples");
        }
        return new SessionRecord(dir, List.copyOf(samples), List.copyOf(events), summary, List.copyOf(notes));
    }

    private static List<Sample> readSamples(Path file, List<String> notes) throws ReadException {
        List<Sample> out = new ArrayList<>();
        int bad = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null) {
                notes.add("samples.csv is empty");
                return out;
            }
            String[] names = cells(header);
            Map<String, Integer> col = new HashMap<>();
            for (int i = 0; i < names.length; i++) {
                col.put(names[i].trim(), i);
            }
            for (String need : new String[] {"t_ms", "state", "stim_ma_set"}) {
                if (!col.containsKey(need)) {
                    throw new ReadException(file + ": header has no column '" + need + "'",
                            "this is not a samples.csv written by tensd; expected: " + SessionRecorder.CSV_HEADER);
                }
            }
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] c;
                try {
                    c = cells(line);
                } catch (IOException damaged) {
                    bad++;
                    continue;
                }
                if (c.length != names.length) {
                    bad++;
                    continue;
                }
                try {
                    out.add(new Sample(Long.parseLong(c[col.get("t_ms")]), text(c, col, "state"), num(c, col, "stim_ma_set"),
                            num(c, col, "stim_ma_meas"), num(c, col, "pulse_us"), num(c, col, "freq_hz"),
                            num(c, col, "heater_duty"), num(c, col, "heat_setpoint_c"), num(c, col, "skin_c"),
                            num(c, col, "pad_c"), num(c, col, "skin_ceiling_c"), num(c, col, "flexion_deg"),
                            text(c, col, "posture"), text(c, col, "faults")));
                } catch (NumberFormatException e) {
                    bad++;
                }
            }
        } catch (IOException e) {
            throw new ReadException("cannot read " + file + ": " + e.getMessage(), "check its permissions (run as root or the tensd user)");
        }
        if (bad > 0) {
            notes.add(bad + " damaged line(s) in samples.csv were skipped");
        }
        return out;
    }

    /** A CSV parser for one line (jackson-dataformat-csv: quoting and escapes as RFC 4180), untyped: the cells. */
    private static final com.fasterxml.jackson.databind.ObjectReader CSV_ROW =
            new com.fasterxml.jackson.dataformat.csv.CsvMapper().readerFor(String[].class);

    /** The cells of one CSV line; a damaged line (an open quote) throws. Blank cells stay "". */
    static String[] cells(String line) throws IOException {
        String[] c = CSV_ROW.readValue(line);
        return c == null ? new String[0] : c;
    }

    private static List<JsonNode> readEvents(Path file, List<String> notes) throws ReadException {
        List<JsonNode> out = new ArrayList<>();
        int bad = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode n = JSON.readTree(line);
                    if (n != null && n.isObject()) {
                        out.add(n);
                    } else {
                        bad++;
                    }
                } catch (JsonProcessingException e) {
                    bad++;
                }
            }
        } catch (IOException e) {
            throw new ReadException("cannot read " + file + ": " + e.getMessage(), "check its permissions (run as root or the tensd user)");
        }
        if (bad > 0) {
            notes.add(bad + " damaged line(s) in events.jsonl were skipped");
        }
        return out;
    }

    private static double num(String[] c, Map<String, Integer> col, String name) {
        Integer i = col.get(name);
        if (i == null || c[i].isEmpty()) {
            return Double.NaN;
        }
        return Double.parseDouble(c[i]);
    }

    private static String text(String[] c, Map<String, Integer> col, String name) {
        Integer i = col.get(name);
        return i == null ? "" : c[i];
    }
}
