package io.tensd.hw;

/** Health of one sensor reading as the acquisition thread saw it. Codes cross the wire (telemetry). */
public enum SensorStatus {
    OK(0), OPEN(1), SHORT(2), BUS_ERROR(3), NOT_PRESENT(4), BAD_ID(5);

    private final int code;

    SensorStatus(int code) { this.code = code; }

    public int code() { return code; }
}
