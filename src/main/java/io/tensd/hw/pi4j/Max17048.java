package io.tensd.hw.pi4j;

import io.tensd.hw.BatteryReading;
import io.tensd.hw.FuelGauge;
import io.tensd.hw.SensorStatus;
import io.tensd.loop.Clock;

/**
 * Maxim/ADI MAX17048 single-cell Li-ion fuel gauge (ModelGauge, no sense resistor) at 0x36.
 * Registers from the MAX17048 datasheet (19-6171):
 * <ul>
 *   <li>0x02 VCELL: unsigned, 78.125 µV per LSB per cell.</li>
 *   <li>0x04 SOC: high byte whole percent, low byte 1/256 %. Right after power-up it may read a
 *       little above 100 %; we clamp to [0, 100].</li>
 *   <li>0x08 VERSION: 0x001x for MAX17048/49 (0x0011, 0x0012 seen in production); anything else is BAD_ID.</li>
 * </ul>
 * Polled once a second: the cell changes slowly, and the gauge itself updates SOC about every second.
 */
public final class Max17048 implements FuelGauge, I2cBusWorker.Polled {
    public static final int REG_VCELL = 0x02;
    public static final int REG_SOC = 0x04;
    public static final int REG_VERSION = 0x08;
    public static final double VOLTS_PER_LSB = 78.125e-6;
    public static final double PERCENT_PER_LSB = 1.0 / 256.0;

    private final I2cDevice device;
    private final Clock clock;
    private volatile BatteryReading latest = BatteryReading.UNKNOWN;
    private boolean identified;

    public Max17048(I2cDevice device, Clock clock) {
        this.device = device;
        this.clock = clock;
    }

    public static double voltsFromRaw(int raw) { return (raw & 0xFFFF) * VOLTS_PER_LSB; }

    public static double percentFromRaw(int raw) {
        return Math.max(0.0, Math.min(100.0, (raw & 0xFFFF) * PERCENT_PER_LSB));
    }

    public SensorStatus identify() {
        int version = device.readU16BigEndian(REG_VERSION);
        return (version & 0xFFF0) == 0x0010 ? SensorStatus.OK : SensorStatus.BAD_ID;
    }

    @Override
    public void poll() {
        try {
            if (!identified) {
                if (identify() != SensorStatus.OK) {
                    latest = failed(SensorStatus.BAD_ID);
                    return;
                }
                identified = true;
            }
            int vcell = device.readU16BigEndian(REG_VCELL);
            int soc = device.readU16BigEndian(REG_SOC);
            latest = new BatteryReading(percentFromRaw(soc), voltsFromRaw(vcell), SensorStatus.OK, clock.nanos());
        } catch (I2cBusException e) {
            failed(e);
        }
    }

    @Override
    public void failed(Throwable error) {
        identified = false;
        latest = failed(SensorStatus.BUS_ERROR);
    }

    private BatteryReading failed(SensorStatus status) {
        return new BatteryReading(Double.NaN, Double.NaN, status, clock.nanos());
    }

    @Override
    public BatteryReading latest() { return latest; }

    public I2cDevice device() { return device; }
}
