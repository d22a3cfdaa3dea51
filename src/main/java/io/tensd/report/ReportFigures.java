package io.tensd.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The figures a physiotherapist reads, taken from the session summary where the device computed them
 * (every tick) and otherwise derived from the 1 Hz samples — each figure says which ({@code source}).
 * A figure that exists nowhere is null and shown as "not recorded", never as 0.
 */
public record ReportFigures(String sessionId, String deviceId, String startedAt, String endedAt, String endReason,
                            String program, Prescription prescription, Figure prescribedMin, Figure deliveredMin,
                            Figure meanMa, Figure maxMa, Figure chargeUc, Figure heatMin, Figure maxSkinC,
                            Figure maxPadC, Figure cem43Min, Figure pauses, Figure electrodeLifts, List<String> faults,
                            Map<String, Long> postureMsByClass, String postureSource, List<Bin> flexionHistogram,
                            String histogramSource, double slouchThresholdDeg, Figure slouchMin, Figure reps,
                            List<Exercise> exercises, int samples, long recordedMs, List<String> notes) {

    public static final double BIN_DEG = 10;

    /** A number and where it came from ("device" = session summary, "samples" = derived at 1 Hz); value null = not recorded. */
    public record Figure(Double value, String source) {
        static final Figure NONE = new Figure(null, null);

        static Figure of(JsonNode n, String source) {
            return n.isNumber() ? new Figure(n.asDouble(), source) : NONE;
        }

        static Figure or(Figure a, Figure b) {
            return a.value != null ? a : b;
        }

        public boolean present() { return value != null; }
    }

    public record Prescription(Double targetMa, Double maxMa, Double pulseWidthUs, Double frequencyHz, Double durationMin,
                               Double heatSetpointC) { }

    public record Bin(double fromDeg, double toDeg, long ms) { }

    public record Exercise(String name, Integer reps, Integer setsCompleted, Integer setsPrescribed, Integer repsPerSet,
                           Integer shallowReps, Double meanRomDeg, Double targetRomDeg) { }

    private static final Set<String> DELIVERING = Set.of("RAMP_UP", "ACTIVE", "RAMP_DOWN");

    public static ReportFigures of(SessionRecord r, double slouchThresholdDeg) {
        JsonNode s = r.summary();
        JsonNode f = r.summaryFile();
        List<SessionRecord.Sample> xs = r.samples();
        List<String> notes = new ArrayList<>(r.notes());
        JsonNode started = r.firstEvent("session-started").path("data");

        String program = s.path("program").asText(started.path("program").asText(""));
        Prescription rx = new Prescription(numOrNull(started.path("targetMa")), numOrNull(started.path("maxMa")),
                numOrNull(started.path("pulseWidthUs")), numOrNull(started.path("frequencyHz")),
                numOrNull(started.path("durationMin")),
                started.path("heatSetpointC").isNumber() && started.path("heatSetpointC").asDouble() >= 0
                        ? started.path("heatSetpointC").asDouble() : null);

        Figure prescribed = Figure.or(minutes(s.path("prescribedMs"), "device"),
                rx.durationMin() == null ? Figure.NONE : new Figure(rx.durationMin(), "prescription"));

        // 1 Hz derivations: each sample stands for the second that follows it
        long deliveringS = 0;
        long heatS = 0;
        double maSum = 0;
        double maMax = Double.NaN;
        double skinMax = Double.NaN;
        double padMax = Double.NaN;
        double cem = 0;
        boolean skinSeen = false;
        long slouchS = 0;
        boolean flexSeen = false;
        Map<String, Long> byClass = new LinkedHashMap<>();
        Set<String> sampleFaults = new LinkedHashSet<>();
        for (SessionRecord.Sample x : xs) {
            if (DELIVERING.contains(x.state())) {
                deliveringS++;
                if (!Double.isNaN(x.stimMaSet())) {
                    maSum += x.stimMaSet();
                }
            }
            if (!Double.isNaN(x.stimMaSet())) {
                maMax = Double.isNaN(maMax) ? x.stimMaSet() : Math.max(maMax, x.stimMaSet());
            }
            if (x.heaterDuty() > 0) {
                heatS++;
            }
            if (!Double.isNaN(x.skinC())) {
                skinSeen = true;
                skinMax = Double.isNaN(skinMax) ? x.skinC() : Math.max(skinMax, x.skinC());
                cem += Math.pow(x.skinC() >= 43 ? 0.5 : 0.25, 43 - x.skinC()) / 60.0;
            }
            if (!Double.isNaN(x.padC())) {
                padMax = Double.isNaN(padMax) ? x.padC() : Math.max(padMax, x.padC());
            }
            if (!Double.isNaN(x.flexionDeg())) {
                flexSeen = true;
                if (x.flexionDeg() > slouchThresholdDeg) {
                    slouchS++;
                }
            }
            if (!x.posture().isEmpty()) {
                byClass.merge(x.posture(), 1000L, Long::sum);
            }
            if (!x.faults().isEmpty()) {
                for (String fc : x.faults().split("\\|")) {
                    sampleFaults.add(fc);
                }
            }
        }
        boolean haveSamples = !xs.isEmpty();
        Figure delivered = Figure.or(minutes(s.path("deliveredMs"), "device"),
                haveSamples ? new Figure(deliveringS / 60.0, "samples") : Figure.NONE);
        Figure mean = Figure.or(Figure.of(s.path("meanMa"), "device"),
                deliveringS > 0 ? new Figure(maSum / deliveringS, "samples") : Figure.NONE);
        Figure max = Figure.or(Figure.of(s.path("maxMa"), "device"),
                Double.isNaN(maMax) ? Figure.NONE : new Figure(maMax, "samples"));
        Figure charge = Figure.of(s.path("chargeUc"), "device");
        Figure heat = Figure.or(minutes(s.path("heatMs"), "device"),
                haveSamples ? new Figure(heatS / 60.0, "samples") : Figure.NONE);
        Figure skin = Figure.or(Figure.of(s.path("maxSkinC"), "device"),
                Double.isNaN(skinMax) ? Figure.NONE : new Figure(skinMax, "samples"));
        Figure pad = Double.isNaN(padMax) ? Figure.NONE : new Figure(padMax, "samples");
        Figure cem43 = Figure.or(Figure.of(s.path("cem43Min"), "device"),
                skinSeen ? new Figure(cem, "samples") : Figure.NONE);
        Figure pauses = Figure.or(Figure.of(s.path("pauses"), "device"),
                r.events().isEmpty() ? Figure.NONE : new Figure((double) count(r, "session-paused"), "events"));
        Figure lifts = Figure.or(Figure.of(s.path("electrodeLifts"), "device"),
                r.events().isEmpty() ? Figure.NONE : new Figure((double) count(r, "electrode-lift"), "events"));
        List<String> faults = new ArrayList<>();
        if (s.path("faults").isArray()) {
            s.path("faults").forEach(n -> faults.add(n.asText()));
        } else {
            faults.addAll(sampleFaults);
        }

        // posture: the posture pipeline's own statistics (every IMU sample) when present, else the 1 Hz samples
        JsonNode p = r.posture();
        Map<String, Long> postureMs;
        String postureSource;
        if (p.path("millisByClass").isObject()) {
            postureMs = new LinkedHashMap<>();
            p.path("millisByClass").fields().forEachRemaining(e -> postureMs.put(e.getKey(), e.getValue().asLong()));
            postureSource = "device";
        } else if (!byClass.isEmpty()) {
            postureMs = byClass;
            postureSource = "samples";
        } else {
            postureMs = Map.of();
            postureSource = null;
        }
        List<Bin> hist = new ArrayList<>();
        String histSource = null;
        if (p.path("flexionHistogram").isArray() && p.path("flexionHistogram").size() > 0) {
            for (JsonNode b : p.path("flexionHistogram")) {
                hist.add(new Bin(b.path("fromDeg").asDouble(), b.path("toDeg").asDouble(), b.path("millis").asLong()));
            }
            histSource = "device";
        } else if (flexSeen) {
            hist = histogram(xs);
            histSource = "samples";
        }
        Figure slouch = Figure.or(minutes(p.path("slouchMillis"), "device"),
                flexSeen ? new Figure(slouchS / 60.0, "samples") : Figure.NONE);
        Figure reps = Figure.of(p.path("reps"), "device");
        List<Exercise> exercises = new ArrayList<>();
        for (JsonNode e : p.path("exercises")) {
            exercises.add(new Exercise(e.path("exercise").asText(""), intOrNull(e.path("reps")), intOrNull(e.path("setsCompleted")),
                    intOrNull(e.path("setsPrescribed")), intOrNull(e.path("repsPerSet")), intOrNull(e.path("shallowReps")),
                    numOrNull(e.path("meanRomDeg")), numOrNull(e.path("targetRomDeg"))));
        }
        long recordedMs = haveSamples ? xs.get(xs.size() - 1).tMs() - xs.get(0).tMs() + 1000 : 0;
        String endReason = s.path("endReason").asText("");
        if (endReason.isEmpty()) {
            endReason = lastEndReason(r);
        }
        return new ReportFigures(r.sessionId(), f.path("deviceId").asText(""), f.path("startedAt").asText(""),
                f.path("endedAt").asText(""), endReason, program, rx, prescribed, delivered, mean, max, charge, heat, skin,
                pad, cem43, pauses, lifts, List.copyOf(faults), Map.copyOf(postureMs), postureSource, List.copyOf(hist),
                histSource, slouchThresholdDeg, slouch, reps, List.copyOf(exercises), xs.size(), recordedMs, List.copyOf(notes));
    }

    /** 10° bins over the flexion of the samples; 1 s per sample. Bins span the data, at least −10…+60°. */
    static List<Bin> histogram(List<SessionRecord.Sample> xs) {
        double lo = -10;
        double hi = 60;
        for (SessionRecord.Sample x : xs) {
            if (!Double.isNaN(x.flexionDeg())) {
                lo = Math.min(lo, Math.floor(x.flexionDeg() / BIN_DEG) * BIN_DEG);
                hi = Math.max(hi, Math.floor(x.flexionDeg() / BIN_DEG) * BIN_DEG + BIN_DEG);
            }
        }
        lo = Math.max(lo, -90);
        hi = Math.min(hi, 90);
        int n = (int) Math.round((hi - lo) / BIN_DEG);
        long[] ms = new long[n];
        for (SessionRecord.Sample x : xs) {
            if (!Double.isNaN(x.flexionDeg())) {
                int i = (int) Math.floor((x.flexionDeg() - lo) / BIN_DEG);
                ms[Math.max(0, Math.min(n - 1, i))] += 1000;
            }
        }
        List<Bin> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Bin(lo + i * BIN_DEG, lo + (i + 1) * BIN_DEG, ms[i]));
        }
        return out;
    }

    private static String lastEndReason(SessionRecord r) {
        String reason = "";
        for (JsonNode e : r.events()) {
            String t = e.path("type").asText();
            if (t.equals("session-completed") || t.equals("session-aborted")) {
                reason = e.path("data").path("reason").asText("");
            }
        }
        return reason;
    }

    private static long count(SessionRecord r, String type) {
        return r.events().stream().filter(e -> type.equals(e.path("type").asText())).count();
    }

    private static Figure minutes(JsonNode ms, String source) {
        return ms.isNumber() ? new Figure(ms.asDouble() / 60_000.0, source) : Figure.NONE;
    }

    private static Double numOrNull(JsonNode n) {
        return n.isNumber() ? n.asDouble() : null;
    }

    private static Integer intOrNull(JsonNode n) {
        return n.isNumber() ? n.asInt() : null;
    }

    /** The --json document: every figure with its source; null where not recorded. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", "tensd-session-report/1");
        m.put("sessionId", sessionId);
        m.put("deviceId", deviceId.isEmpty() ? null : deviceId);
        m.put("startedAt", startedAt.isEmpty() ? null : startedAt);
        m.put("endedAt", endedAt.isEmpty() ? null : endedAt);
        m.put("endReason", endReason.isEmpty() ? null : endReason);
        m.put("program", program.isEmpty() ? null : program);
        m.put("prescription", prescription);
        Map<String, Object> fig = new LinkedHashMap<>();
        fig.put("prescribedMin", prescribedMin);
        fig.put("deliveredMin", deliveredMin);
        fig.put("meanMa", meanMa);
        fig.put("maxMa", maxMa);
        fig.put("chargeUc", chargeUc);
        fig.put("heatMin", heatMin);
        fig.put("maxSkinC", maxSkinC);
        fig.put("maxPadC", maxPadC);
        fig.put("cem43Min", cem43Min);
        fig.put("pauses", pauses);
        fig.put("electrodeLifts", electrodeLifts);
        fig.put("slouchMin", slouchMin);
        fig.put("reps", reps);
        m.put("figures", fig);
        m.put("faults", faults);
        Map<String, Object> posture = new LinkedHashMap<>();
        posture.put("msByClass", postureMsByClass.isEmpty() ? null : new java.util.TreeMap<>(postureMsByClass));
        posture.put("source", postureSource);
        posture.put("flexionHistogram", flexionHistogram.isEmpty() ? null : flexionHistogram);
        posture.put("histogramSource", histogramSource);
        posture.put("slouchThresholdDeg", slouchThresholdDeg);
        posture.put("exercises", exercises);
        m.put("posture", posture);
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("samples", samples);
        rec.put("recordedMs", recordedMs);
        m.put("recording", rec);
        m.put("notes", notes);
        return m;
    }
}
