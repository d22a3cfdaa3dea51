package io.tensd.posture;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Session posture summary. Times are from calibrated, valid samples only.
 *
 * @param monitoredMillis       time with a posture class (calibrated and valid data)
 * @param millisByClass         time per class, keyed by wire name, every class present
 * @param flexionHistogramMillis time per 10° flexion bin from −90° to +90° (values outside go to the end
 *                               bins); lying time is left out because the trunk angle then says nothing
 *                               about posture
 * @param slouchAlerts          alerts given (training mode)
 * @param slouchEpisodes        episodes that lasted the delay, alerted or not (tracking mode records these)
 * @param slouchMillis          time spent beyond the slouch threshold within episodes
 * @param steps                 steps counted while walking
 * @param exercises             one entry per prescribed exercise block
 * @param rejectedSamples       samples dropped for a bad sensor status, missing upper sensor or time going back
 */
public record PostureStats(long monitoredMillis, Map<String, Long> millisByClass, List<Long> flexionHistogramMillis,
                           int slouchAlerts, int slouchEpisodes, long slouchMillis, long steps,
                           List<ExerciseStats> exercises, long rejectedSamples) {

    public static final double HISTOGRAM_FROM_DEG = -90;
    public static final double HISTOGRAM_BIN_DEG = 10;
    public static final int HISTOGRAM_BINS = 18;

    public PostureStats {
        millisByClass = Map.copyOf(millisByClass);
        flexionHistogramMillis = List.copyOf(flexionHistogramMillis);
        exercises = List.copyOf(exercises);
    }

    /** One exercise block: prescription, what was done, range of motion per repetition. */
    public record ExerciseStats(String exercise, int setsPrescribed, int repsPerSet, double targetRomDeg,
                                int setsCompleted, int reps, int shallowReps, List<Double> romDeg) {
        public ExerciseStats {
            romDeg = List.copyOf(romDeg);
        }

        public double meanRomDeg() {
            return romDeg.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }
    }

    /**
     * What happened between {@code earlier} (a snapshot of the same running statistics) and this one: a daemon's
     * pipeline runs across sessions, the session summary holds the session's share. Exercise blocks started
     * after {@code earlier} are kept whole.
     */
    public PostureStats since(PostureStats earlier) {
        Map<String, Long> byClass = new LinkedHashMap<>();
        millisByClass.forEach((k, v) -> byClass.put(k, v - earlier.millisByClass.getOrDefault(k, 0L)));
        List<Long> hist = new ArrayList<>();
        for (int i = 0; i < flexionHistogramMillis.size(); i++) {
            hist.add(flexionHistogramMillis.get(i) - (i < earlier.flexionHistogramMillis.size() ? earlier.flexionHistogramMillis.get(i) : 0L));
        }
        List<ExerciseStats> ex = exercises.subList(Math.min(earlier.exercises.size(), exercises.size()), exercises.size());
        return new PostureStats(monitoredMillis - earlier.monitoredMillis, byClass, hist, slouchAlerts - earlier.slouchAlerts,
                slouchEpisodes - earlier.slouchEpisodes, slouchMillis - earlier.slouchMillis, steps - earlier.steps, ex,
                rejectedSamples - earlier.rejectedSamples);
    }

    public int totalReps() { return exercises.stream().mapToInt(ExerciseStats::reps).sum(); }

    /** Plain maps and lists for Jackson; field names are the JSON contract of the session summary. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("monitoredMillis", monitoredMillis);
        Map<String, Long> byClass = new LinkedHashMap<>();
        for (PostureClass c : PostureClass.values()) {
            byClass.put(c.wireName(), millisByClass.getOrDefault(c.wireName(), 0L));
        }
        m.put("millisByClass", byClass);
        List<Map<String, Object>> bins = new ArrayList<>();
        for (int i = 0; i < flexionHistogramMillis.size(); i++) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("fromDeg", HISTOGRAM_FROM_DEG + i * HISTOGRAM_BIN_DEG);
            b.put("toDeg", HISTOGRAM_FROM_DEG + (i + 1) * HISTOGRAM_BIN_DEG);
            b.put("millis", flexionHistogramMillis.get(i));
            bins.add(b);
        }
        m.put("flexionHistogram", bins);
        m.put("slouchAlerts", slouchAlerts);
        m.put("slouchEpisodes", slouchEpisodes);
        m.put("slouchMillis", slouchMillis);
        m.put("steps", steps);
        m.put("reps", totalReps());
        List<Map<String, Object>> ex = new ArrayList<>();
        for (ExerciseStats e : exercises) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("exercise", e.exercise());
            x.put("setsPrescribed", e.setsPrescribed());
            x.put("repsPerSet", e.repsPerSet());
            x.put("targetRomDeg", e.targetRomDeg());
            x.put("setsCompleted", e.setsCompleted());
            x.put("reps", e.reps());
            x.put("shallowReps", e.shallowReps());
            double mean = e.meanRomDeg();
            x.put("meanRomDeg", Double.isNaN(mean) ? null : Math.round(mean * 10) / 10.0);
            x.put("romDeg", e.romDeg().stream().map(v -> Math.round(v * 10) / 10.0).toList());
            ex.add(x);
        }
        m.put("exercises", ex);
        m.put("rejectedSamples", rejectedSamples);
        return m;
    }
}
