package io.tensd.hw.pi4j;

/**
 * Which channel of the PWM chip drives a BCM pin. Pi4J's linuxfs PWM addresses
 * {@code /sys/class/pwm/pwmchipN/pwmC} by channel C, not by pin.
 *
 * <ul>
 *   <li>Pi 4 (BCM2711 PWM0, two channels): GPIO12 and GPIO18 → channel 0; GPIO13 and GPIO19 → channel 1.</li>
 *   <li>Pi 5 (RP1 PWM0, four channels): GPIO12 → 0, GPIO13 → 1, GPIO18 → 2, GPIO19 → 3.</li>
 * </ul>
 * Other pins have no hardware PWM: a heater on them is a configuration error, said at start-up.
 */
public final class PwmChannels {
    private PwmChannels() { }

    public static int channelFor(int bcmPin, boolean rp1) {
        return switch (bcmPin) {
            case 12 -> 0;
            case 13 -> 1;
            case 18 -> rp1 ? 2 : 0;
            case 19 -> rp1 ? 3 : 1;
            default -> throw new IllegalArgumentException("BCM" + bcmPin
                    + " has no hardware PWM; the heater needs BCM12, 13, 18 or 19 (hardware/wiring.md)");
        };
    }
}
