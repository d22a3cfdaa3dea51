package io.tensd.sim.posture;

import io.tensd.hw.ImuSample;
import io.tensd.hw.SensorStatus;
import io.tensd.posture.Exercise;
import java.util.Random;
import java.util.Set;

/**
 * Synthetic 6-axis IMU signals for one sensor on the sacrum (S1–L5) and optionally one at T12–L1, from a
 * posture timeline. A small rigid-body model: pelvis and lumbar segments with commanded angles, sensors
 * mounted on them at an offset from the joint and with a mounting tilt; specific force (gravity plus the
 * sensor point's own acceleration) and angular rate are derived by differentiating the model, then
 * white noise, a constant gyro bias and a slow bias random walk are added. Seeded, so a scenario
 * replays bit for bit.
 *
 * <p>Timeline (all times monotonic nanos; calls must come in time order):
 * <ul>
 * <li>{@link #setPosture}: flexion and lateral bend reached smoothly (cosine ramp) over a duration;</li>
 * <li>{@link #setBase}: standing, supine, quadruped, prone (whole-body orientation);</li>
 * <li>{@link #startExercise}: moves to the exercise's start position (2 s), holds 3 s, then does the
 *     repetitions, some optionally shallow;</li>
 * <li>{@link #startBending}: sinusoidal flexion; {@link #startWalking}/{@link #stopWalking}: gait;</li>
 * <li>{@link #sample}: one {@link ImuSample} per configured sensor (lower first).</li>
 * </ul>
 * "Flexion" is what the pipeline is meant to report: the lower sensor's sagittal angle with one sensor,
 * lumbar flexion (upper minus lower) with two; with two the pelvis adds {@code pelvisShare} of it, as in
 * lumbopelvic rhythm. {@link #truthFlexionDeg} applies the pipeline's angle definitions to the exact
 * (noise-free) orientations.
 */
public final class ImuSynth {
    private static final double G = 9.80665;
    private static final double H = 0.0005;

    /** Whole-body orientation: sagittal and lateral rotation of the pelvis. */
    public enum Base {
        STANDING(0, 0), SUPINE(-90, 0), QUADRUPED(90, 0), PRONE(90, 0), SIDE_LEFT(0, -90), SIDE_RIGHT(0, 90);

        final double pitchDeg;
        final double rollDeg;

        Base(double pitchDeg, double rollDeg) {
            this.pitchDeg = pitchDeg;
            this.rollDeg = rollDeg;
        }
    }

    public record Vec3(double x, double y, double z) {
        public static final Vec3 ZERO = new Vec3(0, 0, 0);
    }

    /**
     * @param accelNoiseG      white noise per axis (g RMS)
     * @param gyroNoiseDps     white noise per axis (°/s RMS)
     * @param lowerBiasDps     constant gyro bias of the lower sensor
     * @param upperBiasDps     constant gyro bias of the upper sensor
     * @param biasWalkDpsPerSqrtS gyro bias random walk
     * @param lowerMountDeg    lower sensor's mounting: x = rotation about the spine axis, y = pitch, z = roll
     * @param upperMountDeg    upper sensor's mounting, same convention
     * @param pelvisShare      with two sensors, the pelvis turns by this fraction of the lumbar flexion
     */
    public record Options(long seed, boolean twoSensors, double accelNoiseG, double gyroNoiseDps,
                          Vec3 lowerBiasDps, Vec3 upperBiasDps, double biasWalkDpsPerSqrtS,
                          Vec3 lowerMountDeg, Vec3 upperMountDeg, double pelvisShare) {
        /** MEMS-typical noise (0.004 g, 0.07 °/s), biases of about 1 °/s, sensors tilted 10–20° on the skin. */
        public static Options realistic(long seed, boolean twoSensors) {
            return new Options(seed, twoSensors, 0.004, 0.07, new Vec3(0.8, -0.6, 0.4), new Vec3(-0.5, 0.9, -0.3),
                    0.002, new Vec3(0, 18, 3), new Vec3(0, -10, -2), 0.5);
        }

        public Options withBias(Vec3 lower, Vec3 upper) {
            return new Options(seed, twoSensors, accelNoiseG, gyroNoiseDps, lower, upper, biasWalkDpsPerSqrtS,
                    lowerMountDeg, upperMountDeg, pelvisShare);
        }

        public Options withNoise(double accelG, double gyroDps) {
            return new Options(seed, twoSensors, accelG, gyroDps, lowerBiasDps, upperBiasDps, biasWalkDpsPerSqrtS,
                    lowerMountDeg, upperMountDeg, pelvisShare);
        }
    }

