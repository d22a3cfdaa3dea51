package io.tensd.posture;

import io.tensd.hw.ImuSample;
import io.tensd.hw.PostureReading;
import io.tensd.hw.PostureSource;
import io.tensd.hw.SensorStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The posture pipeline, shared by the live device and {@code tensd posture} replay: IMU samples in (one or
 * two sensors, time as an argument), a {@link PostureReading} out, events to a {@link PostureListener}, a
 * running {@link PostureStats}.
 *
 * <p>Per sample: tilt filter per sensor → mounting rotation (neutral calibration) → sagittal and lateral
 * angles → flexion (upper − lower with two sensors, the lower sensor's angle with one) → step detector,
 * class, slouch monitor, repetition counter, statistics. Until a neutral calibration exists (captured or
 * restored) the angles are reported in the sensor's own axes and the class is null: no feedback, no
 * statistics, nothing a wrongly worn sensor could trigger.
 *
 * <p>Threading: {@link #update} runs on the IMU acquisition thread; the control methods may be called from
 * another thread (they synchronise; update is short). {@link #latest()} is lock-free for the control loop.
 * In steady state update allocates only the published {@link PostureReading} (events are rare).
 */
public final class PosturePipeline implements PostureSource {
    private static final long GAP_NANOS = 250_000_000L;

    private final PostureConfig cfg;
    private final boolean twoSensors;
    private final PostureListener listener;
    private final TiltFilter lowerFilter;
    private final TiltFilter upperFilter;
    private double[] lowerMount = identity();
    private double[] upperMount = identity();
    private final StepDetector steps;
    private final SlouchMonitor slouch;
    private final long nominalStepNanos;
    private final long dwellNanos;

    private volatile PostureReading latest = PostureReading.NONE;
    private FeedbackMode mode;
    private PostureCalibration calibration;
    private long lastNanos = Long.MIN_VALUE;

    private final Capture lowerCapture = new Capture();
    private final Capture upperCapture = new Capture();
    private long captureStartNanos = Long.MIN_VALUE;
    private long captureEndNanos = Long.MIN_VALUE;

    private RepCounter exercise;
    private final List<RepCounter> exercises = new ArrayList<>();

    private PostureClass current;
    private PostureClass pending;
    private long pendingSinceNanos;
    private double dynamicMs;

    private final long[] classNanos = new long[PostureClass.values().length];
    private final long[] histogramNanos = new long[PostureStats.HISTOGRAM_BINS];
    private long monitoredNanos;
    private long rejected;

    // last computed angles (degrees)
    private double flexionDeg = Double.NaN;
    private double lateralDeg = Double.NaN;
    private double lowerSagittalDeg;
    private double lowerLateralDeg;
    private double lowerInclinationDeg;
    private double upperSagittalDeg;
    private double upperLateralDeg;

    public PosturePipeline(PostureConfig cfg, boolean twoSensors, PostureListener listener) {
        this.cfg = cfg;
        this.twoSensors = twoSensors;
        this.listener = listener;
        this.lowerFilter = new TiltFilter(cfg);
        this.upperFilter = new TiltFilter(cfg);
        this.steps = new StepDetector(cfg);
        this.slouch = new SlouchMonitor(cfg);
        this.mode = cfg.mode();
        this.nominalStepNanos = Math.round(1e9 / cfg.imuRateHz());
        this.dwellNanos = cfg.classDwellMillis() * 1_000_000L;
    }

    public boolean twoSensors() { return twoSensors; }

    public PostureConfig config() { return cfg; }

    @Override
    public PostureReading latest() { return latest; }

    public synchronized void setMode(FeedbackMode mode) {
        this.mode = mode;
    }

    public synchronized FeedbackMode mode() { return mode; }

    /** Installs a stored calibration (for instance the one captured at fitting); takes effect at the next sample. */
    public synchronized void setCalibration(PostureCalibration c) {
        if (twoSensors != c.upper().isPresent()) {
            throw new IllegalArgumentException(twoSensors ? "two-sensor pipeline needs an upper calibration"
                    : "one-sensor pipeline takes no upper calibration");
        }
        calibration = c;
        lowerMount = c.lower().sensorToBody();
        lowerFilter.setBias(c.lower().gyroBiasXDps(), c.lower().gyroBiasYDps(), c.lower().gyroBiasZDps());
        c.upper().ifPresent(u -> {
            upperMount = u.sensorToBody();
            upperFilter.setBias(u.gyroBiasXDps(), u.gyroBiasYDps(), u.gyroBiasZDps());
        });
        current = null;
    }

    public synchronized Optional<PostureCalibration> calibration() { return Optional.ofNullable(calibration); }

    /** Starts a neutral standing capture of the configured length; the result arrives as a Calibration event. */
    public void startNeutralCapture(long nowNanos) {
        startNeutralCapture(nowNanos, cfg.neutralCaptureMillis());
    }

    public synchronized void startNeutralCapture(long nowNanos, long durationMillis) {
        if (durationMillis < 1000) {
            throw new IllegalArgumentException("neutral capture must last at least 1 s");
        }
        lowerCapture.clear();
        upperCapture.clear();
        captureStartNanos = nowNanos;
        captureEndNanos = nowNanos + durationMillis * 1_000_000L;
    }

    public synchronized boolean capturing() { return captureEndNanos != Long.MIN_VALUE; }

    /** Starts counting a prescribed exercise block; a block already running is closed as it stands. */
    public synchronized void startExercise(long nowNanos, ExercisePrescription rx) {
        exercise = new RepCounter(rx, cfg);
        exercises.add(exercise);
    }

    public synchronized void stopExercise(long nowNanos) {
        exercise = null;
    }

    /** True while an exercise block is counting or waiting for the start position. */
    public synchronized boolean exerciseActive() { return exercise != null && !exercise.done(); }

    /**
     * One sample period. {@code upperOrNull} must be given (status OK) when the pipeline was built for two
     * sensors; a sample with a bad status, a missing upper sample or time not moving forward is rejected
     * (counted, reading with NaN angles and no class).
     */
    public synchronized PostureReading update(long nowNanos, ImuSample lower, ImuSample upperOrNull) {
        if (lower == null || lower.status() != SensorStatus.OK
                || (twoSensors && (upperOrNull == null || upperOrNull.status() != SensorStatus.OK))
                || (lastNanos != Long.MIN_VALUE && nowNanos <= lastNanos)) {
            rejected++;
            slouch.interrupt();
            flexionDeg = Double.NaN;
            lateralDeg = Double.NaN;
            PostureReading r = new PostureReading(Double.NaN, Double.NaN, null, nowNanos);
            latest = r;
            return r;
        }
        long dtNanos = lastNanos == Long.MIN_VALUE ? nominalStepNanos : nowNanos - lastNanos;
        lastNanos = nowNanos;
        if (dtNanos > GAP_NANOS) {
            // A gap: the attitude is unknown, restart it from gravity; no slouch time carries across.
            lowerFilter.reset();
            upperFilter.reset();
            slouch.interrupt();
            dtNanos = nominalStepNanos;
        }
        double dtS = dtNanos * 1e-9;
        feed(lowerFilter, nowNanos, dtS, lower);
        if (twoSensors) {
            feed(upperFilter, nowNanos, dtS, upperOrNull);
        }
        if (captureEndNanos != Long.MIN_VALUE) {
            capture(nowNanos, lower, upperOrNull);
        }
        angles();
        if (calibration == null || captureEndNanos != Long.MIN_VALUE) {
            return publish(nowNanos, null);
        }

        double vertical = lower.axG() * lowerFilter.ux + lower.ayG() * lowerFilter.uy + lower.azG() * lowerFilter.uz - 1;
        steps.update(nowNanos, dtS, vertical);
        double dyn = lowerFilter.accelNormG - 1;
        dynamicMs += Math.min(1, dtS) * (dyn * dyn - dynamicMs);

        PostureClass candidate = candidate();
        classify(nowNanos, candidate);

        boolean exercising = exercise != null && !exercise.done();
        boolean eligible = !exercising && candidate != PostureClass.LYING && candidate != PostureClass.MOVING;
        PostureEvent.SlouchAlert alert = slouch.update(nowNanos, dtS, flexionDeg, eligible, mode);
        if (alert != null) {
            listener.onEvent(alert);
        }
        if (exercising) {
            double signal = exercise.prescription().exercise().signal() == Exercise.Signal.PELVIS ? lowerSagittalDeg : flexionDeg;
            exercise.update(nowNanos, dtS, signal, lowerSagittalDeg, listener);
        }

        monitoredNanos += dtNanos;
        classNanos[current.ordinal()] += dtNanos;
        if (current != PostureClass.LYING) {
            int bin = (int) Math.floor((flexionDeg - PostureStats.HISTOGRAM_FROM_DEG) / PostureStats.HISTOGRAM_BIN_DEG);
            histogramNanos[Math.max(0, Math.min(PostureStats.HISTOGRAM_BINS - 1, bin))] += dtNanos;
        }
        return publish(nowNanos, current);
    }

    private PostureReading publish(long nowNanos, PostureClass c) {
        PostureReading r = new PostureReading(flexionDeg, lateralDeg, c == null ? null : c.wireName(), nowNanos);
        latest = r;
        return r;
    }

    private static void feed(TiltFilter f, long nowNanos, double dtS, ImuSample s) {
        f.update(nowNanos, dtS, s.axG(), s.ayG(), s.azG(), s.gxDps(), s.gyDps(), s.gzDps());
    }

    private void angles() {
        double[] m = lowerMount;
        TiltFilter f = lowerFilter;
        double bx = m[0] * f.ux + m[1] * f.uy + m[2] * f.uz;
        double by = m[3] * f.ux + m[4] * f.uy + m[5] * f.uz;
        double bz = m[6] * f.ux + m[7] * f.uy + m[8] * f.uz;
        lowerSagittalDeg = Math.toDegrees(Math.atan2(bz, bx));
        lowerLateralDeg = Math.toDegrees(Math.asin(Math.max(-1, Math.min(1, -by))));
        lowerInclinationDeg = Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, bx))));
        if (twoSensors) {
            m = upperMount;
            f = upperFilter;
            bx = m[0] * f.ux + m[1] * f.uy + m[2] * f.uz;
            by = m[3] * f.ux + m[4] * f.uy + m[5] * f.uz;
            bz = m[6] * f.ux + m[7] * f.uy + m[8] * f.uz;
            upperSagittalDeg = Math.toDegrees(Math.atan2(bz, bx));
            upperLateralDeg = Math.toDegrees(Math.asin(Math.max(-1, Math.min(1, -by))));
            flexionDeg = wrap(upperSagittalDeg - lowerSagittalDeg);
            lateralDeg = upperLateralDeg - lowerLateralDeg;
        } else {
            flexionDeg = lowerSagittalDeg;
            lateralDeg = lowerLateralDeg;
        }
    }

    private PostureClass candidate() {
        if (lowerInclinationDeg >= cfg.lyingInclinationDeg()) {
            return PostureClass.LYING;
        }
        if (steps.walking() || Math.sqrt(dynamicMs) > cfg.movingAccelRmsG()) {
            return PostureClass.MOVING;
        }
        if (flexionDeg >= cfg.flexedDeg()) {
            return PostureClass.FLEXED;
        }
        if (flexionDeg <= -cfg.extendedDeg()) {
            return PostureClass.EXTENDED;
        }
        return PostureClass.UPRIGHT;
    }

    /** The reported class changes only after the new one has persisted for the dwell time. */
    private void classify(long nowNanos, PostureClass candidate) {
        if (current == null) {
            current = candidate;
            pending = candidate;
            return;
        }
        if (candidate == current) {
            pending = current;
        } else if (candidate != pending) {
            pending = candidate;
            pendingSinceNanos = nowNanos;
        } else if (nowNanos - pendingSinceNanos >= dwellNanos) {
            current = candidate;
        }
    }

    private void capture(long nowNanos, ImuSample lower, ImuSample upper) {
        if (nowNanos < captureEndNanos) {
            lowerCapture.add(lower);
            if (twoSensors) {
                upperCapture.add(upper);
            }
            return;
        }
        long expected = (captureEndNanos - captureStartNanos) / nominalStepNanos;
        captureEndNanos = Long.MIN_VALUE;
        String problem = lowerCapture.problem("lower", expected, cfg.maxMountTiltDeg());
        if (problem == null && twoSensors) {
            problem = upperCapture.problem("upper", expected, cfg.maxMountTiltDeg());
        }
        if (problem != null) {
            listener.onEvent(new PostureEvent.Calibration(nowNanos, false, problem,
                    lowerCapture.count > 0 ? lowerCapture.result().mountTiltDeg() : Double.NaN, Double.NaN));
            return;
        }
        SensorCalibration lo = lowerCapture.result();
        Optional<SensorCalibration> up = twoSensors ? Optional.of(upperCapture.result()) : Optional.empty();
        setCalibration(new PostureCalibration(lo, up));
        listener.onEvent(new PostureEvent.Calibration(nowNanos, true, "", lo.mountTiltDeg(),
                up.map(SensorCalibration::mountTiltDeg).orElse(Double.NaN)));
    }

    /** Running sums of one sensor during the neutral capture. */
    private static final class Capture {
        long count;
        double ax, ay, az, a2, gx, gy, gz, g2;

        void clear() {
            count = 0;
            ax = ay = az = a2 = gx = gy = gz = g2 = 0;
        }

        void add(ImuSample s) {
            count++;
            ax += s.axG();
            ay += s.ayG();
            az += s.azG();
            a2 += s.axG() * s.axG() + s.ayG() * s.ayG() + s.azG() * s.azG();
            gx += s.gxDps();
            gy += s.gyDps();
            gz += s.gzDps();
            g2 += s.gxDps() * s.gxDps() + s.gyDps() * s.gyDps() + s.gzDps() * s.gzDps();
        }

        /** Why this capture cannot be used, or null. */
        String problem(String which, long expected, double maxTiltDeg) {
            if (count < Math.max(10, expected / 2)) {
                return which + " sensor: only " + count + " samples in the capture window";
            }
            double mx = ax / count, my = ay / count, mz = az / count;
            double mean = Math.sqrt(mx * mx + my * my + mz * mz);
            double accelSd = Math.sqrt(Math.max(0, a2 / count - mean * mean));
            double gmx = gx / count, gmy = gy / count, gmz = gz / count;
            double gyroSd = Math.sqrt(Math.max(0, g2 / count - (gmx * gmx + gmy * gmy + gmz * gmz)));
            if (mean < 0.9 || mean > 1.1) {
                return which + " sensor: gravity reads " + String.format("%.2f", mean) + " g, expected 1 g";
            }
            if (accelSd > 0.05 || gyroSd > 3) {
                return which + " sensor: patient moved during the neutral capture (stand still and repeat)";
            }
            double tilt = result().mountTiltDeg();
            if (tilt > maxTiltDeg) {
                return which + " sensor: tilted " + Math.round(tilt) + "° from the documented axes (+x up the spine);"
                        + " check how it is worn";
            }
            return null;
        }

        SensorCalibration result() {
            return new SensorCalibration(ax / count, ay / count, az / count, gx / count, gy / count, gz / count);
        }
    }

    /** Snapshot of the running statistics (allocates; call it for the summary, not per sample). */
    public synchronized PostureStats stats() {
        Map<String, Long> byClass = new java.util.LinkedHashMap<>();
        for (PostureClass c : PostureClass.values()) {
            byClass.put(c.wireName(), classNanos[c.ordinal()] / 1_000_000L);
        }
        List<Long> hist = new ArrayList<>();
        for (long n : histogramNanos) {
            hist.add(n / 1_000_000L);
        }
        List<PostureStats.ExerciseStats> ex = new ArrayList<>();
        for (RepCounter r : exercises) {
            ExercisePrescription rx = r.prescription();
            ex.add(new PostureStats.ExerciseStats(rx.exercise().wireName(), rx.sets(), rx.repsPerSet(), rx.targetRomDeg(),
                    r.setsCompleted, r.reps, r.shallowReps, r.romDeg));
        }
        return new PostureStats(monitoredNanos / 1_000_000L, byClass, hist, slouch.alerts, slouch.episodes,
                slouch.slouchNanos / 1_000_000L, steps.steps(), ex, rejected);
    }

    /** Current angles for tests and diagnostics. */
    public synchronized double lowerSagittalDeg() { return lowerSagittalDeg; }

    public synchronized double upperSagittalDeg() { return upperSagittalDeg; }

    private static double wrap(double deg) {
        return deg > 180 ? deg - 360 : deg < -180 ? deg + 360 : deg;
    }

    private static double[] identity() { return new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}; }
}
