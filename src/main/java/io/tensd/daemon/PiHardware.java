package io.tensd.daemon;

import com.pi4j.context.Context;
import io.tensd.config.DeviceConfig;
import io.tensd.config.LoadedConfig;
import io.tensd.hw.DeviceIo;
import io.tensd.hw.ImuSample;
import io.tensd.hw.SensorStatus;
import io.tensd.hw.pi4j.Ads1115Ntc;
import io.tensd.hw.pi4j.Pi4jDevice;
import io.tensd.loop.Clock;
import io.tensd.posture.PostureConfig;
import io.tensd.posture.PostureEventBridge;
import io.tensd.posture.PosturePipeline;
import io.tensd.session.CommandGateway;
import io.tensd.session.EventSink;
import io.tensd.stim.SerialStimulator;
import io.tensd.stim.StimLinkConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * The real device: Pi4J header I/O ({@link Pi4jDevice}: outputs created LOW before anything else), the
 * stimulator board on its UART ({@link SerialStimulator}), the posture pipeline fed by the IMU listeners, and
 * the stimulator enable line driven every tick through {@link StimEnableStimulator}.
 *
 * <p>Start-up refuses (exit 3) when the serial port does not exist or an I2C part does not answer with its
 * identity: the skin and pad thermometers would latch a fault at the first stale reading anyway, and a device
 * that starts half-wired misleads the person fitting it. {@code tensd hw-check} then says which part and why.
 */
