package io.tensd.hw;

/**
 * One temperature sample. {@code celsius} is NaN when the status is not OK.
 * Immutable: acquisition threads publish a new one; the loop only reads the reference.
 */
public record TempReading(double celsius, SensorStatus status, long sampledAtNanos) {
    public static final TempReading NONE = new TempReading(Double.NaN, SensorStatus.NOT_PRESENT, Long.MIN_VALUE / 4);

    public static TempReading ok(double celsius, long sampledAtNanos) {
        return new TempReading(celsius, SensorStatus.OK, sampledAtNanos);
    }

    public static TempReading failed(SensorStatus status, long sampledAtNanos) {
        return new TempReading(Double.NaN, status, sampledAtNanos);
    }
}
