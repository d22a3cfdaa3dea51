package io.tensd.hw.pi4j;

import io.tensd.hw.SensorStatus;
import io.tensd.hw.TempReading;
import io.tensd.hw.TemperatureSensor;
import io.tensd.loop.Clock;

import java.time.Duration;

/**
 * TI TMP117 digital thermometer (±0.1 °C from −20 to 50 °C), the primary skin-temperature channel
 * under the pad. Register map and conversions from the TMP117 datasheet (SNOSD82):
 *
 * <ul>
 *   <li>0x00 Temp_Result: two's complement, 1 LSB = 7.8125 m°C (1/128 °C). 0x8000 (−256 °C) is the
 *       power-on value before the first conversion finishes: it is not a temperature and is skipped.</li>
 *   <li>0x01 Configuration: Data_Ready[13], MOD[11:10], CONV[9:7], AVG[6:5]. We write {@link #CONFIG}:
 *       continuous conversion, 8 averages, CONV=000 → one new result every 125 ms (the averaging sets the
 *       pace). Data_Ready is set when a conversion updates Temp_Result and cleared by any read of the
 *       configuration or the result register (§7.4.1, configuration register description).</li>
 *   <li>0x0F Device_ID: bits 11:0 are 0x117, bits 15:12 the silicon revision (masked off).</li>
 * </ul>
 *
 * <p><b>When a reading was taken.</b> With 8 averages a result is the mean of the ~124 ms of conversions
 * before it completed, and it completes at the part's own pace, not at our read. Reading Temp_Result every
 * 250 ms and stamping it at the read made it 62–187 ms older than its stamp (mean ~125 ms), with a jitter
 * the heat-tune fit sees as a time shift (docs/benchmarks.md §10). So {@link #poll()} reads the
 * configuration register every {@link #POLL_PERIOD}; when Data_Ready is set it reads the result and stamps
 * it at the best estimate of the middle of its averaging window: the conversion completed between the
 * previous poll (which saw the flag clear, or cleared it) and this one, so at their midpoint (±half a poll
 * period), and the window ends there: stamp = midpoint − {@link #AVERAGING_WINDOW}/2. For a temperature
 * that changes linearly over the window the 8-sample mean equals the temperature at that instant.
 * A poll that comes more than one conversion cycle after the previous one (a stalled bus thread) bounds
 * the completion to the last cycle instead. A reading is then published ~62–75 ms in the past. Each poll also
 * checks the timing bits (MOD, CONV, AVG) it reads: a part found reset is configured again, its result unpublished.
 *
 * <p>Failed readings (BUS_ERROR, BAD_ID) are stamped at the time of the failure. All transfers happen on
 * the bus worker thread in {@link #poll()}; {@link #latest()} is a volatile read.
 */
public final class Tmp117 implements TemperatureSensor, I2cBusWorker.Polled {
    public static final int REG_TEMP_RESULT = 0x00;
    public static final int REG_CONFIGURATION = 0x01;
    public static final int REG_DEVICE_ID = 0x0F;
    public static final int DEVICE_ID = 0x0117;
    public static final int DEVICE_ID_MASK = 0x0FFF;
    public static final double CELSIUS_PER_LSB = 0.0078125;
    public static final int NOT_READY = 0x8000;

    /** Configuration bit 13: a conversion finished since the configuration or result register was last read. */
    public static final int DATA_READY = 1 << 13;
    private static final int MOD_SHIFT = 10;
    private static final int CONV_SHIFT = 7;
    private static final int AVG_SHIFT = 5;
    /** MOD=00: continuous conversion. */
    public static final int MOD_CONTINUOUS = 0b00 << MOD_SHIFT;
    /** CONV=000: the shortest standby; with 8 averages the cycle is the active time rounded up to 125 ms. */
    public static final int CONV_000 = 0b000 << CONV_SHIFT;
    /** AVG=01: each result is the mean of 8 conversions. */
    public static final int AVG_8 = 0b01 << AVG_SHIFT;
    /** MOD=00 continuous, CONV=000, AVG=01 (8 averages), alert bits 0. */
    public static final int CONFIG = MOD_CONTINUOUS | CONV_000 | AVG_8;
    /** The datasheet's reset value of the configuration register. */
    public static final int CONFIG_RESET = 0x0220;
    /** MOD, CONV and AVG: the bits that set the timing the stamps are derived from. */
    public static final int TIMING_MASK = (0b11 << MOD_SHIFT) | (0b111 << CONV_SHIFT) | (0b11 << AVG_SHIFT);