    /** A value moving smoothly (half-cosine) from {@code from} to {@code to} over [t0, t0 + dur]. */
    private static final class Ramp {
        long t0;
        long durNanos;
        double from;
        double to;

        double at(long t) {
            if (t <= t0 || durNanos <= 0) {
                return t <= t0 ? from : to;
            }
            if (t >= t0 + durNanos) {
                return to;
            }
            double s = (double) (t - t0) / durNanos;
            return from + (to - from) * (1 - Math.cos(Math.PI * s)) / 2;
        }

        void set(long now, double target, long overMillis) {
            from = at(now);
            to = target;
            t0 = now;
            durNanos = Math.max(0, overMillis) * 1_000_000L;
        }
    }

    private final Options o;
    private final Random rnd;
    private final Ramp flex = new Ramp();
    private final Ramp lat = new Ramp();
    private final Ramp basePitch = new Ramp();
    private final Ramp baseRoll = new Ramp();
    private final double[] lowerMount;
    private final double[] upperMount;
    private double lbx, lby, lbz, ubx, uby, ubz;
    private long lastSampleNanos = Long.MIN_VALUE;

    // exercise
    private Exercise exType;
    private long exStartNanos = Long.MAX_VALUE;
    private long exPeriodNanos;
    private double[] exAmplitude = new double[0];

    // bending
    private long bendStart = Long.MAX_VALUE;
    private long bendEnd = Long.MIN_VALUE;
    private double bendAmpDeg;
    private double bendHz;

    // walking
    private long walkStart = Long.MAX_VALUE;
    private long walkEnd = Long.MAX_VALUE;
    private double stepHz;
    private long stepsBefore;

    public ImuSynth(Options options) {
        this.o = options;
        this.rnd = new Random(options.seed());
        this.lowerMount = euler(options.lowerMountDeg());
        this.upperMount = euler(options.upperMountDeg());
        lbx = options.lowerBiasDps().x(); lby = options.lowerBiasDps().y(); lbz = options.lowerBiasDps().z();
        ubx = options.upperBiasDps().x(); uby = options.upperBiasDps().y(); ubz = options.upperBiasDps().z();
    }

    public Options options() { return o; }

    /** Flexion (+ forward) and lateral bend (+ to the patient's left) reached smoothly over {@code overMillis}. */
    public void setPosture(long nowNanos, double flexionDeg, double lateralDeg, long overMillis) {
        flex.set(nowNanos, flexionDeg, overMillis);
        lat.set(nowNanos, lateralDeg, overMillis);
    }

    public void setBase(long nowNanos, Base base, long overMillis) {
        basePitch.set(nowNanos, base.pitchDeg, overMillis);
        baseRoll.set(nowNanos, base.rollDeg, overMillis);
    }

    /** Exercise by wire name with full-depth repetitions ({@code mckenzie-extension}, {@code cat-cow}, …). */
    public void startExercise(long nowNanos, String type, int reps, double periodS) {
        Exercise e = Exercise.fromWire(type);
        startExercise(nowNanos, e, reps, periodS, 1.1 * e.defaultTargetRomDeg(), Set.of());
    }

    /**
     * Goes to the exercise's start position over 2 s, holds 3 s, then does {@code reps} repetitions of
     * {@code periodS} each. Repetition k (1-based) in {@code shallowReps} reaches only 55 % of
     * {@code amplitudeDeg}. Returns the time the first repetition starts.
     */
    public long startExercise(long nowNanos, Exercise type, int reps, double periodS, double amplitudeDeg,
                              Set<Integer> shallowReps) {
        setBase(nowNanos, switch (type.start()) {
            case STANDING -> Base.STANDING;
            case SUPINE -> Base.SUPINE;
            case QUADRUPED -> Base.QUADRUPED;
        }, 2000);
        flex.set(nowNanos, 0, 2000);
        lat.set(nowNanos, 0, 2000);
        exType = type;
        exStartNanos = nowNanos + 5_000_000_000L;
        exPeriodNanos = Math.round(periodS * 1e9);
        exAmplitude = new double[reps];
        for (int k = 0; k < reps; k++) {
            exAmplitude[k] = shallowReps.contains(k + 1) ? 0.55 * amplitudeDeg : amplitudeDeg;
        }
        return exStartNanos;
    }

