package io.tensd.hw.pi4j;

/**
 * An I2C transfer failed: no ACK, short read, bus busy, device node missing. Drivers turn it into a
 * reading with {@link io.tensd.hw.SensorStatus#BUS_ERROR}; it never reaches the control loop.
 */
public final class I2cBusException extends RuntimeException {
    public I2cBusException(String message, Throwable cause) {
        super(message, cause);
    }

    public I2cBusException(String message) {
        super(message);
    }
}
