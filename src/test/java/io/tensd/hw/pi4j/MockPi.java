package io.tensd.hw.pi4j;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.i2c.I2C;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;
import com.pi4j.plugin.mock.provider.pwm.MockPwm;
import com.pi4j.plugin.mock.provider.pwm.MockPwmProvider;

/** Pi4J's mock platform plus helpers to reach the mock I/O our code created, by Pi4J id. */
final class MockPi implements AutoCloseable {
    final Context pi4j = Pi4J.newContextBuilder().add(new MockPlatform())
            .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance(),
                    MockPwmProvider.newInstance(), MockI2CProvider.newInstance())
            .build();

    MockDigitalOutput out(String id) { return pi4j.registry().get(id, MockDigitalOutput.class); }

    MockDigitalInput in(String id) { return pi4j.registry().get(id, MockDigitalInput.class); }

    MockPwm pwm(String id) { return pi4j.registry().get(id, MockPwm.class); }

    I2C i2c(String id) { return pi4j.registry().get(id, I2C.class); }

    boolean high(String id) { return out(id).state() == DigitalState.HIGH; }

    /** Queues the bytes a register will answer with (MockI2C is a FIFO per register). */
    static void answer(I2C i2c, int register, int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        i2c.writeRegister(register, b, 0, b.length);
    }

    static void answer16(I2C i2c, int register, int value) {
        answer(i2c, register, (value >> 8) & 0xFF, value & 0xFF);
    }

    /** Pops what the driver wrote to a register (the mock keeps writes in the same FIFO). */
    static int written16(I2C i2c, int register) {
        byte[] b = new byte[2];
        int n = i2c.readRegister(register, b, 0, 2);
        if (n != 2) {
            throw new AssertionError("nothing written to register 0x" + Integer.toHexString(register));
        }
        return ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
    }

    static int written8(I2C i2c, int register) {
        byte[] b = new byte[1];
        int n = i2c.readRegister(register, b, 0, 1);
        if (n != 1) {
            throw new AssertionError("nothing written to register 0x" + Integer.toHexString(register));
        }
        return b[0] & 0xFF;
    }

    static boolean empty(I2C i2c, int register) {
        return i2c.readRegister(register, new byte[1], 0, 1) <= 0;
    }

    @Override
    public void close() {
        pi4j.shutdown();
    }
}
