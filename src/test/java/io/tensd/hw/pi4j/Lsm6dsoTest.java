package io.tensd.hw.pi4j;

import com.pi4j.io.i2c.I2C;
import io.tensd.hw.ImuSample;
import io.tensd.hw.SensorStatus;
import io.tensd.loop.VirtualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.tensd.hw.pi4j.MockPi.answer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Lsm6dsoTest {
    private final MockPi mock = new MockPi();
    private final VirtualClock clock = new VirtualClock(42L);
    private final I2C i2c = Pi4jIo.i2c(mock.pi4j, "imu", 1, 0x6A);
    private final List<ImuSample> samples = new ArrayList<>();

    @AfterEach
    void close() { mock.close(); }

    /** A 12-byte burst: gyro x,y,z then accel x,y,z, little-endian, as the part sends it. */
    private static int[] burst(int gx, int gy, int gz, int ax, int ay, int az) {
        int[] v = {gx, gy, gz, ax, ay, az};
        int[] b = new int[12];
        for (int i = 0; i < 6; i++) {
            b[2 * i] = v[i] & 0xFF;
            b[2 * i + 1] = (v[i] >> 8) & 0xFF;
        }
        return b;
    }

    private Lsm6dso imu(AxisMap axes) {
        Lsm6dso imu = new Lsm6dso(new I2cDevice(i2c, 1, 0x6A), clock, axes);
        imu.setListener(samples::add);
        return imu;
    }

    @Test
    void uprightWearerReadsPlusOneGUpTheSpine() {
        Lsm6dso imu = imu(AxisMap.IDENTITY);
        answer(i2c, Lsm6dso.REG_WHO_AM_I, 0x6C);
        // 1 g = 8197 LSB at ±4 g (0.122 mg/LSB); 100 dps = 5714 LSB at ±500 dps (17.5 mdps/LSB)
        answer(i2c, Lsm6dso.REG_OUTX_L_G, burst(5714, -5714, 0, 8197, 0, -4098));
        imu.poll();
        assertEquals(1, samples.size());
        ImuSample s = samples.get(0);
        assertEquals(SensorStatus.OK, s.status());
        assertEquals(42L, s.sampledAtNanos());
        assertEquals(1.0, s.axG(), 1e-3);
        assertEquals(0.0, s.ayG(), 1e-9);
        assertEquals(-0.5, s.azG(), 1e-3);
        assertEquals(100.0, s.gxDps(), 0.01);
        assertEquals(-100.0, s.gyDps(), 0.01);
        assertEquals(0.0, s.gzDps(), 1e-9);
        assertEquals(Lsm6dso.CTRL3_C_BDU_IF_INC, MockPi.written8(i2c, Lsm6dso.REG_CTRL3_C));
        assertEquals(Lsm6dso.CTRL1_XL_104HZ_4G, MockPi.written8(i2c, Lsm6dso.REG_CTRL1_XL));
        assertEquals(Lsm6dso.CTRL2_G_104HZ_500DPS, MockPi.written8(i2c, Lsm6dso.REG_CTRL2_G));
    }

    @Test
    void fullScaleExtremes() {
        Lsm6dso imu = imu(AxisMap.IDENTITY);
        byte[] raw = new byte[12];
        int[] b = burst(32767, -32768, 0, 32767, -32768, 0);
        for (int i = 0; i < 12; i++) {
            raw[i] = (byte) b[i];
        }
        ImuSample s = imu.decode(raw, 0);
        assertEquals(573.4, s.gxDps(), 0.1);
        assertEquals(-573.4, s.gyDps(), 0.1);
        assertEquals(3.998, s.axG(), 1e-3);
        assertEquals(-3.998, s.ayG(), 1e-3);
    }

    @Test
    void rotatedMountingIsMappedToBodyAxes() {
        // chip turned 90° about z: chip +Y points up the spine, chip +X to the patient's right
        AxisMap rotated = new AxisMap(1, 1, 0, -1, 2, 1);
        Lsm6dso imu = imu(rotated);
        answer(i2c, Lsm6dso.REG_WHO_AM_I, 0x6C);
        answer(i2c, Lsm6dso.REG_OUTX_L_G, burst(0, 0, 0, 0, 8197, 0));
        imu.poll();
        assertEquals(1.0, samples.get(0).axG(), 1e-3, "gravity reaction up the spine");
        assertEquals(0.0, samples.get(0).ayG(), 1e-9);
    }

    @Test
    void mirrorImageMountingIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new AxisMap(0, 1, 1, 1, 2, -1));
        assertThrows(IllegalArgumentException.class, () -> new AxisMap(0, 1, 0, 1, 2, 1));
    }

    @Test
    void wrongWhoAmIIsBadIdSample() {
        Lsm6dso imu = imu(AxisMap.IDENTITY);
        answer(i2c, Lsm6dso.REG_WHO_AM_I, 0x6B); // an LSM6DS3TR-C, say: different register map
        imu.poll();
        assertEquals(SensorStatus.BAD_ID, samples.get(0).status());
        assertTrue(Double.isNaN(samples.get(0).axG()));
        assertTrue(MockPi.empty(i2c, Lsm6dso.REG_CTRL1_XL), "not configured");
    }

    @Test
    void busErrorIsASampleAndTheNextPollRecovers() {
        Lsm6dso imu = imu(AxisMap.IDENTITY);
        answer(i2c, Lsm6dso.REG_WHO_AM_I, 0x6C);
        imu.poll(); // no data queued: the burst read fails
        assertEquals(SensorStatus.BUS_ERROR, samples.get(0).status());
        answer(i2c, Lsm6dso.REG_WHO_AM_I, 0x6C);
        answer(i2c, Lsm6dso.REG_OUTX_L_G, burst(0, 0, 0, 0, 0, 8197));
        imu.poll();
        assertEquals(SensorStatus.OK, samples.get(1).status());
        assertEquals(1.0, samples.get(1).azG(), 1e-3);
    }
}
