package io.tensd.posture;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the posture pipeline tells the session about. Rare (seconds to minutes apart), so one allocation per
 * event is fine on the acquisition thread. {@link #type()} is the wire name; {@link #data()} holds flat
 * values for {@code io.tensd.session.SessionEvent}.
 */
public sealed interface PostureEvent {
    String type();

    long atNanos();

    Map<String, Object> data();

    /** Flexion stayed beyond the threshold for the configured delay (training mode only). */
    record SlouchAlert(long atNanos, double flexionDeg, double thresholdDeg, long heldMillis) implements PostureEvent {
        public String type() { return "slouch-alert"; }

        public Map<String, Object> data() {
            return map("flexionDeg", round1(flexionDeg), "thresholdDeg", thresholdDeg, "heldMillis", heldMillis);
        }
    }

    /** One repetition done; the progress event. */
    record ExerciseRep(long atNanos, String exercise, int set, int rep, int repsPerSet, double romDeg,
                       double targetRomDeg, boolean shallow) implements PostureEvent {
        public String type() { return "exercise-rep"; }

        public Map<String, Object> data() {
            return map("exercise", exercise, "set", set, "rep", rep, "repsPerSet", repsPerSet,
                    "romDeg", round1(romDeg), "targetRomDeg", targetRomDeg, "shallow", shallow);
        }
    }

    /** Emitted after the {@link ExerciseRep} of a repetition whose range of motion was too small. */
    record RepTooShallow(long atNanos, String exercise, int set, int rep, double romDeg, double minRomDeg)
            implements PostureEvent {
        public String type() { return "rep-too-shallow"; }

        public Map<String, Object> data() {
            return map("exercise", exercise, "set", set, "rep", rep, "romDeg", round1(romDeg), "minRomDeg", round1(minRomDeg));
        }
    }

    /** A set finished; {@code lastSet} when the whole prescription is done. */
    record SetComplete(long atNanos, String exercise, int set, int sets, int reps, int shallowReps,
                       double meanRomDeg, boolean lastSet) implements PostureEvent {
        public String type() { return "exercise-set-complete"; }

        public Map<String, Object> data() {
            return map("exercise", exercise, "set", set, "sets", sets, "reps", reps, "shallowReps", shallowReps,
                    "meanRomDeg", round1(meanRomDeg), "lastSet", lastSet);
        }
    }

    /** Result of a neutral capture. On failure the previous calibration stays in force. */
    record Calibration(long atNanos, boolean ok, String reason, double lowerTiltDeg, double upperTiltDeg)
            implements PostureEvent {
        public String type() { return "posture-calibration"; }

        public Map<String, Object> data() {
            return map("ok", ok, "reason", reason, "lowerTiltDeg", round1(lowerTiltDeg),
                    "upperTiltDeg", Double.isNaN(upperTiltDeg) ? "none" : round1(upperTiltDeg));
        }
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static double round1(double v) { return Math.round(v * 10) / 10.0; }
}
