package io.tensd.safety;

/**
 * What the stimulator board and heater hardware can do at most. Not configurable: the limits file may only
 * be tighter. Mirrors the caps the board enforces by itself (hardware/stimulator-protocol.md).
 */
public final class HardwareCaps {
    public static final double MAX_MILLIAMPS = 100.0;
    public static final int MIN_PULSE_WIDTH_MICROS = 20;
    public static final int MAX_PULSE_WIDTH_MICROS = 500;
    public static final double MIN_FREQUENCY_HZ = 0.5;
    public static final double MAX_FREQUENCY_HZ = 200.0;
    public static final double MAX_HEATER_DUTY = 1.0;

    private HardwareCaps() { }
}
