package io.tensd.hw.pi4j;

import com.pi4j.io.i2c.I2C;
import io.tensd.hw.SensorStatus;
import io.tensd.hw.TempReading;
import io.tensd.loop.VirtualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.tensd.hw.pi4j.MockPi.answer16;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Tmp117Test {
    private final MockPi mock = new MockPi();
    private final VirtualClock clock = new VirtualClock(1_000_000_000L);
    private final I2C i2c = Pi4jIo.i2c(mock.pi4j, "t", 1, 0x48);
    private final Tmp117 sensor = new Tmp117(new I2cDevice(i2c, 1, 0x48), clock);

    @AfterEach
    void close() { mock.close(); }

    @Test
    void convertsDatasheetCodes() {
        assertEquals(37.0, Tmp117.celsiusFromRaw(0x1280), 1e-9);
        assertEquals(25.0, Tmp117.celsiusFromRaw(0x0C80), 1e-9);
        assertEquals(0.0078125, Tmp117.celsiusFromRaw(0x0001), 1e-12);
        assertEquals(-0.0078125, Tmp117.celsiusFromRaw(0xFFFF), 1e-12);
        assertEquals(-25.0, Tmp117.celsiusFromRaw(0xF380), 1e-9);
        assertEquals(-256.0, Tmp117.celsiusFromRaw(0x8000), 1e-9);
        assertEquals(255.9921875, Tmp117.celsiusFromRaw(0x7FFF), 1e-9);
    }

    @Test
    void checksIdConfiguresAndPublishesATimestampedReading() {
        answer16(i2c, Tmp117.REG_DEVICE_ID, 0x1117); // revision 1 in bits 15:12 is still a TMP117
        answer16(i2c, Tmp117.REG_TEMP_RESULT, 0x1280);
        sensor.poll();
        TempReading r = sensor.latest();
        assertEquals(SensorStatus.OK, r.status());
        assertEquals(37.0, r.celsius(), 1e-9);
        assertEquals(1_000_000_000L, r.sampledAtNanos());
        assertEquals(Tmp117.CONFIG, MockPi.written16(i2c, Tmp117.REG_CONFIGURATION), "continuous, 8 averages");

        clock.advance(250_000_000L);
        answer16(i2c, Tmp117.REG_TEMP_RESULT, 0xFF80); // -1.0 °C, ID not read again
        sensor.poll();
        assertEquals(-1.0, sensor.latest().celsius(), 1e-9);
        assertEquals(1_250_000_000L, sensor.latest().sampledAtNanos());
    }

    @Test
    void powerOnValueIsNotATemperature() {
        answer16(i2c, Tmp117.REG_DEVICE_ID, Tmp117.DEVICE_ID);
        answer16(i2c, Tmp117.REG_TEMP_RESULT, Tmp117.NOT_READY);
        sensor.poll();
        assertEquals(SensorStatus.NOT_PRESENT, sensor.latest().status(), "nothing published yet");
    }

    @Test
    void anotherDeviceAtTheAddressIsBadId() {
        answer16(i2c, Tmp117.REG_DEVICE_ID, 0x0119); // not a TMP117
        sensor.poll();
        assertEquals(SensorStatus.BAD_ID, sensor.latest().status());
        assertTrue(Double.isNaN(sensor.latest().celsius()));
        assertTrue(MockPi.empty(i2c, Tmp117.REG_CONFIGURATION), "never configures a device it does not know");
    }

    @Test
    void busErrorIsAReadingAndTheSensorRecovers() {
        answer16(i2c, Tmp117.REG_DEVICE_ID, Tmp117.DEVICE_ID);
        sensor.poll(); // temperature register empty: the mock's "no ACK"
        assertEquals(SensorStatus.BUS_ERROR, sensor.latest().status());

        answer16(i2c, Tmp117.REG_DEVICE_ID, Tmp117.DEVICE_ID); // re-identified after an error
        answer16(i2c, Tmp117.REG_TEMP_RESULT, 0x1200);
        clock.advance(1);
        sensor.poll();
        assertEquals(SensorStatus.OK, sensor.latest().status());
        assertEquals(36.0, sensor.latest().celsius(), 1e-9);
    }
}
