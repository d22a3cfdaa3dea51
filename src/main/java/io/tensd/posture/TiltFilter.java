package io.tensd.posture;

/**
 * Gravity-direction complementary filter for one sensor, in the sensor's own axes. Posture needs tilt only
 * (flexion and lateral bend relative to vertical), never heading, so the state is the unit "up" vector
 * rather than a full quaternion: gyro integration carries it through movement, the accelerometer pulls it
 * back with time constant τ, and the pull fades out when ‖a‖ is far from 1 g (the body is accelerating).
 * The gyro bias is learnt while the sensor is still. Mutable, allocation-free, one per sensor.
 */
final class TiltFilter {
    private static final double DEG = Math.PI / 180;
    /** While still the accelerometer sees gravity only, so it may pull harder (documented in docs/posture.md). */
    static final double STILL_TAU_S = 0.5;

    private final double tauS;
    private final double gateG;
    private final double stillGyroDps;
    private final double stillAccelG;
    private final long stillMinNanos;
    private final double biasTauS;

    /** World "up" in sensor axes (unit). */
    double ux = 1, uy, uz;
    double biasX, biasY, biasZ;
    private boolean initialised;
    // 0.5 s means for the stillness test
    private double gmx, gmy, gmz, amx, amy, amz;
    private long stillSinceNanos = Long.MIN_VALUE;
    /** Still samples averaged into the bias since it was last set: a plain mean first, then an EMA. */
    private long biasCount;
    /** Last sample's accel norm (g), exposed for the movement detector. */
    double accelNormG = 1;

    TiltFilter(PostureConfig c) {
        this.tauS = c.filterTimeConstantS();
        this.gateG = c.accelGateG();
        this.stillGyroDps = c.stillGyroDps();
        this.stillAccelG = c.stillAccelG();
        this.stillMinNanos = c.stillMinMillis() * 1_000_000L;
        this.biasTauS = c.biasTimeConstantS();
    }

    void setBias(double x, double y, double z) {
        biasX = x;
        biasY = y;
        biasZ = z;
        biasCount = 0;
    }

    /** Forget the attitude (after a gap): the next sample re-initialises from the accelerometer. */
    void reset() {
        initialised = false;
        stillSinceNanos = Long.MIN_VALUE;
    }

    boolean isStill(long nowNanos) {
        return stillSinceNanos != Long.MIN_VALUE && nowNanos - stillSinceNanos >= stillMinNanos;
    }

    void update(long nowNanos, double dtS, double ax, double ay, double az, double gx, double gy, double gz) {
        double norm = Math.sqrt(ax * ax + ay * ay + az * az);
        accelNormG = norm;
        if (!initialised) {
            if (norm > 0.5 && norm < 1.5) {
                ux = ax / norm;
                uy = ay / norm;
                uz = az / norm;
                initialised = true;
            }
            gmx = gx; gmy = gy; gmz = gz;
            amx = ax; amy = ay; amz = az;
            return;
        }
        boolean still = learnBias(nowNanos, dtS, norm, ax, ay, az, gx, gy, gz);

        // A world-fixed vector seen from a body turning at ω changes as du/dt = u × ω.
        double wx = (gx - biasX) * DEG, wy = (gy - biasY) * DEG, wz = (gz - biasZ) * DEG;
        double nx = ux + dtS * (uy * wz - uz * wy);
        double ny = uy + dtS * (uz * wx - ux * wz);
        double nz = uz + dtS * (ux * wy - uy * wx);

        double dev = Math.abs(norm - 1);
        double w = dev <= gateG / 2 ? 1 : dev >= gateG ? 0 : (gateG - dev) / (gateG / 2);
        if (w > 0 && norm > 1e-6) {
            double k = w * Math.min(1, dtS / (still ? Math.min(tauS, STILL_TAU_S) : tauS));
            nx += k * (ax / norm - nx);
            ny += k * (ay / norm - ny);
            nz += k * (az / norm - nz);
        }
        double n = Math.sqrt(nx * nx + ny * ny + nz * nz);
        ux = nx / n;
        uy = ny / n;
        uz = nz / n;
    }

    /** @return true when the sensor has been still long enough to trust */
    private boolean learnBias(long nowNanos, double dtS, double norm,
                           double ax, double ay, double az, double gx, double gy, double gz) {
        double a = Math.min(1, dtS / 0.5);
        gmx += a * (gx - gmx);
        gmy += a * (gy - gmy);
        gmz += a * (gz - gmz);
        amx += a * (ax - amx);
        amy += a * (ay - amy);
        amz += a * (az - amz);
        boolean still = Math.abs(norm - 1) < 0.05
                && Math.abs(gx - gmx) < stillGyroDps && Math.abs(gy - gmy) < stillGyroDps && Math.abs(gz - gmz) < stillGyroDps
                && Math.abs(ax - amx) < stillAccelG && Math.abs(ay - amy) < stillAccelG && Math.abs(az - amz) < stillAccelG;
        if (!still) {
            stillSinceNanos = Long.MIN_VALUE;
            return false;
        }
        if (stillSinceNanos == Long.MIN_VALUE) {
            stillSinceNanos = nowNanos;
        }
        if (nowNanos - stillSinceNanos < stillMinNanos) {
            return false;
        }
        double b = Math.max(1.0 / ++biasCount, Math.min(1, dtS / biasTauS));
        biasX += b * (gx - biasX);
        biasY += b * (gy - biasY);
        biasZ += b * (gz - biasZ);
        return true;
    }
}
