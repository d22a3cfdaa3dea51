package io.tensd.hw;

/** Belt-pack fuel gauge sample. */
public record BatteryReading(double percent, double volts, SensorStatus status, long sampledAtNanos) {
    public static final BatteryReading UNKNOWN = new BatteryReading(Double.NaN, Double.NaN, SensorStatus.NOT_PRESENT, Long.MIN_VALUE / 4);
}
