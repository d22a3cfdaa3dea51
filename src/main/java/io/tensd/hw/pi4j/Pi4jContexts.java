package io.tensd.hw.pi4j;

import com.pi4j.Pi4J;
import com.pi4j.boardinfo.util.BoardInfoHelper;
import com.pi4j.context.Context;
import com.pi4j.context.ContextBuilder;

import java.nio.file.Path;
import java.util.OptionalInt;

/** Builds the Pi4J context for a real Raspberry Pi 4 or 5 (gpiod + linuxfs providers found on the class path). */
public final class Pi4jContexts {
    private Pi4jContexts() { }

    /** Auto-detected context, with {@code linux.pwm.chip} set to the chip that really drives the header's PWM pins. */
    public static Context forThisPi() {
        ContextBuilder builder = Pi4J.newContextBuilder().autoDetect();
        OptionalInt chip = PwmChipLocator.find(Path.of("/sys/class/pwm"));
        chip.ifPresent(c -> builder.property("linux.pwm.chip", Integer.toString(c)));
        return builder.build();
    }

    /** Whether the GPIO/PWM live on RP1 (Pi 5): decides the PWM channel of GPIO18/19. */
    public static boolean usesRp1() {
        try {
            return BoardInfoHelper.usesRP1();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
