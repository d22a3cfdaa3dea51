package io.tensd.hw.pi4j;

import io.tensd.hw.SensorStatus;
import io.tensd.hw.TempReading;
import io.tensd.hw.TemperatureSensor;
import io.tensd.loop.Clock;

/**
 * The pad's own temperature: an NTC thermistor in the pad read through a TI ADS1115 16-bit ADC.
 * It is the independent second channel the supervisor cross-checks against the TMP117.
 *
 * <p>Circuit (hardware/wiring.md): 3V3 — R_fixed — node — NTC — GND. AIN0 reads the node, AIN1
 * reads the 3V3 rail itself, so the result is ratiometric: R_ntc = R_fixed · V0 / (Vrail − V0),
 * independent of the rail's exact voltage. An open thermistor pulls the node to the rail
 * (ratio → 1, {@link SensorStatus#OPEN}); a shorted one pulls it to ground (ratio → 0,
 * {@link SensorStatus#SHORT}). A rail reading below {@link Params#minRailVolts} means the divider
 * has no supply (connector off): reported as OPEN.
 *
 * <p>ADS1115 registers (datasheet SBAS444): 0x00 Conversion (two's complement), 0x01 Config:
 * OS[15] (write 1 = start a single conversion; read 1 = idle/done), MUX[14:12] (100 = AIN0–GND,
 * 101 = AIN1–GND), PGA[11:9] (001 = ±4.096 V, 125 µV/LSB), MODE[8] (1 = single-shot),
 * DR[7:5] (111 = 860 SPS, 1.2 ms per conversion), COMP_QUE[1:0] (11 = comparator off).
 * The ADS1115 has no ID register: after each conversion we read the configuration back and
 * require bits 14:0 to equal what we wrote; anything else answering at the address is BAD_ID.
 *
 * <p>Temperature from resistance by the β model: 1/T = 1/T25 + ln(R/R25)/β (T in kelvin).
 */
public final class Ads1115Ntc implements TemperatureSensor, I2cBusWorker.Polled {
    public static final int REG_CONVERSION = 0x00;
    public static final int REG_CONFIG = 0x01;
    public static final int OS_START = 0x8000;
    public static final int MUX_AIN0 = 0b100 << 12;
    public static final int MUX_AIN1 = 0b101 << 12;
    public static final int PGA_4V096 = 0b001 << 9;
    public static final int MODE_SINGLE_SHOT = 1 << 8;
    public static final int DR_860_SPS = 0b111 << 5;
    public static final int COMP_QUE_DISABLE = 0b11;
    public static final double FULL_SCALE_VOLTS = 4.096;
    public static final double VOLTS_PER_LSB = FULL_SCALE_VOLTS / 32768.0;
    private static final double KELVIN = 273.15;

    /**
     * Divider and thermistor. Defaults: 10 kΩ 0.1 % fixed resistor, 10 kΩ NTC with β(25/100) = 3988 K
     * (the TDK B57861S0103F040 in hardware/bom.md), OPEN above 97 % of the rail (R &gt; 323 kΩ,
     * colder than −40 °C), SHORT below 3 % (R &lt; 309 Ω, hotter than 150 °C).
     */
    public record Params(double fixedOhms, double r25Ohms, double betaKelvin, double openRatio, double shortRatio,
                         double minRailVolts, long conversionWaitNanos) {
        public static Params defaults() {
            return new Params(10_000, 10_000, 3988, 0.97, 0.03, 2.5, 2_000_000);
        }
    }

    private final I2cDevice device;
    private final Clock clock;
    private final Params params;
    private volatile TempReading latest = TempReading.NONE;

    public Ads1115Ntc(I2cDevice device, Clock clock, Params params) {
        this.device = device;
        this.clock = clock;
        this.params = params;
    }

    /** The configuration word that starts one single-shot conversion of {@code mux}. */
    public static int startWord(int mux) {
        return OS_START | mux | PGA_4V096 | MODE_SINGLE_SHOT | DR_860_SPS | COMP_QUE_DISABLE;
    }

    public static double voltsFromCode(int code) {
        return ((short) code) * VOLTS_PER_LSB;
    }

    /** NTC resistance from the node/rail ratio (NTC on the low side). */
    public static double ntcOhms(double ratio, double fixedOhms) {
        return fixedOhms * ratio / (1.0 - ratio);
    }

    /** β model, resistance → °C. */
    public static double celsiusFromOhms(double ohms, double r25Ohms, double betaKelvin) {
        double inverseT = 1.0 / (25.0 + KELVIN) + Math.log(ohms / r25Ohms) / betaKelvin;
        return 1.0 / inverseT - KELVIN;
    }

    /** β model, °C → resistance (for tests and the documentation's table). */
    public static double ohmsFromCelsius(double celsius, double r25Ohms, double betaKelvin) {
        return r25Ohms * Math.exp(betaKelvin * (1.0 / (celsius + KELVIN) - 1.0 / (25.0 + KELVIN)));
    }

    /** Classifies and converts a node/rail pair: the whole conversion chain, without I/O. */
    public TempReading convert(int nodeCode, int railCode, long atNanos) {
        double node = voltsFromCode(nodeCode);
        double rail = voltsFromCode(railCode);
        if (rail < params.minRailVolts()) {
            return TempReading.failed(SensorStatus.OPEN, atNanos);
        }
        double ratio = node / rail;
        if (ratio >= params.openRatio()) {
            return TempReading.failed(SensorStatus.OPEN, atNanos);
        }
        if (ratio <= params.shortRatio()) {
            return TempReading.failed(SensorStatus.SHORT, atNanos);
        }
        double ohms = ntcOhms(ratio, params.fixedOhms());
        return TempReading.ok(celsiusFromOhms(ohms, params.r25Ohms(), params.betaKelvin()), atNanos);
    }

    /** One single-shot conversion; returns the raw code. Throws {@link NotAnAds1115} on a failed readback. */
    public int convertOnce(int mux) {
        int word = startWord(mux);
        device.writeU16BigEndian(REG_CONFIG, word);
        for (int attempt = 0; attempt < 4; attempt++) {
            sleepNanos(params.conversionWaitNanos());
            int config = device.readU16BigEndian(REG_CONFIG);
            if ((config & 0x7FFF) != (word & 0x7FFF)) {
                throw new NotAnAds1115(String.format("config readback 0x%04X, wrote 0x%04X", config, word));
            }
            if ((config & OS_START) != 0) {
                return device.readU16BigEndian(REG_CONVERSION);
            }
        }
        throw new I2cBusException("ADS1115 at " + device.where() + " did not finish a conversion");
    }

    /** Raised when the readback shows another kind of device at the address. */
    public static final class NotAnAds1115 extends RuntimeException {
        public NotAnAds1115(String message) { super(message); }
    }

    @Override
    public void poll() {
        try {
            int node = convertOnce(MUX_AIN0);
            int rail = convertOnce(MUX_AIN1);
            latest = convert(node, rail, clock.nanos());
        } catch (NotAnAds1115 e) {
            latest = TempReading.failed(SensorStatus.BAD_ID, clock.nanos());
        } catch (I2cBusException e) {
            failed(e);
        }
    }

    @Override
    public void failed(Throwable error) {
        latest = TempReading.failed(SensorStatus.BUS_ERROR, clock.nanos());
    }

    @Override
    public TempReading latest() { return latest; }

    public I2cDevice device() { return device; }

    private static void sleepNanos(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new I2cBusException("interrupted while waiting for a conversion");
        }
    }
}
