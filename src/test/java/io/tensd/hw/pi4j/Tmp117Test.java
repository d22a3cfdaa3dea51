package io.tensd.hw.pi4j;

import com.pi4j.io.i2c.I2C;
import io.tensd.config.Limits;
import io.tensd.hw.BatteryReading;
import io.tensd.hw.PostureReading;
import io.tensd.hw.SensorStatus;
import io.tensd.hw.StimStatus;
import io.tensd.hw.TempReading;
import io.tensd.loop.VirtualClock;
import io.tensd.safety.FaultCode;
import io.tensd.safety.Inputs;
import io.tensd.safety.Request;
import io.tensd.safety.SafetySettings;
import io.tensd.safety.SafetySupervisor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;

import static io.tensd.hw.pi4j.MockPi.answer16;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Tmp117Test {
    private static final long MS = 1_000_000L;
    private static final long T0 = 1_000_000_000L;
    private static final int READY = Tmp117.CONFIG | Tmp117.DATA_READY;

    private final MockPi mock = new MockPi();
    private final VirtualClock clock = new VirtualClock(T0);
    private final I2C i2c = Pi4jIo.i2c(mock.pi4j, "t", 1, 0x48);
    private final Tmp117 sensor = new Tmp117(new I2cDevice(i2c, 1, 0x48), clock);

    @AfterEach
    void close() { mock.close(); }

    /** First poll: ID check, configuration written, then read back (the mock answers a read-back with the write). */
    private void configure() {
        TempReading before = sensor.latest();
        answer16(i2c, Tmp117.REG_DEVICE_ID, Tmp117.DEVICE_ID);
        sensor.poll();
        assertEquals(before, sensor.latest(), "configuring publishes nothing");
        assertTrue(MockPi.empty(i2c, Tmp117.REG_CONFIGURATION), "the write was read back (Data_Ready cleared)");
    }

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
    void timingConstantsFollowFromTheConfiguration() {
        assertEquals(0x0020, Tmp117.CONFIG, "MOD=00 continuous, CONV=000, AVG=01");
        assertEquals(8, Tmp117.averages(Tmp117.CONFIG));
        assertEquals(Duration.ofMillis(124), Tmp117.AVERAGING_WINDOW, "8 × 15.5 ms");
        assertEquals(Duration.ofMillis(125), Tmp117.CONVERSION_CYCLE);
        assertEquals(Duration.ofMillis(25), Tmp117.POLL_PERIOD);
        assertEquals(Duration.ofSeconds(1), Tmp117.conversionCycle(Tmp117.CONFIG_RESET), "reset: CONV=100, AVG=01");
        assertEquals(Duration.ofNanos(15_500_000), Tmp117.conversionCycle(0x0000), "CONV=000, no averaging");
        assertEquals(Duration.ofMillis(500), Tmp117.conversionCycle(0x0040), "CONV=000, 32 averages");
        assertEquals(Duration.ofMillis(992), Tmp117.averagingWindow(0x0060), "64 × 15.5 ms");
    }

    @Test
    void aStaleDataReadyFromBeforeTheConfigurationIsClearedNotPublished() {
        answer16(i2c, Tmp117.REG_DEVICE_ID, 0x1117); // revision 1 in bits 15:12 is still a TMP117
        answer16(i2c, Tmp117.REG_CONFIGURATION, Tmp117.CONFIG_RESET | Tmp117.DATA_READY); // set before we configured
        sensor.poll();
        assertEquals(SensorStatus.NOT_PRESENT, sensor.latest().status());
        assertEquals(Tmp117.CONFIG, MockPi.written16(i2c, Tmp117.REG_CONFIGURATION), "continuous, 8 averages");
        assertTrue(MockPi.empty(i2c, Tmp117.REG_TEMP_RESULT), "the result register was not touched");
    }

    @Test
    void theResultIsReadOnlyAfterDataReadyAndStampedAtTheMiddleOfItsAveragingWindow() {
        configure();
        clock.advance(25 * MS);
        answer16(i2c, Tmp117.REG_CONFIGURATION, Tmp117.CONFIG); // conversion still running
        answer16(i2c, Tmp117.REG_TEMP_RESULT, 0x1280);          // what a read would return
        sensor.poll();
        assertEquals(SensorStatus.NOT_PRESENT, sensor.latest().status(), "nothing published while not ready");
        long notReadyAt = clock.nanos();

        clock.advance(25 * MS);
        answer16(i2c, Tmp117.REG_CONFIGURATION, READY);
        sensor.poll();
        TempReading r = sensor.latest();
        assertEquals(SensorStatus.OK, r.status());
        assertEquals(37.0, r.celsius(), 1e-9, "the result queued before was still there: not read while not ready");
        long readyAt = clock.nanos();
        // completed somewhere in (notReadyAt, readyAt]: at its middle; the 124 ms window ended there
        assertEquals((notReadyAt + readyAt) / 2 - 62 * MS, r.sampledAtNanos());
        assertEquals(readyAt - 74_500_000L, r.sampledAtNanos(), "12.5 + 62 ms before the poll that read it, not at it");

        clock.advance(25 * MS);
        answer16(i2c, Tmp117.REG_CONFIGURATION, Tmp117.CONFIG); // the read cleared the flag: no new result yet
        sensor.poll();
        assertEquals(r, sensor.latest(), "the same result is not published twice");

        clock.advance(100 * MS); // polls missed (e.g. a slow bus): the next result completed in the last 100 ms
        long clearAt = clock.nanos() - 100 * MS;
        answer16(i2c, Tmp117.REG_CONFIGURATION, READY);
        answer16(i2c, Tmp117.REG_TEMP_RESULT, 0xFF80); // -1.0 °C, ID not read again
        sensor.poll();
        assertEquals(-1.0, sensor.latest().celsius(), 1e-9);
        assertEquals((clearAt + clock.nanos()) / 2 - 62 * MS, sensor.latest().sampledAtNanos());
    }

    @Test
    void aPollLongAfterThePreviousPlacesTheResultInTheLastConversionCycle() {
        configure();
        clock.advance(400 * MS); // the bus thread stalled: several results completed, the register holds the last
        answer16(i2c, Tmp117.REG_CONFIGURATION, READY);
        answer16(i2c, Tmp117.REG_TEMP_RESULT, 0x1200);
        sensor.poll();
        assertEquals(clock.nanos() - 62_500_000L - 62 * MS, sensor.latest().sampledAtNanos(),
                "completion at the middle of the last 125 ms, not of the 400 ms since the previous poll");
    }

    @Test
    void aPartThatLostItsConfigurationIsConfiguredAgainNotStamped() {
        configure();
        clock.advance(25 * MS);
        answer16(i2c, Tmp117.REG_CONFIGURATION, Tmp117.CONFIG_RESET | Tmp117.DATA_READY); // reset: 1 s cycle again
        answer16(i2c, Tmp117.REG_TEMP_RESULT, 0x1280);
        sensor.poll();
        assertEquals(SensorStatus.NOT_PRESENT, sensor.latest().status(), "a result on another timing is not published");

        clock.advance(25 * MS);
        configure(); // ID checked and the configuration written again
        clock.advance(25 * MS);
        answer16(i2c, Tmp117.REG_CONFIGURATION, READY);
        sensor.poll();
        assertEquals(37.0, sensor.latest().celsius(), 1e-9);
    }

    @Test
    void powerOnValueIsNotATemperature() {
        configure();
        clock.advance(25 * MS);
        answer16(i2c, Tmp117.REG_CONFIGURATION, READY);
        answer16(i2c, Tmp117.REG_TEMP_RESULT, Tmp117.NOT_READY);
        sensor.poll();
        assertEquals(SensorStatus.NOT_PRESENT, sensor.latest().status(), "nothing published yet");
    }

    @Test
    void anotherDeviceAtTheAddressIsBadId() {
        answer16(i2c, Tmp117.REG_DEVICE_ID, 0x0119); // not a TMP117
        sensor.poll();
        assertEquals(SensorStatus.BAD_ID, sensor.latest().status());
        assertEquals(T0, sensor.latest().sampledAtNanos());
        assertTrue(Double.isNaN(sensor.latest().celsius()));
        assertTrue(MockPi.empty(i2c, Tmp117.REG_CONFIGURATION), "never configures a device it does not know");
    }

    @Test
    void busErrorIsAReadingStampedWhenItFailedAndTheSensorRecovers() {
        configure();
        clock.advance(25 * MS);
        sensor.poll(); // configuration register empty: the mock's "no ACK"
        assertEquals(SensorStatus.BUS_ERROR, sensor.latest().status());
        assertEquals(clock.nanos(), sensor.latest().sampledAtNanos(), "a failure is stamped at the failure");

        clock.advance(25 * MS);
        configure(); // re-identified and configured again after an error
        long configuredAt = clock.nanos();
        clock.advance(25 * MS);
        answer16(i2c, Tmp117.REG_CONFIGURATION, READY);
        answer16(i2c, Tmp117.REG_TEMP_RESULT, 0x1200);
        sensor.poll();
        assertEquals(SensorStatus.OK, sensor.latest().status());
        assertEquals(36.0, sensor.latest().celsius(), 1e-9);
        assertEquals((configuredAt + clock.nanos()) / 2 - 62 * MS, sensor.latest().sampledAtNanos());
    }

    /**
     * A TMP117 on its own clock: a result completes every 125 ms from {@code phase}, the mean of the 124 ms
     * before it. Answers each poll as the part would: Data_Ready if a result completed since the last read.
     */
    private static final class Chip {
        private final I2C bus;
        private final long phase;
        private long clearedAt;
        private boolean converting = true;

        Chip(I2C bus, long phase, long configuredAt) {
            this.bus = bus;
            this.phase = phase;
            this.clearedAt = configuredAt;
        }

        /** Queues the answers to a poll at {@code now}; the completion time of a new result, or -1. */
        long answerPollAt(long now) {
            long cycle = Tmp117.CONVERSION_CYCLE.toNanos();
            long completed = phase + Math.floorDiv(now - phase, cycle) * cycle;
            boolean ready = converting && completed > clearedAt;
            clearedAt = now;
            if (!ready) {
                answer16(bus, Tmp117.REG_CONFIGURATION, Tmp117.CONFIG);
                return -1;
            }
            answer16(bus, Tmp117.REG_CONFIGURATION, READY);
            answer16(bus, Tmp117.REG_TEMP_RESULT, 0x1280 + (int) (completed / cycle % 3)); // 37.000–37.016 °C
            return completed;
        }
    }

    @Test
    void readingsOnTheRealScheduleAreStampedWithinHalfAPollOfTheirWindowsMiddle() {
        Random rnd = new Random(117);
        int runs = 20;
        double sumErr = 0;
        long maxAbsErr = 0;
        double sumReadTimeErr = 0;
        long maxAge = 0;
        int readings = 0;
        for (int run = 0; run < runs; run++) {
            MockPi m = new MockPi();
            I2C bus = Pi4jIo.i2c(m.pi4j, "t", 1, 0x48);
            VirtualClock c = new VirtualClock(T0);
            Tmp117 s = new Tmp117(new I2cDevice(bus, 1, 0x48), c);
            answer16(bus, Tmp117.REG_DEVICE_ID, Tmp117.DEVICE_ID);
            s.poll();
            Chip chip = new Chip(bus, T0 + (long) (rnd.nextDouble() * 125 * MS), c.nanos());
            TempReading last = s.latest();
            for (int poll = 0; poll < 400; poll++) { // 10 s
                c.advance(25 * MS + (long) ((rnd.nextDouble() - 0.5) * 6 * MS)); // 25 ± 3 ms: other devices' transfers
                long now = c.nanos();
                if (last.status() == SensorStatus.OK) {
                    maxAge = Math.max(maxAge, now - last.sampledAtNanos()); // the oldest the loop ever sees it
                }
                long completed = chip.answerPollAt(now);
                s.poll();
                TempReading r = s.latest();
                if (completed >= 0) {
                    assertEquals(SensorStatus.OK, r.status());
                    assertTrue(r != last, "a new result is published");
                    long err = r.sampledAtNanos() - (completed - 62 * MS);
                    sumErr += err;
                    maxAbsErr = Math.max(maxAbsErr, Math.abs(err));
                    sumReadTimeErr += now - (completed - 62 * MS); // what a stamp at the read would be off by
                    readings++;
                } else {
                    assertEquals(last, r, "nothing published without Data_Ready");
                }
                last = r;
            }
            m.close();
        }
        double meanErrMs = sumErr / readings / MS;
        System.out.printf("TMP117 stamps, %d runs × 10 s, %d readings: mean error %+.2f ms, max |error| %.2f ms "
                        + "(stamped at the read: mean %+.1f ms); oldest reading the loop sees: %.1f ms%n",
                runs, readings, meanErrMs, maxAbsErr / 1e6, sumReadTimeErr / readings / MS, maxAge / 1e6);
        assertEquals(runs * 80, readings, 2.0 * runs, "one reading per 125 ms conversion");
        assertTrue(maxAbsErr <= 14 * MS, "within half a poll interval (≤ 28 ms / 2): " + maxAbsErr / 1e6 + " ms");
        assertTrue(Math.abs(meanErrMs) < 1.0, "unbiased: " + meanErrMs + " ms");
        // 62 ms (half the window) + ≤ 14 ms (half a poll) + 125 ms (the next conversion) + ≤ 28 ms (the next poll)
        assertTrue(maxAge <= 230 * MS, "oldest reading the loop sees: " + maxAge / 1e6 + " ms");
    }

    /**
     * The readings' new age (stamped ~62–75 ms before they are published) is not a stale sensor to the safety
     * supervisor (stale after 500 ms), and a part that stops converting still is, within 500 ms of its last
     * result's stamp.
     */
    @Test
    void readingsStampedAtTheirConversionAreNotStaleToTheSupervisorButASilentPartIs() {
        configure();
        Chip chip = new Chip(i2c, clock.nanos() + 40 * MS, clock.nanos());
        SafetySupervisor sup = new SafetySupervisor(Limits.defaults(), SafetySettings.defaults());
        Inputs in = new Inputs();
        Request req = new Request();
        long stale = FaultCode.SKIN_SENSOR_STALE.bit();
        long end = clock.nanos() + 30_000 * MS;
        long stopAt = end - 5_000 * MS;
        long nextPoll = clock.nanos() + 25 * MS;
        long staleAt = -1;
        while (clock.nanos() < end) {
            clock.advance(MS);
            long now = clock.nanos();
            if (now >= stopAt) {
                chip.converting = false; // the part stops converting but still answers: only the age tells
            }
            if (now == nextPoll) {
                chip.answerPollAt(now);
                sensor.poll();
                nextPoll += 25 * MS;
            }
            if (now % (10 * MS) == 0) {
                in.set(sensor.latest(), TempReading.ok(37.5 + (now / MS % 7) * 0.01, now), new StimStatus(now, 0, 1000, 0, true, 100, 1),
                        false, new BatteryReading(80, 4, SensorStatus.OK, now), PostureReading.NONE);
                req.stim(true, 0, 150, 100, 10).heater(false, 0, 37.0);
                long bits = sup.step(now, in, req).faultBits();
                if (now < stopAt) {
                    assertEquals(0, bits & stale, "skin judged stale at " + (now - T0) / 1e6 + " ms while converting");
                } else if (staleAt < 0 && (bits & stale) != 0) {
                    staleAt = now;
                }
            }
        }
        assertTrue(staleAt > 0, "a part that stopped converting is stale");
        long lastStamp = sensor.latest().sampledAtNanos();
        assertTrue(staleAt - lastStamp > 500 * MS && staleAt - lastStamp <= 510 * MS,
                "stale 500 ms after the last result's stamp (one tick late at most): " + (staleAt - lastStamp) / 1e6 + " ms");
    }
}
