package io.tensd.hw.pi4j;

import com.pi4j.io.i2c.I2C;
import io.tensd.hw.SensorStatus;
import io.tensd.loop.VirtualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.tensd.hw.pi4j.MockPi.answer16;
import static org.junit.jupiter.api.Assertions.assertEquals;

class Max17048Test {
    private final MockPi mock = new MockPi();
    private final VirtualClock clock = new VirtualClock(7L);
    private final I2C i2c = Pi4jIo.i2c(mock.pi4j, "g", 1, 0x36);
    private final Max17048 gauge = new Max17048(new I2cDevice(i2c, 1, 0x36), clock);

    @AfterEach
    void close() { mock.close(); }

    @Test
    void conversions() {
        assertEquals(50.0, Max17048.percentFromRaw(0x3200), 1e-9);
        assertEquals(50.5, Max17048.percentFromRaw(0x3280), 1e-9);
        assertEquals(100.0, Max17048.percentFromRaw(0x6480), 1e-9, "just after power-up it may read over 100 %");
        assertEquals(4.16, Max17048.voltsFromRaw(0xD000), 1e-9);
        assertEquals(3.7, Max17048.voltsFromRaw(47360), 1e-9);
        assertEquals(5.1199, Max17048.voltsFromRaw(0xFFFF), 1e-4);
    }

    @Test
    void pollReadsVersionThenCellAndCharge() {
        answer16(i2c, Max17048.REG_VERSION, 0x0012);
        answer16(i2c, Max17048.REG_VCELL, 0xC000);
        answer16(i2c, Max17048.REG_SOC, 0x4B40);
        gauge.poll();
        assertEquals(SensorStatus.OK, gauge.latest().status());
        assertEquals(3.84, gauge.latest().volts(), 1e-9);
        assertEquals(75.25, gauge.latest().percent(), 1e-9);
        assertEquals(7L, gauge.latest().sampledAtNanos());
    }

    @Test
    void unknownVersionIsBadIdAndMissingAnswerIsBusError() {
        answer16(i2c, Max17048.REG_VERSION, 0x0000);
        gauge.poll();
        assertEquals(SensorStatus.BAD_ID, gauge.latest().status());
        answer16(i2c, Max17048.REG_VERSION, 0x0011);
        gauge.poll();
        assertEquals(SensorStatus.BUS_ERROR, gauge.latest().status());
    }
}
