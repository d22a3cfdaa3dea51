package io.tensd.hw.pi4j;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.io.i2c.I2C;
import com.pi4j.io.pwm.Pwm;
import io.tensd.config.DeviceConfig;
import io.tensd.hw.BatteryReading;
import io.tensd.hw.ImuSample;
import io.tensd.hw.SensorStatus;
import io.tensd.hw.TempReading;
import io.tensd.loop.Clock;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The part-by-part check behind {@code tensd hw-check}: claims every configured GPIO line (outputs
 * are created LOW and released LOW), reads the inputs' resting levels, and talks to every I2C
 * device through the same drivers the daemon uses. Each row says what to try when it fails.
 * Run it with the daemon stopped: the daemon owns the lines while it runs.
 */
public final class HardwareProbe {
    public enum Status { OK, PROBLEM, NOT_PROBED }

    public record Result(String part, String where, Status status, String detail, String fix) {
        public boolean problem() { return status == Status.PROBLEM; }
    }

    /** How the probe opens I2C devices and inputs; tests plug in register-level emulations here. */
    public interface I2cOpener {
        I2C open(String id, int bus, int address);
    }

    public interface InputOpener {
        DigitalInput open(String id, String name, int bcm);
    }

    private static final String ID = "tensd-probe-";
    private final Context pi4j;
    private final DeviceConfig.Hardware hw;
    private final boolean rp1;
    private final I2cOpener i2cOpener;
    private final InputOpener inputOpener;
    private final List<Result> results = new ArrayList<>();
    private final List<String> opened = new ArrayList<>();

    public HardwareProbe(Context pi4j, DeviceConfig.Hardware hw, boolean rp1) {
        this(pi4j, hw, rp1, (id, bus, address) -> Pi4jIo.i2c(pi4j, id, bus, address),
                (id, name, bcm) -> Pi4jIo.input(pi4j, id, name, bcm, PullResistance.PULL_UP, 1_000));
    }

    public HardwareProbe(Context pi4j, DeviceConfig.Hardware hw, boolean rp1, I2cOpener i2cOpener, InputOpener inputOpener) {
        this.pi4j = pi4j;
        this.hw = hw;
        this.rp1 = rp1;
        this.i2cOpener = i2cOpener;
        this.inputOpener = inputOpener;
    }

    public List<Result> run() {
        try {
            probePwm();
            probeOutput("heater enable", hw.heaterEnablePin());
            probeOutput("stimulator enable", hw.stimEnablePin());
            probeOutput("haptic motor", hw.hapticPin());
            probeOutput("status LED", hw.ledPin());
            probeEstop();
            probeButton("button up", hw.buttonUpPin());
            probeButton("button down", hw.buttonDownPin());
            probeButton("button pause", hw.buttonPausePin());
            probeButton("button stop", hw.buttonStopPin());
            probeSkin();
            probePad();
            probeImu("IMU lower back (S1-L5)", hw.imuLowerAddress());
            if (hw.hasUpperImu()) {
                probeImu("IMU upper lumbar (T12-L1)", hw.imuUpperAddress());
            }
            probeBattery();
        } finally {
            for (int i = opened.size() - 1; i >= 0; i--) {
                Pi4jIo.release(pi4j, opened.get(i));
            }
        }
        return List.copyOf(results);
    }

    private String id(String part) {
        String id = ID + part.replaceAll("[^a-zA-Z0-9]+", "-").toLowerCase(Locale.ROOT);
        opened.add(id);
        return id;
    }

    private void ok(String part, String where, String detail) {
        results.add(new Result(part, where, Status.OK, detail, ""));
    }