    /** Time the last repetition ends. */
    public long exerciseEndNanos() { return exStartNanos + exAmplitude.length * exPeriodNanos; }

    /** Sinusoidal flexion of {@code amplitudeDeg} around the current posture at {@code hz}. */
    public void startBending(long nowNanos, double amplitudeDeg, double hz, long durationMillis) {
        bendStart = nowNanos;
        bendEnd = nowNanos + durationMillis * 1_000_000L;
        bendAmpDeg = amplitudeDeg;
        bendHz = hz;
    }

    public void startWalking(long nowNanos, double cadenceStepsPerMin) {
        stepsBefore = truthSteps(nowNanos);
        walkStart = nowNanos;
        walkEnd = Long.MAX_VALUE;
        stepHz = cadenceStepsPerMin / 60.0;
    }

    /** Stops at the end of the current step cycle so the motion ends smoothly. */
    public void stopWalking(long nowNanos) {
        double cycles = Math.ceil((nowNanos - walkStart) * 1e-9 * stepHz);
        walkEnd = walkStart + Math.round(cycles / stepHz * 1e9);
    }

    /** Steps taken so far (one per vertical oscillation). */
    public long truthSteps(long nowNanos) {
        if (nowNanos <= walkStart) {
            return stepsBefore;
        }
        long end = Math.min(nowNanos, walkEnd);
        return stepsBefore + (long) Math.floor((end - walkStart) * 1e-9 * stepHz);
    }

    /** The flexion the pipeline should report at {@code nowNanos}, from the exact orientations. */
    public double truthFlexionDeg(long nowNanos) {
        Pose p = pose(nowNanos);
        double[] lower = mul(rot(p.pelvisYaw, p.pelvisRoll, p.pelvisPitch), IDENTITY);
        if (!o.twoSensors()) {
            return sagittal(lower);
        }
        double[] upper = mul(lower, rot(0, p.lumbarRoll, p.lumbarPitch));
        return wrap(sagittal(upper) - sagittal(lower));
    }

    public double truthLateralDeg(long nowNanos) {
        Pose p = pose(nowNanos);
        double[] lower = rot(p.pelvisYaw, p.pelvisRoll, p.pelvisPitch);
        if (!o.twoSensors()) {
            return lateral(lower);
        }
        double[] upper = mul(lower, rot(0, p.lumbarRoll, p.lumbarPitch));
        return lateral(upper) - lateral(lower);
    }

    /** The lower (pelvis) segment's sagittal angle, which pelvis-based exercises count on. */
    public double truthLowerSagittalDeg(long nowNanos) {
        Pose p = pose(nowNanos);
        return sagittal(rot(p.pelvisYaw, p.pelvisRoll, p.pelvisPitch));
    }

    /** One sample per configured sensor at {@code nowNanos}: lower first, then upper. */
    public ImuSample[] sample(long nowNanos) {
        double dt = lastSampleNanos == Long.MIN_VALUE ? 0.01 : Math.max(0, (nowNanos - lastSampleNanos) * 1e-9);
        lastSampleNanos = nowNanos;
        double walk = o.biasWalkDpsPerSqrtS() * Math.sqrt(dt);
        lbx += walk * rnd.nextGaussian(); lby += walk * rnd.nextGaussian(); lbz += walk * rnd.nextGaussian();
        ubx += walk * rnd.nextGaussian(); uby += walk * rnd.nextGaussian(); ubz += walk * rnd.nextGaussian();
        ImuSample lower = sensor(nowNanos, false, lbx, lby, lbz);
        if (!o.twoSensors()) {
            return new ImuSample[] {lower};
        }
        return new ImuSample[] {lower, sensor(nowNanos, true, ubx, uby, ubz)};
    }

    // ---- model ----

    private record Pose(double pelvisYaw, double pelvisRoll, double pelvisPitch, double lumbarRoll, double lumbarPitch,
                        double px, double py, double pz) { }

