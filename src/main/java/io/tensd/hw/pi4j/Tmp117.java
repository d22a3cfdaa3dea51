package io.tensd.hw.pi4j;

import io.tensd.hw.SensorStatus;
import io.tensd.hw.TempReading;
import io.tensd.hw.TemperatureSensor;
import io.tensd.loop.Clock;

/**
 * TI TMP117 digital thermometer (±0.1 °C from −20 to 50 °C), the primary skin-temperature channel
 * under the pad. Register map and conversions from the TMP117 datasheet (SNOSD82):
 *
 * <ul>
 *   <li>0x00 Temp_Result: two's complement, 1 LSB = 7.8125 m°C (1/128 °C). 0x8000 (−256 °C) is the
 *       power-on value before the first conversion finishes: it is not a temperature and is skipped.</li>
 *   <li>0x01 Configuration: MOD[11:10], CONV[9:7], AVG[6:5]. We write {@link #CONFIG}: continuous
 *       conversion, 8 averages, CONV=000 → one new result every 125 ms (the averaging sets the pace).</li>
 *   <li>0x0F Device_ID: bits 11:0 are 0x117, bits 15:12 the silicon revision (masked off).</li>
 * </ul>
 *
 * All transfers happen on the bus worker thread in {@link #poll()}; {@link #latest()} is a volatile read.
 */
public final class Tmp117 implements TemperatureSensor, I2cBusWorker.Polled {
    public static final int REG_TEMP_RESULT = 0x00;
    public static final int REG_CONFIGURATION = 0x01;
    public static final int REG_DEVICE_ID = 0x0F;
    public static final int DEVICE_ID = 0x0117;
    public static final int DEVICE_ID_MASK = 0x0FFF;
    public static final double CELSIUS_PER_LSB = 0.0078125;
    public static final int NOT_READY = 0x8000;
    /** MOD=00 continuous, CONV=000, AVG=01 (8 averages), alert bits 0. */
    public static final int CONFIG = 0x0020;
    /** The datasheet's reset value of the configuration register. */
    public static final int CONFIG_RESET = 0x0220;

    private final I2cDevice device;
    private final Clock clock;
    private volatile TempReading latest = TempReading.NONE;
    private boolean configured;

    public Tmp117(I2cDevice device, Clock clock) {
        this.device = device;
        this.clock = clock;
    }

    /** Raw Temp_Result (already sign-extended or not) → °C. */
    public static double celsiusFromRaw(int raw) {
        return ((short) raw) * CELSIUS_PER_LSB;
    }

    /** Reads the device ID; returns OK, BAD_ID (something else answers) or throws on a bus error. */
    public SensorStatus identify() {
        int id = device.readU16BigEndian(REG_DEVICE_ID);
        return (id & DEVICE_ID_MASK) == DEVICE_ID ? SensorStatus.OK : SensorStatus.BAD_ID;
    }

    @Override
    public void poll() {
        try {
            if (!configured) {
                if (identify() != SensorStatus.OK) {
                    publish(TempReading.failed(SensorStatus.BAD_ID, clock.nanos()));
                    return;
                }
                device.writeU16BigEndian(REG_CONFIGURATION, CONFIG);
                configured = true;
            }
            int raw = device.readU16BigEndian(REG_TEMP_RESULT);
            if (raw == NOT_READY) {
                return; // first conversion still running; staleness is the loop's judgement
            }
            publish(TempReading.ok(celsiusFromRaw(raw), clock.nanos()));
        } catch (I2cBusException e) {
            failed(e);
        }
    }

    @Override
    public void failed(Throwable error) {
        configured = false; // the part may have been reset or replaced: check its ID again
        publish(TempReading.failed(SensorStatus.BUS_ERROR, clock.nanos()));
    }

    private void publish(TempReading reading) { latest = reading; }

    @Override
    public TempReading latest() { return latest; }

    public I2cDevice device() { return device; }
}
