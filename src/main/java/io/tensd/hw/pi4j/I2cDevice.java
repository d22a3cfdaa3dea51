package io.tensd.hw.pi4j;

import com.pi4j.io.i2c.I2C;

/**
 * One device on an I2C bus, seen as registers. Wraps Pi4J's {@link I2C} so every failure (an
 * exception from the provider, or fewer bytes than asked for) becomes an {@link I2cBusException}
 * that names the bus, address and register.
 *
 * <p>Not thread-safe: all devices on one bus are used from that bus's single
 * {@link I2cBusWorker} thread, which is what serialises the bus.
 */
public final class I2cDevice {
    private final I2C i2c;
    private final int bus;
    private final int address;
    private final byte[] word = new byte[2];

    public I2cDevice(I2C i2c, int bus, int address) {
        this.i2c = i2c;
        this.bus = bus;
        this.address = address;
    }

    public int bus() { return bus; }

    public int address() { return address; }

    /** "0x48 on i2c-1", for messages and the hw-check table. */
    public String where() { return String.format("0x%02X on i2c-%d", address, bus); }

    /** A 16-bit register sent most significant byte first (TMP117, ADS1115, MAX17048). */
    public int readU16BigEndian(int register) {
        readBlock(register, word);
        return ((word[0] & 0xFF) << 8) | (word[1] & 0xFF);
    }

    public int readS16BigEndian(int register) {
        return (short) readU16BigEndian(register);
    }

    public int readU8(int register) {
        byte[] one = new byte[1];
        readBlock(register, one);
        return one[0] & 0xFF;
    }

    /** Reads {@code into.length} bytes starting at {@code register} (auto-increment is the device's business). */
    public void readBlock(int register, byte[] into) {
        int n;
        try {
            n = i2c.readRegister(register, into, 0, into.length);
        } catch (RuntimeException e) {
            throw new I2cBusException(String.format("read of register 0x%02X at %s failed: %s", register, where(), e.getMessage()), e);
        }
        if (n != into.length) {
            throw new I2cBusException(String.format("read of register 0x%02X at %s returned %d of %d bytes (no ACK?)",
                    register, where(), n, into.length));
        }
    }

    public void writeU16BigEndian(int register, int value) {
        byte[] data = {(byte) (value >> 8), (byte) value};
        write(register, data);
    }

    public void writeU8(int register, int value) {
        write(register, new byte[] {(byte) value});
    }

    private void write(int register, byte[] data) {
        int n;
        try {
            n = i2c.writeRegister(register, data, 0, data.length);
        } catch (RuntimeException e) {
            throw new I2cBusException(String.format("write of register 0x%02X at %s failed: %s", register, where(), e.getMessage()), e);
        }
        if (n < 0) {
            throw new I2cBusException(String.format("write of register 0x%02X at %s failed (code %d)", register, where(), n));
        }
    }
}
