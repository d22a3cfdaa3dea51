package io.tensd.posture;

import java.util.Optional;

/** Neutral calibration of the lower sensor and, with two sensors, the upper one. */
public record PostureCalibration(SensorCalibration lower, Optional<SensorCalibration> upper) {
    public PostureCalibration {
        if (lower == null || upper == null) {
            throw new IllegalArgumentException("lower calibration required; upper is Optional.empty() with one sensor");
        }
    }
}