    private void problem(String part, String where, String detail, String fix) {
        results.add(new Result(part, where, Status.PROBLEM, detail, fix));
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    private static String gpioFix(int bcm) {
        return "is tensd running (`sudo systemctl stop tensd`) or another program using the line? `pinctrl get " + bcm
                + "` shows its function; is the user in group gpio? is an overlay (i2c, spi, uart) claiming BCM" + bcm + "?";
    }

    private void probePwm() {
        String part = "heater PWM";
        String where = HeaderPins.describe(hw.heaterPwmPin());
        int channel;
        try {
            channel = PwmChannels.channelFor(hw.heaterPwmPin(), rp1);
        } catch (IllegalArgumentException e) {
            problem(part, where, e.getMessage(), "wire the heater MOSFET gate to BCM12 (pin 32) and set heaterPwmPin: 12");
            return;
        }
        where += ", PWM channel " + channel;
        try {
            Pwm pwm = Pi4jIo.hardwarePwm(pi4j, id(part), part, channel, Pi4jHeater.PWM_FREQUENCY_HZ);
            pwm.off();
            ok(part, where, "channel exported, left off");
        } catch (RuntimeException e) {
            problem(part, where, message(e), "add `dtoverlay=pwm,pin=" + hw.heaterPwmPin() + ",func=" + pwmFunc(hw.heaterPwmPin())
                    + "` to /boot/firmware/config.txt and reboot; `ls /sys/class/pwm` must list a pwmchip; see hardware/boot-config.md");
        }
    }

    private static int pwmFunc(int bcm) {
        return bcm == 12 || bcm == 13 ? 4 : 2;
    }

    private void probeOutput(String part, int bcm) {
        String where = HeaderPins.describe(bcm);
        try {
            DigitalOutput out = Pi4jIo.output(pi4j, id(part), part, bcm);
            out.low();
            ok(part, where, "line claimed, LOW");
        } catch (RuntimeException e) {
            problem(part, where, message(e), gpioFix(bcm));
        }
    }

    private void probeEstop() {
        String part = "e-stop";
        String where = HeaderPins.describe(hw.estopPin());
        try {
            DigitalInput in = inputOpener.open(id(part), part, hw.estopPin());
            if (in.state() == DigitalState.LOW) {
                ok(part, where, "NC loop closed (not pressed)");
            } else {
                problem(part, where, "reads ACTIVE (contact open)", "release the e-stop; if it is released, the NC loop from "
                        + where + " through the e-stop's second contact to GND is open: check the connector and wire");
            }
        } catch (RuntimeException e) {
            problem(part, where, message(e), gpioFix(hw.estopPin()));
        }
    }

    private void probeButton(String part, int bcm) {
        String where = HeaderPins.describe(bcm);
        try {
            DigitalInput in = inputOpener.open(id(part), part, bcm);
            if (in.state() == DigitalState.HIGH) {
                ok(part, where, "released (HIGH)");
            } else {
                problem(part, where, "reads pressed (LOW) at rest", "stuck button or a short to GND: check the switch and its wire; is the 10 kΩ pull-up to 3V3 fitted?");
            }
        } catch (RuntimeException e) {
            problem(part, where, message(e), gpioFix(bcm));
        }
    }

    private I2cDevice i2c(String part, int address) {
        I2C i2c = i2cOpener.open(id(part), hw.i2cBus(), address);
        return new I2cDevice(i2c, hw.i2cBus(), address);
    }

    private String noAck(int address) {
        return String.format("no ACK at 0x%02X on i2c-%d: check SDA (pin 3) / SCL (pin 5), 3V3 and GND wiring and `i2cdetect -y %d`;"
                + " is dtparam=i2c_arm=on set? is the address strap right?", address, hw.i2cBus(), hw.i2cBus());
    }

    private String noBus() {
        return "cannot open /dev/i2c-" + hw.i2cBus() + ": add `dtparam=i2c_arm=on` to /boot/firmware/config.txt and reboot;"
                + " is the user in group i2c? (`ls -l /dev/i2c-" + hw.i2cBus() + "`)";
    }

    private static String where(int address, int bus) {
        return String.format("0x%02X on i2c-%d", address, bus);
    }

    /** Runs one I2C check; bus-open failures and transfer failures get their own fixes. */
    private void i2cCheck(String part, int address, java.util.function.Function<I2cDevice, Result> check) {
        String where = where(address, hw.i2cBus());
        I2cDevice device;
        try {
            device = i2c(part, address);
        } catch (RuntimeException e) {
            problem(part, where, message(e), noBus());
            return;
        }
        try {
            results.add(check.apply(device));
        } catch (RuntimeException e) { // I2cBusException: no ACK, short read
            problem(part, where, message(e), noAck(address));
        }
    }

    private static <R> R pollUntil(Runnable poll, Supplier<R> latest, java.util.function.Predicate<R> ready) {
        return pollUntil(poll, latest, ready, 150, 450);
    }

    /** Polls every {@code everyMillis} until {@code ready} or {@code forMillis} have passed. */
    private static <R> R pollUntil(Runnable poll, Supplier<R> latest, java.util.function.Predicate<R> ready,
                                   long everyMillis, long forMillis) {
        for (long waited = 0; waited <= forMillis; waited += everyMillis) {
            poll.run();
            R r = latest.get();
            if (ready.test(r)) {
                return r;
            }
            try {
                Thread.sleep(everyMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return latest.get();
    }

    private void probeSkin() {
        String part = "skin thermometer TMP117";
        i2cCheck(part, hw.skinSensorAddress(), d -> {
            String where = d.where();
            int id = d.readU16BigEndian(Tmp117.REG_DEVICE_ID);
            if ((id & Tmp117.DEVICE_ID_MASK) != Tmp117.DEVICE_ID) {
                return new Result(part, where, Status.PROBLEM, String.format("device ID 0x%04X, expected 0x0117", id),
                        "another part answers at this address: check the TMP117 ADD0 strap (GND = 0x48) and that no other device uses it");
            }
            Tmp117 t = new Tmp117(d, Clock.SYSTEM);
            // the driver configures, then reads only a result whose Data_Ready it has seen: the first can take a
            // cycle of the reset configuration (1 s) if the write does not restart the conversion
            TempReading r = pollUntil(t::poll, t::latest, x -> x.status() != SensorStatus.NOT_PRESENT,
                    Tmp117.POLL_PERIOD.toMillis(), Tmp117.FIRST_RESULT_WITHIN.toMillis());
            return temperatureRow(part, d, r, "ID 0x0117");
        });
    }

    private Result temperatureRow(String part, I2cDevice d, TempReading r, String prefix) {
        String where = d.where();
        return switch (r.status()) {
            case OK -> new Result(part, where, Status.OK, String.format(Locale.ROOT, "%s, %.2f °C", prefix, r.celsius()), "");
            case OPEN -> new Result(part, where, Status.PROBLEM, "thermistor OPEN (or divider unpowered)",
                    "check the pad connector and the NTC leads; AIN1 must see 3V3");
            case SHORT -> new Result(part, where, Status.PROBLEM, "thermistor SHORT", "check the pad cable for a short between the NTC leads");
            case BAD_ID -> new Result(part, where, Status.PROBLEM, "wrong device at this address",
                    "check the address strap; see hardware/wiring.md for the address of each part");
            case NOT_PRESENT -> new Result(part, where, Status.PROBLEM, "no conversion result yet", "run hw-check again; if it persists replace the part");
            case BUS_ERROR -> new Result(part, where, Status.PROBLEM, "bus error during the reading", noAck(d.address()));
        };
    }

    private void probePad() {
        String part = "pad thermistor ADS1115+NTC";
        i2cCheck(part, hw.padAdcAddress(), d -> {
            Ads1115Ntc a = new Ads1115Ntc(d, Clock.SYSTEM, Ads1115Ntc.Params.defaults());
            a.poll();
            TempReading r = a.latest();
            if (r.status() == SensorStatus.BUS_ERROR) {
                return new Result(part, d.where(), Status.PROBLEM, "no answer", noAck(d.address()));
            }
            if (r.status() == SensorStatus.BAD_ID) {
                return new Result(part, d.where(), Status.PROBLEM, "configuration readback differs: not an ADS1115",
                        "check the ADS1115 ADDR strap (VDD = 0x49) and that no other device uses the address");
            }
            return temperatureRow(part, d, r, "config readback OK");
        });
    }

    private void probeImu(String part, int address) {
        i2cCheck(part, address, d -> {
            int who = d.readU8(Lsm6dso.REG_WHO_AM_I);
            if (who != Lsm6dso.WHO_AM_I) {
                return new Result(part, d.where(), Status.PROBLEM, String.format("WHO_AM_I 0x%02X, expected 0x6C (LSM6DSO)", who),
                        "a different IMU is fitted, or the SA0 strap is wrong (GND = 0x6A lower, 3V3 = 0x6B upper)");
            }
            Lsm6dso imu = new Lsm6dso(d, Clock.SYSTEM, AxisMap.IDENTITY);
            ImuSample s = pollUntil(imu::poll, imu::latest, x -> x.status() == SensorStatus.OK);
            if (s.status() != SensorStatus.OK) {
                return new Result(part, d.where(), Status.PROBLEM, "WHO_AM_I OK but no sample: " + s.status(), noAck(d.address()));
            }
            double norm = Math.sqrt(s.axG() * s.axG() + s.ayG() * s.ayG() + s.azG() * s.azG());
            String detail = String.format(Locale.ROOT, "WHO_AM_I 0x6C, a = (%.2f, %.2f, %.2f) g, |a| = %.2f g", s.axG(), s.ayG(), s.azG(), norm);
            if (norm < 0.8 || norm > 1.2) {
                return new Result(part, d.where(), Status.PROBLEM, detail, "at rest |a| should be about 1 g: hold the sensor still and retry; if it persists the part is damaged");
            }
            return new Result(part, d.where(), Status.OK, detail, "");
        });
    }

    private void probeBattery() {
        String part = "fuel gauge MAX17048";
        i2cCheck(part, hw.fuelGaugeAddress(), d -> {
            int version = d.readU16BigEndian(Max17048.REG_VERSION);
            if ((version & 0xFFF0) != 0x0010) {
                return new Result(part, d.where(), Status.PROBLEM, String.format("VERSION 0x%04X, expected 0x001x", version),
                        "another part answers at 0x36, or the gauge is not a MAX17048/49");
            }
            Max17048 g = new Max17048(d, Clock.SYSTEM);
            BatteryReading b = pollUntil(g::poll, g::latest, x -> x.status() == SensorStatus.OK);
            if (b.status() != SensorStatus.OK) {
                return new Result(part, d.where(), Status.PROBLEM, "no reading: " + b.status(), noAck(d.address()));
            }
            return new Result(part, d.where(), Status.OK,
                    String.format(Locale.ROOT, "VERSION 0x%04X, %.1f %%, %.3f V", version, b.percent(), b.volts()), "");
        });
    }
}