final class PiHardware implements DaemonHardware {
    private final Context pi4j;
    private final SerialStimulator link;
    private final Pi4jDevice device;
    private final DeviceIo io;
    private final String description;
    private final String postureSetup;
    /** Saves calibrations off the IMU thread; a daemon thread, so it never holds the JVM open. */
    private final java.util.concurrent.ExecutorService calibrationWriter = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tensd-posture-calibration");
        t.setDaemon(true);
        return t;
    });
    private volatile ImuSample upperLatest;
    private final PosturePipeline posture;
    private boolean closed;

    private PiHardware(Context pi4j, SerialStimulator link, Pi4jDevice device, EventSink events, Supplier<String> sessionId,
                       DeviceConfig.Hardware hw, PostureConfig postureConfig, Path calibrationFile, Clock clock) {
        this.pi4j = pi4j;
        this.link = link;
        this.device = device;
        boolean two = device.imuUpper().isPresent();
        PostureCalibrationStore store = new PostureCalibrationStore(calibrationFile, calibrationWriter);
        PostureEventBridge bridge = new PostureEventBridge(events, device.annunciator(), sessionId);
        this.posture = new PosturePipeline(postureConfig, two, e -> {
            bridge.onEvent(e);
            store.onEvent(e);
        });
        this.postureSetup = store.restoreOrCapture(posture, clock.nanos());
        device.imuUpper().ifPresent(u -> u.setListener(s -> upperLatest = s));
        // Both IMUs are polled on the same bus thread, upper 5 ms after lower: pair each lower sample with the newest upper.
        device.imuLower().setListener(s -> posture.update(s.sampledAtNanos(), s, two ? upperLatest : null));
        DeviceIo base = device.deviceIo(posture);
        this.io = new DeviceIo(base.skin(), base.pad(), new StimEnableStimulator(base.stimulator(), device.stimEnable()),
                base.heater(), base.annunciator(), base.battery(), base.posture(), base.estop());
        this.description = "Raspberry Pi hardware: stimulator on " + hw.stimulatorPort() + ", I2C bus " + hw.i2cBus()
                + ", " + (two ? "two posture IMUs" : "one posture IMU") + "; " + postureSetup;
    }

    static PiHardware open(LoadedConfig cfg, Supplier<Context> contexts, Clock clock, CommandGateway gateway,
                           EventSink events, Supplier<String> sessionId) throws DaemonException {
        return open(cfg, contexts, clock, gateway, events, sessionId,
                cfg.device().journalDir().resolveSibling("posture-calibration.json"));
    }

    /** The same with the posture calibration kept in {@code postureCalibration} (heat-tune: never the daemon's file). */
    static PiHardware open(LoadedConfig cfg, Supplier<Context> contexts, Clock clock, CommandGateway gateway,
                           EventSink events, Supplier<String> sessionId, Path postureCalibration) throws DaemonException {
        DeviceConfig.Hardware hw = cfg.device().hardware();
        String port = hw.stimulatorPort();
        if (!Files.exists(Path.of(port))) {
            throw new DaemonException("stimulator serial port " + port + " does not exist",
                    "enable the UART as in hardware/boot-config.md and reboot, check the board's cable, or set "
                            + "hardware.stimulatorPort in " + cfg.paths().config(), ExitCodes.HARDWARE, null);
        }
        Context pi4j;
        try {
            pi4j = contexts.get();
        } catch (RuntimeException | LinkageError e) {
            throw new DaemonException("cannot start Pi4J (GPIO/I2C/PWM): " + e.getMessage(),
                    "is this a Raspberry Pi with Raspberry Pi OS Bookworm or Trixie? `tensd hw-check` says more; "
                            + "use --hardware sim only to try the software", ExitCodes.HARDWARE, e);
        }
        SerialStimulator link = new SerialStimulator(StimLinkConfig.defaults(port, cfg.limits().stimulatorLeaseMillis())
                .withRamp(cfg.limits().maxRampMilliAmpsPerSecond()), clock);
        Pi4jDevice device;
        try {
            device = Pi4jDevice.open(pi4j, hw, clock, gateway, link);
        } catch (RuntimeException e) {
            shutdown(pi4j);
            throw new DaemonException(e.getMessage(), "stop the service and run `tensd hw-check` for a part-by-part "
                    + "diagnosis (docs/deployment.md section 6)", ExitCodes.HARDWARE, e);
        }
        List<String> missing = probeI2c(device, hw);
        if (!missing.isEmpty()) {
            device.close();
            shutdown(pi4j);
            throw new DaemonException("I2C " + (missing.size() == 1 ? "part does" : "parts do") + " not answer: "
                    + String.join("; ", missing) + " — not starting (the safety supervisor would fault at once)",
                    "stop the service and run `tensd hw-check` for the fix; wiring and addresses: hardware/wiring.md",
                    ExitCodes.HARDWARE, null);
        }
        link.start();
        return new PiHardware(pi4j, link, device, events, sessionId, hw, cfg.device().posture(), postureCalibration, clock);
    }

    /** Asks every configured I2C part for its identity on the bus thread; one entry per part that fails. */
    private static List<String> probeI2c(Pi4jDevice d, DeviceConfig.Hardware hw) {
        List<String> missing = new ArrayList<>();
        check(missing, d, "skin thermometer TMP117", hw, hw.skinSensorAddress(), () -> d.skin().identify());
        check(missing, d, "pad ADC ADS1115", hw, hw.padAdcAddress(), () -> {
            try {
                d.pad().convertOnce(Ads1115Ntc.MUX_AIN0);
                return SensorStatus.OK;
            } catch (Ads1115Ntc.NotAnAds1115 e) {
                return SensorStatus.BAD_ID;
            }
        });
        check(missing, d, "lower-back IMU", hw, hw.imuLowerAddress(), () -> d.imuLower().identify());
        d.imuUpper().ifPresent(u -> check(missing, d, "upper-lumbar IMU", hw, hw.imuUpperAddress(), u::identify));
        check(missing, d, "fuel gauge MAX17048", hw, hw.fuelGaugeAddress(), () -> d.battery().identify());
        return missing;
    }

    private static void check(List<String> missing, Pi4jDevice d, String part, DeviceConfig.Hardware hw, int address,
                              Callable<SensorStatus> identify) {
        String where = String.format("0x%02X on i2c-%d", address, hw.i2cBus());
        try {
            SensorStatus s = d.i2cWorker().call(identify);
            if (s != SensorStatus.OK) {
                missing.add(part + " at " + where + ": another device answers (" + s + ")");
            }
        } catch (Exception e) {
            missing.add(part + " at " + where + ": no answer (BUS_ERROR)");
        }
    }

    private static void shutdown(Context pi4j) {
        try {
            pi4j.shutdown();
        } catch (RuntimeException ignored) {
            // releasing what was opened; outputs were created LOW and are released LOW
        }
    }

    @Override
    public DeviceIo io() { return io; }

    @Override
    public String describe() { return description; }

    @Override
    public String mode() { return "pi"; }

    @Override
    public PosturePipeline posture() { return posture; }

    @Override
    public void forceSafe() {
        device.stimEnable().forceSafe();
        link.forceSafe();
        device.heater().forceSafe();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        device.close();   // enable line, link, heater LOW first; then threads and lines
        link.close();
        shutdown(pi4j);
    }
}
