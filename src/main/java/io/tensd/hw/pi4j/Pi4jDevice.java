package io.tensd.hw.pi4j;

import com.pi4j.context.Context;
import io.tensd.config.DeviceConfig;
import io.tensd.hw.DeviceIo;
import io.tensd.hw.PostureSource;
import io.tensd.hw.Stimulator;
import io.tensd.loop.Clock;
import io.tensd.session.CommandGateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything on the Pi's header, built from {@link DeviceConfig.Hardware} and kept behind the
 * {@code io.tensd.hw} ports. {@link #open} creates the outputs first (all LOW), then the e-stop and
 * buttons (so the interlock exists before anything can be switched on), then starts the I2C worker.
 * {@link #close} leaves every output LOW and stops the threads.
 *
 * <p>Threads: {@code tensd-i2c-<bus>} owns the I2C bus (IMUs at 100 Hz, the TMP117's Data_Ready flag at
 * 40 Hz — it converts every 125 ms and each result is read once, stamped at its conversion — the ADS1115
 * at 4 Hz, fuel gauge at 1 Hz — all on one thread because they share one bus); {@code tensd-annunciator}
 * plays haptic/LED patterns; {@code tensd-button-hold} times long presses; Pi4J's own event thread
 * calls the input listeners, including the e-stop's.
 */
public final class Pi4jDevice implements AutoCloseable {
    public static final Duration IMU_PERIOD = Duration.ofMillis(10);
    /** The pad thermistor's (ADS1115) poll period. The skin (TMP117) polls at {@link Tmp117#POLL_PERIOD}. */
    public static final Duration TEMPERATURE_PERIOD = Duration.ofMillis(250);
    /**
     * Phases in the bus schedule, ms: the IMUs at 0 and 5 (mod 10), the pad at 127–~130 (its 2 ms conversion
     * wait), the battery at 63. The skin at 12 + 25k (12, 37, 62, 87, 112, 137, …) never lands on an IMU
     * slot (12 mod 5 = 2), the pad's window or the battery's slot, so its poll times, which date the readings,
     * are not pushed late by another device's transfer.
     */
    static final Duration SKIN_PHASE = Duration.ofMillis(12);
    static final Duration IMU_UPPER_PHASE = Duration.ofMillis(5);
    static final Duration PAD_PHASE = Duration.ofMillis(127);
    static final Duration BATTERY_PHASE = Duration.ofMillis(63);
    public static final Duration BATTERY_PERIOD = Duration.ofSeconds(1);

    /** Pi4J registry ids, one per line/device (hw-check and tests find the I/O by these). */
    public static final String ID_HEATER_PWM = "tensd-heater-pwm";
    public static final String ID_HEATER_ENABLE = "tensd-heater-enable";
    public static final String ID_STIM_ENABLE = "tensd-stim-enable";
    public static final String ID_HAPTIC = "tensd-haptic";
    public static final String ID_LED = "tensd-led";
    public static final String ID_SKIN = "tensd-i2c-skin-tmp117";
    public static final String ID_PAD = "tensd-i2c-pad-ads1115";
    public static final String ID_IMU_LOWER = "tensd-i2c-imu-lower";
    public static final String ID_IMU_UPPER = "tensd-i2c-imu-upper";
    public static final String ID_FUEL_GAUGE = "tensd-i2c-fuel-gauge";

    /** Choices that are not pins or addresses. */
    public record Options(Ads1115Ntc.Params ntc, AxisMap lowerAxes, AxisMap upperAxes,
                          Pi4jButtons.PhaseSource phase, Pi4jButtons.Timing timing, boolean rp1) {
        public static Options defaults() {
            return new Options(Ads1115Ntc.Params.defaults(), AxisMap.IDENTITY, AxisMap.IDENTITY,
                    Pi4jButtons.PhaseSource.UNKNOWN, Pi4jButtons.Timing.defaults(), Pi4jContexts.usesRp1());
        }

        public Options withPhase(Pi4jButtons.PhaseSource source) {
            return new Options(ntc, lowerAxes, upperAxes, source, timing, rp1);
        }

        public Options withTiming(Pi4jButtons.Timing t) {
            return new Options(ntc, lowerAxes, upperAxes, phase, t, rp1);
        }
    }

    private final Context pi4j;
    private final List<String> ids = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private Stimulator stimulator;
    private Pi4jHeater heater;
    private Pi4jStimEnable stimEnable;
    private Pi4jAnnunciator annunciator;
    private Pi4jButtons buttons;
    private I2cBusWorker i2c;
    private Tmp117 skin;
    private Ads1115Ntc pad;
    private Lsm6dso imuLower;
    private Lsm6dso imuUpper;
    private Max17048 battery;

    private Pi4jDevice(Context pi4j) {
        this.pi4j = pi4j;
    }

    public static Pi4jDevice open(Context pi4j, DeviceConfig.Hardware hw, Clock clock, CommandGateway gateway,
                                  Stimulator stimulator) {
        return open(pi4j, hw, clock, gateway, stimulator, Options.defaults());
    }

    public static Pi4jDevice open(Context pi4j, DeviceConfig.Hardware hw, Clock clock, CommandGateway gateway,
                                  Stimulator stimulator, Options options) {
        Pi4jDevice d = new Pi4jDevice(pi4j);
        try {
            d.build(hw, clock, gateway, stimulator, options);
            return d;
        } catch (RuntimeException e) {
            d.close();
            throw new IllegalStateException("cannot open the device hardware: " + e.getMessage()
                    + " (run `tensd hw-check` for a part-by-part diagnosis)", e);
        }
    }

    private void build(DeviceConfig.Hardware hw, Clock clock, CommandGateway gateway, Stimulator stim, Options o) {
        this.stimulator = stim;
        int channel = PwmChannels.channelFor(hw.heaterPwmPin(), o.rp1());
        heater = new Pi4jHeater(
                track(Pi4jIo.hardwarePwm(pi4j, ID_HEATER_PWM, "heater PWM (BCM" + hw.heaterPwmPin() + ")", channel, Pi4jHeater.PWM_FREQUENCY_HZ), ID_HEATER_PWM),
                track(Pi4jIo.output(pi4j, ID_HEATER_ENABLE, "heater enable", hw.heaterEnablePin()), ID_HEATER_ENABLE));
        closeables.add(heater);
        stimEnable = new Pi4jStimEnable(track(Pi4jIo.output(pi4j, ID_STIM_ENABLE, "stimulator enable", hw.stimEnablePin()), ID_STIM_ENABLE));
        closeables.add(stimEnable);
        annunciator = new Pi4jAnnunciator(
                track(Pi4jIo.output(pi4j, ID_HAPTIC, "haptic motor", hw.hapticPin()), ID_HAPTIC),
                track(Pi4jIo.output(pi4j, ID_LED, "status LED", hw.ledPin()), ID_LED), clock);
        closeables.add(annunciator);

        buttons = new Pi4jButtons(pi4j, hw, gateway, this::makeSafe, o.phase(), o.timing());
        heater.interlock(buttons);
        stimEnable.interlock(buttons);

        i2c = new I2cBusWorker(hw.i2cBus());
        skin = new Tmp117(device(ID_SKIN, hw.i2cBus(), hw.skinSensorAddress()), clock);
        pad = new Ads1115Ntc(device(ID_PAD, hw.i2cBus(), hw.padAdcAddress()), clock, o.ntc());
        imuLower = new Lsm6dso(device(ID_IMU_LOWER, hw.i2cBus(), hw.imuLowerAddress()), clock, o.lowerAxes());
        if (hw.hasUpperImu()) {
            imuUpper = new Lsm6dso(device(ID_IMU_UPPER, hw.i2cBus(), hw.imuUpperAddress()), clock, o.upperAxes());
        }
        battery = new Max17048(device(ID_FUEL_GAUGE, hw.i2cBus(), hw.fuelGaugeAddress()), clock);

        i2c.every(IMU_PERIOD, Duration.ZERO, imuLower);
        if (imuUpper != null) {
            i2c.every(IMU_PERIOD, IMU_UPPER_PHASE, imuUpper);
        }
        i2c.every(Tmp117.POLL_PERIOD, SKIN_PHASE, skin);
        i2c.every(TEMPERATURE_PERIOD, PAD_PHASE, pad);
        i2c.every(BATTERY_PERIOD, BATTERY_PHASE, battery);
    }

    private I2cDevice device(String id, int bus, int address) {
        return new I2cDevice(track(Pi4jIo.i2c(pi4j, id, bus, address), id), bus, address);
    }

    private <T> T track(T io, String id) {
        ids.add(id);
        return io;
    }

    /** The e-stop action: stimulator enable line LOW, stimulator link to zero, heater off. Any thread. */
    void makeSafe() {
        if (stimEnable != null) {
            stimEnable.forceSafe();
        }
        if (stimulator != null) {
            try {
                stimulator.forceSafe();
            } catch (RuntimeException ignored) {
                // the enable line is already LOW; the link's failure must not skip the heater
            }
        }
        if (heater != null) {
            heater.forceSafe();
        }
    }

    /** The ports the control loop uses. {@code posture} comes from the posture pipeline fed by {@link #imuLower()}/{@link #imuUpper()}. */
    public DeviceIo deviceIo(PostureSource posture) {
        return new DeviceIo(skin, pad, stimulator, heater, annunciator, battery, posture, buttons);
    }

    public Tmp117 skin() { return skin; }

    public Ads1115Ntc pad() { return pad; }

    public Pi4jHeater heater() { return heater; }

    public Pi4jStimEnable stimEnable() { return stimEnable; }

    public Pi4jAnnunciator annunciator() { return annunciator; }

    public Max17048 battery() { return battery; }

    public Pi4jButtons buttons() { return buttons; }

    public Lsm6dso imuLower() { return imuLower; }

    public Optional<Lsm6dso> imuUpper() { return Optional.ofNullable(imuUpper); }

    public I2cBusWorker i2cWorker() { return i2c; }

    /** Outputs LOW first, then threads stopped, then the Pi4J I/O released (which applies shutdown LOW again). */
    @Override
    public void close() {
        makeSafe();
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // keep going: every output gets its turn
            }
        }
        if (buttons != null) {
            buttons.close();
        }
        if (i2c != null) {
            i2c.close();
        }
        for (int i = ids.size() - 1; i >= 0; i--) {
            Pi4jIo.release(pi4j, ids.get(i));
        }
    }
}
