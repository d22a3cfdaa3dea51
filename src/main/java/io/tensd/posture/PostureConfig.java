package io.tensd.posture;

import io.tensd.config.Durations;
import io.tensd.config.ConfigDocument;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the posture pipeline is tuned with. Defaults and their sources are in docs/posture.md; the
 * YAML keys of the {@code posture:} section are the component names (durations without the
 * {@code Millis} suffix, written as {@code 2m}, {@code 90s}, …).
 *
 * @param imuRateHz             nominal IMU rate; sets the step used for the first sample and the gap limit
 * @param filterTimeConstantS   complementary filter: how slowly the accelerometer pulls the tilt estimate
 * @param accelGateG            accelerometer correction fades out as |‖a‖ − 1 g| goes from gate/2 to gate
 * @param stillGyroDps          stillness: each gyro axis within this of its 0.5 s mean
 * @param stillAccelG           stillness: each accel axis within this of its 0.5 s mean
 * @param stillMinMillis        stillness must last this long before the gyro bias is learnt
 * @param biasTimeConstantS     gyro bias learning time constant while still
 * @param neutralCaptureMillis  length of the neutral standing capture
 * @param maxMountTiltDeg       a neutral capture tilted further than this from the documented axes is refused
 * @param flexedDeg             flexed at or beyond this flexion (relative to neutral)
 * @param extendedDeg           extended at or beyond this extension (relative to neutral)
 * @param lyingInclinationDeg   lying when the lower sensor's long axis is this far from vertical
 * @param movingAccelRmsG       moving when the 1 s RMS of (‖a‖ − 1 g) exceeds this, or when walking
 * @param classDwellMillis      a new class must persist this long before it is reported
 * @param stepThresholdG        step detector: vertical acceleration must swing below −thr then above +thr
 * @param minStepIntervalMillis shortest plausible step (fastest cadence)
 * @param maxStepIntervalMillis longest plausible step; walking ends after this without a step
 * @param stepsToConfirm        regular steps in a row before walking (and counting) starts
 * @param mode                  slouch feedback mode
 * @param slouchThresholdDeg    flexion beyond neutral that counts as slouching
 * @param slouchDelayMillis     slouching must last this long before the alert (3 s … 10 min)
 * @param slouchHysteresisDeg   an episode ends when flexion falls this far below the threshold
 * @param repEnterDeg           a repetition starts when the angle leaves its rest value by this much
 * @param repExitDeg            and ends when it comes back within this
 * @param shallowFraction       a repetition below this fraction of the target range of motion is flagged
 */
