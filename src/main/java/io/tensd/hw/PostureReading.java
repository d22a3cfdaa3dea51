package io.tensd.hw;

/**
 * Output of the posture pipeline (computed on the IMU acquisition thread at the IMU rate).
 * {@code postureClass} is the wire name of the class ("upright", "flexed", …) or null when unknown.
 */
public record PostureReading(double flexionDeg, double lateralDeg, String postureClass, long sampledAtNanos) {
    public static final PostureReading NONE = new PostureReading(Double.NaN, Double.NaN, null, Long.MIN_VALUE / 4);
}
