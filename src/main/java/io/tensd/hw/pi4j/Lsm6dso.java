package io.tensd.hw.pi4j;

import io.tensd.hw.ImuSample;
import io.tensd.hw.ImuSensor;
import io.tensd.hw.SensorStatus;
import io.tensd.loop.Clock;

/**
 * ST LSM6DSO 6-axis IMU (accelerometer + gyroscope), one per posture site. Register map and
 * sensitivities from the LSM6DSO datasheet (DS12140):
 *
 * <ul>
 *   <li>0x0F WHO_AM_I = 0x6C.</li>
 *   <li>0x12 CTRL3_C = 0x44: BDU (high and low bytes of one sample always belong together) and
 *       IF_INC (register address auto-increments, so one 12-byte burst reads all six axes).
 *       Written first.</li>
 *   <li>0x10 CTRL1_XL = 0x48: ODR 104 Hz, FS ±4 g → 0.122 mg/LSB. ±4 g keeps walking impacts on
 *       scale while leaving 0.007° of tilt per LSB near upright.</li>
 *   <li>0x11 CTRL2_G = 0x44: ODR 104 Hz, FS ±500 dps → 17.50 mdps/LSB (trunk motion stays well
 *       under 500 dps).</li>
 *   <li>0x22..0x27 OUTX/Y/Z_G, 0x28..0x2D OUTX/Y/Z_A: little-endian two's complement.</li>
 * </ul>
 *
 * Polled at 100 Hz by the bus worker (the part produces 104 Hz, so about one sample in 26 is read
 * twice; posture filtering does not care). Each poll hands one {@link ImuSample} in body axes to the
 * listener on the bus thread — an error gives a sample with NaN values and the status, so the
 * posture code sees the failure at the IMU rate instead of guessing from silence.
 */
public final class Lsm6dso implements ImuSensor, I2cBusWorker.Polled {
    public static final int REG_WHO_AM_I = 0x0F;
    public static final int WHO_AM_I = 0x6C;
    public static final int REG_CTRL1_XL = 0x10;
    public static final int REG_CTRL2_G = 0x11;
    public static final int REG_CTRL3_C = 0x12;
    public static final int REG_OUTX_L_G = 0x22;
    public static final int CTRL3_C_BDU_IF_INC = 0x44;
    public static final int CTRL1_XL_104HZ_4G = 0x48;
    public static final int CTRL2_G_104HZ_500DPS = 0x44;
    public static final double G_PER_LSB_4G = 0.122e-3;
    public static final double DPS_PER_LSB_500DPS = 17.50e-3;

    private final I2cDevice device;
    private final Clock clock;
    private final AxisMap axes;
    private final byte[] burst = new byte[12];
    private volatile Listener listener = s -> { };
    private volatile ImuSample latest;
    private boolean configured;

    public Lsm6dso(I2cDevice device, Clock clock, AxisMap axes) {
        this.device = device;
        this.clock = clock;
        this.axes = axes;
        this.latest = failedSample(SensorStatus.NOT_PRESENT, Long.MIN_VALUE / 4);
    }

    @Override
    public void setListener(Listener listener) {
        this.listener = listener == null ? s -> { } : listener;
    }

    /** The last sample handed to the listener (for hw-check and status). */
    public ImuSample latest() { return latest; }

    public SensorStatus identify() {
        return device.readU8(REG_WHO_AM_I) == WHO_AM_I ? SensorStatus.OK : SensorStatus.BAD_ID;
    }

    /** Converts one 12-byte burst from OUTX_L_G into a body-axis sample. */
    public ImuSample decode(byte[] raw, long atNanos) {
        double gx = le16(raw, 0) * DPS_PER_LSB_500DPS;
        double gy = le16(raw, 2) * DPS_PER_LSB_500DPS;
        double gz = le16(raw, 4) * DPS_PER_LSB_500DPS;
        double ax = le16(raw, 6) * G_PER_LSB_4G;
        double ay = le16(raw, 8) * G_PER_LSB_4G;
        double az = le16(raw, 10) * G_PER_LSB_4G;
        return new ImuSample(atNanos,
                axes.body(0, ax, ay, az), axes.body(1, ax, ay, az), axes.body(2, ax, ay, az),
                axes.body(0, gx, gy, gz), axes.body(1, gx, gy, gz), axes.body(2, gx, gy, gz),
                SensorStatus.OK);
    }

    @Override
    public void poll() {
        try {
            if (!configured) {
                if (identify() != SensorStatus.OK) {
                    emit(failedSample(SensorStatus.BAD_ID, clock.nanos()));
                    return;
                }
                device.writeU8(REG_CTRL3_C, CTRL3_C_BDU_IF_INC);
                device.writeU8(REG_CTRL1_XL, CTRL1_XL_104HZ_4G);
                device.writeU8(REG_CTRL2_G, CTRL2_G_104HZ_500DPS);
                configured = true;
            }
            device.readBlock(REG_OUTX_L_G, burst);
            emit(decode(burst, clock.nanos()));
        } catch (I2cBusException e) {
            failed(e);
        }
    }

    @Override
    public void failed(Throwable error) {
        configured = false;
        emit(failedSample(SensorStatus.BUS_ERROR, clock.nanos()));
    }

    private void emit(ImuSample sample) {
        latest = sample;
        listener.onSample(sample);
    }

    private static ImuSample failedSample(SensorStatus status, long atNanos) {
        return new ImuSample(atNanos, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, status);
    }

    private static int le16(byte[] b, int i) {
        return (short) ((b[i] & 0xFF) | (b[i + 1] << 8));
    }

    public I2cDevice device() { return device; }
}
