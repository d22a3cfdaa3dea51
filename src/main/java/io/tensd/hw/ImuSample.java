package io.tensd.hw;

/**
 * One 6-axis IMU sample in the sensor's own axes as documented in hardware/wiring.md (when worn:
 * +x points up the spine, +y to the patient's left, +z out of the back, away from the body).
 * Accelerations in g, angular rates in degrees per second.
 */
public record ImuSample(long sampledAtNanos, double axG, double ayG, double azG,
                        double gxDps, double gyDps, double gzDps, SensorStatus status) {
}
