package io.tensd.hw.pi4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * Finds the sysfs PWM chip that owns the header's PWM0 block, because its number is not stable:
 * on Pi 5 it was {@code pwmchip2} on early Bookworm kernels and is {@code pwmchip0} on later ones
 * (Pi4J 2.8.0 assumes 2 on RP1 boards). The chip is recognised by the device its sysfs link points to:
 * {@code 1f00098000.pwm} (RP1 PWM0, Pi 5) or {@code fe20c000.pwm} (BCM2711 PWM0, Pi 4).
 * Not {@code 1f0009c000.pwm}: that RP1 block drives the Pi 5 fan.
 */
public final class PwmChipLocator {
    public static final String RP1_PWM0 = "1f00098000.pwm";
    public static final String BCM2711_PWM0 = "fe20c000.pwm";

    private PwmChipLocator() { }

    public static OptionalInt find(Path sysClassPwm) {
        if (!Files.isDirectory(sysClassPwm)) {
            return OptionalInt.empty();
        }
        try (Stream<Path> chips = Files.list(sysClassPwm)) {
            return chips.filter(p -> p.getFileName().toString().matches("pwmchip\\d+"))
                    .filter(PwmChipLocator::isHeaderPwm0)
                    .mapToInt(p -> Integer.parseInt(p.getFileName().toString().substring("pwmchip".length())))
                    .sorted()
                    .findFirst();
        } catch (IOException e) {
            return OptionalInt.empty();
        }
    }

    private static boolean isHeaderPwm0(Path chip) {
        try {
            String target = chip.toRealPath().toString();
            return target.contains("/" + RP1_PWM0 + "/") || target.contains("/" + BCM2711_PWM0 + "/");
        } catch (IOException e) {
            return false;
        }
    }
}