    /** §7.3.2 Averaging: "a single active conversion typically takes 15.5 ms". */
    public static final Duration SINGLE_CONVERSION = Duration.ofNanos(15_500_000L);
    /** Averages per result for AVG[1:0] = 00, 01, 10, 11. */
    private static final int[] AVERAGES = {1, 8, 32, 64};
    /**
     * Conversion cycle time in continuous mode, ms, by CONV[2:0] (rows) and AVG[1:0] (columns): the datasheet's
     * table "Conversion Cycle Time in CC Mode" (§7.4.1). The cycle is the active time (averages × 15.5 ms) plus a
     * standby that pads it to the CONV setting; the averaging wins where it is longer.
     */
    private static final double[][] CYCLE_MILLIS = {
            {15.5, 125, 500, 1000},
            {125, 125, 500, 1000},
            {250, 250, 500, 1000},
            {500, 500, 500, 1000},
            {1000, 1000, 1000, 1000},
            {4000, 4000, 4000, 4000},
            {8000, 8000, 8000, 8000},
            {16000, 16000, 16000, 16000},
    };

    /** The span of temperature one result averages under {@link #CONFIG}: 8 × 15.5 ms = 124 ms. */
    public static final Duration AVERAGING_WINDOW = averagingWindow(CONFIG);
    /** A new result every 125 ms under {@link #CONFIG}. */
    public static final Duration CONVERSION_CYCLE = conversionCycle(CONFIG);
    /**
     * How often the bus thread reads the configuration register for Data_Ready: a fifth of the cycle, so a
     * result is stamped within ±12.5 ms of when it completed and published at most 25 ms after. One 2-byte
     * register read is ~0.12 ms of a 400 kHz bus (~0.5 ms at 100 kHz): 40 of them a second are ~0.5 % (2 %)
     * of the bus, beside the two IMUs' 12-byte reads at 100 Hz each (~7 % at 400 kHz).
     */
    public static final Duration POLL_PERIOD = CONVERSION_CYCLE.dividedBy(5);
    /**
     * The first result can take up to this long after {@link #CONFIG} is written: if the write does not restart
     * the conversion cycle, the reset configuration's 1 s cycle may still be running (hw-check waits this long).
     */
    public static final Duration FIRST_RESULT_WITHIN = conversionCycle(CONFIG_RESET).plus(CONVERSION_CYCLE).plusMillis(100);

    private final I2cDevice device;
    private final Clock clock;
    private final long halfWindowNanos = AVERAGING_WINDOW.toNanos() / 2;
    private final long cycleNanos = CONVERSION_CYCLE.toNanos();
    private volatile TempReading latest = TempReading.NONE;
    private boolean configured;
    /** When Data_Ready was last seen clear or cleared by our read: a result ready now completed after this. */
    private long clearedAtNanos;

    public Tmp117(I2cDevice device, Clock clock) {
        this.device = device;
        this.clock = clock;
    }

    /** Raw Temp_Result (already sign-extended or not) → °C. */
    public static double celsiusFromRaw(int raw) {
        return ((short) raw) * CELSIUS_PER_LSB;
    }

    /** Averages per result for a configuration word. */
    public static int averages(int config) {
        return AVERAGES[(config >> AVG_SHIFT) & 0b11];
    }

    /** The span one result averages for a configuration word: averages × 15.5 ms. */
    public static Duration averagingWindow(int config) {
        return SINGLE_CONVERSION.multipliedBy(averages(config));
    }

    /** The continuous-mode conversion cycle for a configuration word (the datasheet's table). */
    public static Duration conversionCycle(int config) {
        double ms = CYCLE_MILLIS[(config >> CONV_SHIFT) & 0b111][(config >> AVG_SHIFT) & 0b11];
        return Duration.ofNanos(Math.round(ms * 1_000_000));
    }

    /**
     * The stamp of a result whose Data_Ready was seen at {@code readyAtNanos} after it was last clear at
     * {@code clearAtNanos}: the middle of its averaging window, with its completion at the middle of the
     * interval it must lie in (no earlier than one conversion cycle before {@code readyAtNanos}).
     */
    long stampFor(long clearAtNanos, long readyAtNanos) {
        long earliest = Math.max(clearAtNanos, readyAtNanos - cycleNanos);
        long completed = earliest + (readyAtNanos - earliest) / 2;
        return completed - halfWindowNanos;
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
                // Clears a Data_Ready left by a conversion before this configuration (the part converts from
                // power-on): its completion time is unknown, so it must not be stamped as if it were new.
                device.readU16BigEndian(REG_CONFIGURATION);
                clearedAtNanos = clock.nanos();
                configured = true;
                return;
            }
            long now = clock.nanos();
            int config = device.readU16BigEndian(REG_CONFIGURATION);
            long since = clearedAtNanos;
            clearedAtNanos = now; // this read cleared the flag, whatever it said
            if ((config & TIMING_MASK) != (CONFIG & TIMING_MASK)) {
                // the part was reset (a supply dip brings back its 1 s cycle): its result's timing is not ours to
                // stamp; configure again (ID first). A part that never keeps it publishes nothing and goes stale.
                configured = false;
                return;
            }
            if ((config & DATA_READY) == 0) {
                return; // no new conversion since the last poll; staleness is the loop's judgement
            }
            int raw = device.readU16BigEndian(REG_TEMP_RESULT);
            if (raw == NOT_READY) {
                return; // the first conversion still running
            }
            publish(TempReading.ok(celsiusFromRaw(raw), stampFor(since, now)));
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
