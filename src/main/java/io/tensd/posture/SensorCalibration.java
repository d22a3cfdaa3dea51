package io.tensd.posture;

/**
 * Result of a neutral standing capture for one sensor: the direction of "up" in the sensor's own axes while
 * the patient stood in neutral, and the gyro bias measured during the capture. Small enough to store with
 * the patient's device settings and restore with {@link PosturePipeline#setCalibration}.
 *
 * <p>The mounting rotation is the smallest rotation taking {@code neutralUp} onto the body's +x (up the
 * spine). Rotation of the sensor about the spine axis is not observable from gravity alone; the strap
 * keeps it small (see docs/posture.md).
 */
public record SensorCalibration(double neutralUpX, double neutralUpY, double neutralUpZ,
                                double gyroBiasXDps, double gyroBiasYDps, double gyroBiasZDps) {

    /** Sensor worn exactly as documented, no bias known. */
    public static final SensorCalibration IDENTITY = new SensorCalibration(1, 0, 0, 0, 0, 0);

    public SensorCalibration {
        double n = Math.sqrt(neutralUpX * neutralUpX + neutralUpY * neutralUpY + neutralUpZ * neutralUpZ);
        if (!(n > 0.5 && n < 1.5)) {
            throw new IllegalArgumentException("neutral up vector must be about 1 g long, got " + n);
        }
        neutralUpX /= n;
        neutralUpY /= n;
        neutralUpZ /= n;
    }

    /** Angle between the sensor's +x and vertical during the neutral capture. */
    public double mountTiltDeg() { return Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, neutralUpX)))); }

    /** Row-major 3×3 rotation taking sensor axes to body axes (Rodrigues, axis = neutralUp × x). */
    double[] sensorToBody() {
        double kx = 0, ky = neutralUpZ, kz = -neutralUpY; // n × (1,0,0)
        double s = Math.sqrt(ky * ky + kz * kz);
        double c = neutralUpX;
        if (s < 1e-12) {
            return new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1};
        }
        ky /= s;
        kz /= s;
        double v = 1 - c;
        return new double[] {
            c + kx * kx * v, kx * ky * v - kz * s, kx * kz * v + ky * s,
            ky * kx * v + kz * s, c + ky * ky * v, ky * kz * v - kx * s,
            kz * kx * v - ky * s, kz * ky * v + kx * s, c + kz * kz * v
        };
    }
}