public record PostureConfig(double imuRateHz, double filterTimeConstantS, double accelGateG,
                            double stillGyroDps, double stillAccelG, long stillMinMillis, double biasTimeConstantS,
                            long neutralCaptureMillis, double maxMountTiltDeg,
                            double flexedDeg, double extendedDeg, double lyingInclinationDeg, double movingAccelRmsG,
                            long classDwellMillis,
                            double stepThresholdG, long minStepIntervalMillis, long maxStepIntervalMillis, int stepsToConfirm,
                            FeedbackMode mode, double slouchThresholdDeg, long slouchDelayMillis, double slouchHysteresisDeg,
                            double repEnterDeg, double repExitDeg, double shallowFraction) {

    public static final long MIN_SLOUCH_DELAY_MILLIS = 3_000;
    public static final long MAX_SLOUCH_DELAY_MILLIS = 600_000;

    public PostureConfig {
        check(imuRateHz >= 10 && imuRateHz <= 2000, "imuRateHz must be 10..2000");
        check(filterTimeConstantS >= 0.1 && filterTimeConstantS <= 20, "filterTimeConstantS must be 0.1..20");
        check(accelGateG > 0 && accelGateG <= 1, "accelGateG must be in (0, 1]");
        check(slouchDelayMillis >= MIN_SLOUCH_DELAY_MILLIS && slouchDelayMillis <= MAX_SLOUCH_DELAY_MILLIS,
                "slouchDelay must be 3s..10m");
        check(slouchHysteresisDeg >= 0 && slouchHysteresisDeg < slouchThresholdDeg, "slouchHysteresisDeg must be 0..threshold");
        check(repExitDeg > 0 && repExitDeg < repEnterDeg, "repExitDeg must be positive and below repEnterDeg");
        check(minStepIntervalMillis > 0 && minStepIntervalMillis < maxStepIntervalMillis,
                "minStepInterval must be positive and below maxStepInterval");
        check(shallowFraction > 0 && shallowFraction <= 1, "shallowFraction must be in (0, 1]");
        check(neutralCaptureMillis >= 1000, "neutralCapture must be at least 1s");
        check(stepsToConfirm >= 1, "stepsToConfirm must be at least 1");
        check(mode != null, "mode is required");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public static PostureConfig defaults() {
        return new PostureConfig(100, 2.0, 0.15,
                1.0, 0.03, 500, 5.0,
                5000, 60,
                20, 10, 60, 0.15,
                1000,
                0.08, 250, 1500, 4,
                FeedbackMode.TRAINING, 20, 120_000, 5,
                4, 2, 0.7);
    }

    public PostureConfig withMode(FeedbackMode m) {
        return new PostureConfig(imuRateHz, filterTimeConstantS, accelGateG, stillGyroDps, stillAccelG, stillMinMillis,
                biasTimeConstantS, neutralCaptureMillis, maxMountTiltDeg, flexedDeg, extendedDeg, lyingInclinationDeg,
                movingAccelRmsG, classDwellMillis, stepThresholdG, minStepIntervalMillis, maxStepIntervalMillis,
                stepsToConfirm, m, slouchThresholdDeg, slouchDelayMillis, slouchHysteresisDeg, repEnterDeg, repExitDeg,
                shallowFraction);
    }

    public PostureConfig withSlouch(double thresholdDeg, long delayMillis) {
        return new PostureConfig(imuRateHz, filterTimeConstantS, accelGateG, stillGyroDps, stillAccelG, stillMinMillis,
                biasTimeConstantS, neutralCaptureMillis, maxMountTiltDeg, flexedDeg, extendedDeg, lyingInclinationDeg,
                movingAccelRmsG, classDwellMillis, stepThresholdG, minStepIntervalMillis, maxStepIntervalMillis,
                stepsToConfirm, mode, thresholdDeg, delayMillis, slouchHysteresisDeg, repEnterDeg, repExitDeg,
                shallowFraction);
    }

    public PostureConfig withImuRateHz(double hz) {
        return new PostureConfig(hz, filterTimeConstantS, accelGateG, stillGyroDps, stillAccelG, stillMinMillis,
                biasTimeConstantS, neutralCaptureMillis, maxMountTiltDeg, flexedDeg, extendedDeg, lyingInclinationDeg,
                movingAccelRmsG, classDwellMillis, stepThresholdG, minStepIntervalMillis, maxStepIntervalMillis,
                stepsToConfirm, mode, slouchThresholdDeg, slouchDelayMillis, slouchHysteresisDeg, repEnterDeg, repExitDeg,
                shallowFraction);
    }

    /**
     * Reads the {@code posture:} section at {@code pointer} of a device file that was validated against its schema
     * (which has every key, type and numeric range). Here only what the schema cannot say: durations with their
     * unit in range, and thresholds that must be below one another. Every problem is recorded on the document; a
     * bad value falls back to its default so reading goes on. Missing keys (or a {@code ~} section) take the defaults.
     */
    public static PostureConfig read(ConfigDocument doc, String pointer) {
        PostureConfig d = defaults();
        Num num = (key, fallback) -> doc.number(pointer + "/" + key, fallback);
        double flexed = num.get("flexedDeg", d.flexedDeg);
        double slouchThreshold = num.get("slouchThresholdDeg", d.slouchThresholdDeg);
        double slouchHysteresis = num.get("slouchHysteresisDeg", d.slouchHysteresisDeg);
        double repEnter = num.get("repEnterDeg", d.repEnterDeg);
        double repExit = num.get("repExitDeg", d.repExitDeg);
        long minStep = millis(doc, pointer + "/minStepInterval", d.minStepIntervalMillis, 150, 1000);
        long maxStep = millis(doc, pointer + "/maxStepInterval", d.maxStepIntervalMillis, 500, 3000);
        if (slouchHysteresis >= slouchThreshold) {
            doc.error(pointer + "/slouchHysteresisDeg", "must be below slouchThresholdDeg (" + slouchThreshold + ")");
            slouchHysteresis = Math.min(d.slouchHysteresisDeg, slouchThreshold / 2);
        }
        if (repExit >= repEnter) {
            doc.error(pointer + (doc.has(pointer + "/repExitDeg") ? "/repExitDeg" : "/repEnterDeg"), "repExitDeg must be below repEnterDeg");
            repEnter = d.repEnterDeg;
            repExit = d.repExitDeg;
        }
        if (minStep >= maxStep) {
            doc.error(pointer + (doc.has(pointer + "/minStepInterval") ? "/minStepInterval" : "/maxStepInterval"),
                    "minStepInterval must be below maxStepInterval");
            minStep = d.minStepIntervalMillis;
            maxStep = d.maxStepIntervalMillis;
        }
        return new PostureConfig(
                num.get("imuRateHz", d.imuRateHz),
                num.get("filterTimeConstantS", d.filterTimeConstantS),
                num.get("accelGateG", d.accelGateG),
                num.get("stillGyroDps", d.stillGyroDps),
                num.get("stillAccelG", d.stillAccelG),
                millis(doc, pointer + "/stillMin", d.stillMinMillis, 200, 10_000),
                num.get("biasTimeConstantS", d.biasTimeConstantS),
                millis(doc, pointer + "/neutralCapture", d.neutralCaptureMillis, 3_000, 30_000),
                num.get("maxMountTiltDeg", d.maxMountTiltDeg),
                flexed,
                num.get("extendedDeg", d.extendedDeg),
                num.get("lyingInclinationDeg", d.lyingInclinationDeg),
                num.get("movingAccelRmsG", d.movingAccelRmsG),
                millis(doc, pointer + "/classDwell", d.classDwellMillis, 0, 10_000),
                num.get("stepThresholdG", d.stepThresholdG),
                minStep, maxStep,
                doc.integer(pointer + "/stepsToConfirm", d.stepsToConfirm),
                doc.value(pointer + "/mode").map(m -> FeedbackMode.fromWire(m.asText())).orElse(d.mode),
                slouchThreshold,
                millis(doc, pointer + "/slouchDelay", d.slouchDelayMillis, MIN_SLOUCH_DELAY_MILLIS, MAX_SLOUCH_DELAY_MILLIS),
                slouchHysteresis, repEnter, repExit,
                num.get("shallowFraction", d.shallowFraction));
    }

    private interface Num { double get(String key, double fallback); }

    /** A duration (its form checked by the schema) in [min, max] milliseconds: a schema cannot compare 2m with 90s. */
    private static long millis(ConfigDocument doc, String at, long fallback, long min, long max) {
        if (doc.value(at).isEmpty()) {
            return fallback;
        }
        long v = Durations.parseMillis(doc.text(at, ""));
        if (v < min || v > max) {
            doc.error(at, "must be between " + min + "ms and " + max + "ms, got " + v + "ms");
            return fallback;
        }
        return v;
    }
}