    private Pose pose(long t) {
        double f = flex.at(t) + bending(t);
        double l = lat.at(t);
        double exTrunk = 0;
        double exPelvis = 0;
        double ex = exercise(t);
        if (exType != null) {
            if (exType.signal() == Exercise.Signal.PELVIS) {
                exPelvis = ex;
            } else {
                exTrunk = ex;
            }
        }
        f += exTrunk;
        double share = o.twoSensors() ? o.pelvisShare() : 1;
        double pelvisPitch = basePitch.at(t) + exPelvis + share * f;
        double pelvisRoll = baseRoll.at(t) + share * l;
        double lumbarPitch = o.twoSensors() ? f : 0;
        double lumbarRoll = o.twoSensors() ? l : 0;
        double yaw = 0;
        double px = 0, py = 0, pz = 0;
        if (t > walkStart && t - 500_000_000L < walkEnd) {
            double s = (t - walkStart) * 1e-9;
            // amplitude fades in over 1 s and out over 0.5 s, so the gait starts and stops without jolts
            double env = Math.min(1, s) * (t <= walkEnd ? 1 : Math.max(0, 1 - (t - walkEnd) * 2e-9));
            double ph = 2 * Math.PI * stepHz * s;
            px = env * 0.025 * (1 - Math.cos(ph));      // vertical bounce, once per step
            pz = env * 0.01 * Math.sin(ph);             // fore-aft surge
            py = env * 0.02 * Math.sin(ph / 2);         // side sway, once per stride
            yaw = env * 4 * Math.sin(ph / 2);           // pelvic rotation
            pelvisRoll += env * 3 * Math.sin(ph / 2);   // pelvic obliquity
            pelvisPitch += env * 1.5 * Math.sin(ph);    // pelvic tilt
        }
        return new Pose(yaw, pelvisRoll, pelvisPitch, lumbarRoll, lumbarPitch, px, py, pz);
    }

    private double bending(long t) {
        if (t <= bendStart || t >= bendEnd) {
            return 0;
        }
        return bendAmpDeg * Math.sin(2 * Math.PI * bendHz * (t - bendStart) * 1e-9);
    }

    private double exercise(long t) {
        if (exType == null || t <= exStartNanos || exPeriodNanos <= 0) {
            return 0;
        }
        long k = (t - exStartNanos) / exPeriodNanos;
        if (k >= exAmplitude.length) {
            return 0;
        }
        double s = (double) ((t - exStartNanos) % exPeriodNanos) / exPeriodNanos;
        double a = exAmplitude[(int) k];
        if (exType.direction() == Exercise.Direction.BOTH) {
            return a / 2 * Math.sin(2 * Math.PI * s);
        }
        return exType.direction().sign() * a * (1 - Math.cos(2 * Math.PI * s)) / 2;
    }

    /** World orientation (row-major 3×3, sensor → world) and position (m) of one sensor at time t. */
    private double[] orientation(long t, boolean upper) {
        Pose p = pose(t);
        double[] pelvis = rot(p.pelvisYaw, p.pelvisRoll, p.pelvisPitch);
        double[] seg = upper ? mul(pelvis, rot(0, p.lumbarRoll, p.lumbarPitch)) : pelvis;
        return mul(seg, upper ? upperMount : lowerMount);
    }

    private double[] position(long t, boolean upper) {
        Pose p = pose(t);
        double[] pelvis = rot(p.pelvisYaw, p.pelvisRoll, p.pelvisPitch);
        double[] pos = {p.px, p.py, p.pz};
        if (!upper) {
            return add(pos, apply(pelvis, 0.10, 0, 0.08));
        }
        double[] seg = mul(pelvis, rot(0, p.lumbarRoll, p.lumbarPitch));
        return add(add(pos, apply(pelvis, 0.12, 0, 0.06)), apply(seg, 0.20, 0, 0.04));
    }

