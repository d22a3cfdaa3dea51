package io.tensd.hw.pi4j;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalInputConfigBuilder;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalOutputConfigBuilder;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.io.i2c.I2C;
import com.pi4j.io.i2c.I2CConfigBuilder;
import com.pi4j.io.pwm.Pwm;
import com.pi4j.io.pwm.PwmConfigBuilder;
import com.pi4j.io.pwm.PwmType;

/**
 * Creates Pi4J I/O with the providers we decided on: gpiod for GPIO lines, linuxfs for hardware
 * PWM and I2C. When a context lacks those (the mock platform in tests), the context's default
 * provider for the type is used. Every output is created {@code initial(LOW)} and
 * {@code shutdown(LOW)}: nothing we drive energises anything unless the code asks for it.
 */
public final class Pi4jIo {
    public static final String GPIOD_OUT = "gpiod-digital-output";
    public static final String GPIOD_IN = "gpiod-digital-input";
    public static final String LINUXFS_PWM = "linuxfs-pwm";
    public static final String LINUXFS_I2C = "linuxfs-i2c";

    private Pi4jIo() { }

    public static DigitalOutput output(Context pi4j, String id, String name, int bcm) {
        DigitalOutputConfigBuilder b = DigitalOutput.newConfigBuilder(pi4j).id(id).name(name).address(bcm)
                .initial(DigitalState.LOW).shutdown(DigitalState.LOW).onState(DigitalState.HIGH);
        if (pi4j.providers().exists(GPIOD_OUT)) {
            b.provider(GPIOD_OUT);
        }
        return pi4j.create(b);
    }

    public static DigitalInput input(Context pi4j, String id, String name, int bcm, PullResistance pull, long debounceMicros) {
        DigitalInputConfigBuilder b = DigitalInput.newConfigBuilder(pi4j).id(id).name(name).address(bcm)
                .pull(pull).debounce(debounceMicros);
        if (pi4j.providers().exists(GPIOD_IN)) {
            b.provider(GPIOD_IN);
        }
        return pi4j.create(b);
    }

    /** Hardware PWM; {@code channel} is the channel on the PWM chip (see {@link PwmChannels}), not the pin. */
    public static Pwm hardwarePwm(Context pi4j, String id, String name, int channel, int frequencyHz) {
        PwmConfigBuilder b = Pwm.newConfigBuilder(pi4j).id(id).name(name).address(channel)
                .pwmType(PwmType.HARDWARE).frequency(frequencyHz).dutyCycle(0).initial(0).shutdown(0);
        if (pi4j.providers().exists(LINUXFS_PWM)) {
            b.provider(LINUXFS_PWM);
        }
        return pi4j.create(b);
    }

    public static I2C i2c(Context pi4j, String id, int bus, int address) {
        I2CConfigBuilder b = I2C.newConfigBuilder(pi4j).id(id).bus(bus).device(address);
        if (pi4j.providers().exists(LINUXFS_I2C)) {
            b.provider(LINUXFS_I2C);
        }
        return pi4j.create(b);
    }

    /** Releases an I/O by id if it exists; applies its shutdown state. Never throws. */
    public static void release(Context pi4j, String id) {
        try {
            if (pi4j.registry().exists(id)) {
                pi4j.shutdown(id);
            }
        } catch (RuntimeException ignored) {
            // best effort on the way out; the explicit LOW writes come first
        }
    }
}