    private ImuSample sensor(long t, boolean upper, double bx, double by, double bz) {
        long h = Math.round(H * 1e9);
        double[] r = orientation(t, upper);
        double[] rPlus = orientation(t + h, upper);
        double[] rMinus = orientation(t - h, upper);
        double[] p0 = position(t, upper);
        double[] pPlus = position(t + h, upper);
        double[] pMinus = position(t - h, upper);
        double hs = h * 1e-9;
        // specific force in world (g): own acceleration plus 1 g up (+x is up in the world frame)
        double fx = (pPlus[0] - 2 * p0[0] + pMinus[0]) / (hs * hs) / G + 1;
        double fy = (pPlus[1] - 2 * p0[1] + pMinus[1]) / (hs * hs) / G;
        double fz = (pPlus[2] - 2 * p0[2] + pMinus[2]) / (hs * hs) / G;
        // into sensor axes: Rᵀ f
        double ax = r[0] * fx + r[3] * fy + r[6] * fz;
        double ay = r[1] * fx + r[4] * fy + r[7] * fz;
        double az = r[2] * fx + r[5] * fy + r[8] * fz;
        // body rate: skew part of Rᵀ dR/dt
        double[] d = new double[9];
        for (int i = 0; i < 9; i++) {
            d[i] = (rPlus[i] - rMinus[i]) / (2 * hs);
        }
        double[] a = mul(transpose(r), d);
        double wx = (a[7] - a[5]) / 2, wy = (a[2] - a[6]) / 2, wz = (a[3] - a[1]) / 2;
        double deg = 180 / Math.PI;
        return new ImuSample(t,
                ax + o.accelNoiseG() * rnd.nextGaussian(),
                ay + o.accelNoiseG() * rnd.nextGaussian(),
                az + o.accelNoiseG() * rnd.nextGaussian(),
                wx * deg + bx + o.gyroNoiseDps() * rnd.nextGaussian(),
                wy * deg + by + o.gyroNoiseDps() * rnd.nextGaussian(),
                wz * deg + bz + o.gyroNoiseDps() * rnd.nextGaussian(),
                SensorStatus.OK);
    }

    // ---- small rotation algebra (row-major 3×3) ----

    private static final double[] IDENTITY = {1, 0, 0, 0, 1, 0, 0, 0, 1};

    /** Rx(yaw about the spine axis) · Rz(lateral, + to the left) · Ry(sagittal, + flexion), degrees. */
    static double[] rot(double xDeg, double zDeg, double yDeg) {
        return mul(mul(rx(xDeg), rz(zDeg)), ry(yDeg));
    }

    private static double[] euler(Vec3 mountDeg) { return rot(mountDeg.x(), mountDeg.z(), mountDeg.y()); }

    private static double[] rx(double deg) {
        double c = Math.cos(Math.toRadians(deg)), s = Math.sin(Math.toRadians(deg));
        return new double[] {1, 0, 0, 0, c, -s, 0, s, c};
    }

    private static double[] ry(double deg) {
        double c = Math.cos(Math.toRadians(deg)), s = Math.sin(Math.toRadians(deg));
        return new double[] {c, 0, s, 0, 1, 0, -s, 0, c};
    }

    private static double[] rz(double deg) {
        double c = Math.cos(Math.toRadians(deg)), s = Math.sin(Math.toRadians(deg));
        return new double[] {c, -s, 0, s, c, 0, 0, 0, 1};
    }

    private static double[] mul(double[] a, double[] b) {
        double[] m = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                m[3 * i + j] = a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j];
            }
        }
        return m;
    }

    private static double[] transpose(double[] a) {
        return new double[] {a[0], a[3], a[6], a[1], a[4], a[7], a[2], a[5], a[8]};
    }

    private static double[] apply(double[] r, double x, double y, double z) {
        return new double[] {r[0] * x + r[1] * y + r[2] * z, r[3] * x + r[4] * y + r[5] * z, r[6] * x + r[7] * y + r[8] * z};
    }

    private static double[] add(double[] a, double[] b) { return new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]}; }

    /** Pipeline definition: up in body axes is the first row of R (body → world); sagittal = atan2(up_z, up_x). */
    private static double sagittal(double[] r) { return Math.toDegrees(Math.atan2(r[2], r[0])); }

    private static double lateral(double[] r) { return Math.toDegrees(Math.asin(Math.max(-1, Math.min(1, -r[1])))); }

    private static double wrap(double deg) { return deg > 180 ? deg - 360 : deg < -180 ? deg + 360 : deg; }
}
