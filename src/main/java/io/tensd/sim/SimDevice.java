package io.tensd.sim;

import io.tensd.config.Limits;
import io.tensd.hw.Annunciator;
import io.tensd.hw.BatteryReading;
import io.tensd.hw.DeviceIo;
import io.tensd.hw.FuelGauge;
import io.tensd.hw.PostureSource;
import io.tensd.hw.SensorStatus;
import io.tensd.hw.StimStatus;
import io.tensd.loop.Clock;
import io.tensd.stim.BoardLogic;

/**
 * The simulated device: physics (pad and skin thermal model, electrode impedance) and the emulated
 * stimulator board, behind the same {@link DeviceIo} ports as the real hardware. Advanced in virtual time
 * by {@link #advance}; every random draw is seeded.
 */
public final class SimDevice {
    public static final long PHYSICS_STEP_NANOS = 10_000_000L;
    public static final int NORMAL_IMPEDANCE_OHMS = 1_000;
    public static final int LIFTED_IMPEDANCE_OHMS = 50_000;

    /** Room temperature around the simulated pad. */
    public static final double AMBIENT_CELSIUS = 22.0;
    /** Heater power of the nominal pad at duty 1. */
    public static final double HEATER_WATTS = 8.0;
    private final ThermalModel thermal = new ThermalModel(AMBIENT_CELSIUS, HEATER_WATTS);
    private final BoardLogic board;
    private final SimStimulator stimulator;
    private final SimHeater heater;
    private final SimTempSensor skin;
    private final SimTempSensor pad;
    private final SimBattery battery;
    private final Clock clock;
    private final StimLink link;
    private volatile boolean estop;
    private volatile PostureSource posture = PostureSource.NONE;
    private Annunciator annunciator = Annunciator.NONE;
    private long physicsNanos;
    private io.tensd.sim.posture.ImuSynth imu;
    private io.tensd.posture.PosturePipeline pipeline;
    private long seed;

    public SimDevice(Clock clock, Limits limits, long seed) {
        this(clock, limits, seed, null);
    }

    /**
     * @param linkFactory null for the in-process link ({@link SimStimulator}); otherwise opens the link the
     *                    controller talks through (e.g. {@link SerialStimLink}) to this device's board model
     */
    public SimDevice(Clock clock, Limits limits, long seed, StimLink.Factory linkFactory) {
        this.clock = clock;
        this.board = new BoardLogic(BoardLogic.Caps.defaults(), seed ^ 0xB0A2DL);
        this.board.setImpedanceOhms(NORMAL_IMPEDANCE_OHMS);
        this.stimulator = new SimStimulator(board, clock, limits.stimulatorLeaseMillis(), seed ^ 0x5717L);
        this.heater = new SimHeater(this::leaseLive);
        this.skin = new SimTempSensor(thermal::skinCelsius, 100_000_000L, 0.01, 0.0078125, seed ^ 0x5C1L);
        this.pad = new SimTempSensor(thermal::padCelsius, 100_000_000L, 0.03, 0.01, seed ^ 0xFADL);
        this.battery = new SimBattery();
        this.physicsNanos = clock.nanos();
        this.seed = seed;
        this.link = linkFactory == null ? null : linkFactory.open(board, clock, limits.stimulatorLeaseMillis());
    }

    /** The heater's enable line runs through the board's lease. */
    private boolean leaseLive() {
        if (link != null && !link.boardIsSimulated()) {
            // a real board: only its reports tell whether its lease runs
            StimStatus s = link.host().latest();
            return s.leaseRemainingMs() > 0 && clock.nanos() - s.receivedAtNanos() < s.leaseRemainingMs() * 1_000_000L;
        }
        return board.leaseRemainingMillis(clock.nanos()) > 0;
    }

    /**
     * Two simulated lumbar IMUs feeding the real posture pipeline at 100 Hz (one sample per physics step),
     * with a neutral standing capture during the first 10 s, as at fitting.
     */
    public void enablePosture(io.tensd.session.EventSink events, java.util.function.Supplier<String> sessionId) {
        enablePosture(events, sessionId, io.tensd.posture.PostureConfig.defaults(), true);
    }

    /** The same with the device file's posture settings, and one IMU (lower back only) when {@code twoSensors} is false. */
    public void enablePosture(io.tensd.session.EventSink events, java.util.function.Supplier<String> sessionId,
                              io.tensd.posture.PostureConfig config, boolean twoSensors) {
        imu = new io.tensd.sim.posture.ImuSynth(io.tensd.sim.posture.ImuSynth.Options.realistic(seed, twoSensors));
        pipeline = new io.tensd.posture.PosturePipeline(config, twoSensors,
                new io.tensd.posture.PostureEventBridge(events, new DelegatingAnnunciator(), sessionId));
        pipeline.startNeutralCapture(clock.nanos());
        posture = pipeline;
    }

    public void setPosture(long nowNanos, double flexionDeg, double lateralDeg, long overMillis) {
        if (imu != null) {
            imu.setPosture(nowNanos, flexionDeg, lateralDeg, overMillis);
        }
    }

    public void startExercise(long nowNanos, String type, int reps, double periodS) {
        if (imu != null) {
            imu.startExercise(nowNanos, type, reps, periodS);
            pipeline.startExercise(nowNanos, io.tensd.posture.ExercisePrescription.of(
                    io.tensd.posture.Exercise.fromWire(type), 1, reps));
        }
    }

    public io.tensd.posture.PosturePipeline posturePipeline() { return pipeline; }

    public DeviceIo io() {
        return new DeviceIo(skin, pad, link != null ? link.host() : stimulator, heater, new DelegatingAnnunciator(), battery, () -> posture.latest(), () -> estop);
    }

    /** Runs physics, sensors and the board up to {@code nowNanos}. */
    public void advance(long nowNanos) {
        while (physicsNanos + PHYSICS_STEP_NANOS <= nowNanos) {
            physicsNanos += PHYSICS_STEP_NANOS;
            thermal.step(PHYSICS_STEP_NANOS / 1e9, heater.powerFraction());
            if (boardLocal()) {
                stimulator.advance(physicsNanos);
            }
            skin.advance(physicsNanos);
            pad.advance(physicsNanos);
            battery.advance(physicsNanos);
            if (imu != null) {
                io.tensd.hw.ImuSample[] sample = imu.sample(physicsNanos);
                pipeline.update(physicsNanos, sample[0], sample.length > 1 ? sample[1] : null);
            }
        }
        if (boardLocal()) {
            stimulator.advance(nowNanos);
        }
    }

    /** The board model here is the board the controller talks to (in-process, or behind the emulator). */
    private boolean boardLocal() { return link == null || link.boardIsSimulated(); }

    /** E-stop pressed: the hardware cuts the outputs at once (the real listener does the same), the line stays active. */
    public void pressEstop() {
        estop = true;
        heater.forceSafe();
        if (link != null) {
            link.host().forceSafe();
        } else {
            stimulator.forceSafe();
        }
    }

    public void releaseEstop() { estop = false; }

    public void liftElectrode() { board.setImpedanceOhms(LIFTED_IMPEDANCE_OHMS); }

    public void restoreElectrode() { board.setImpedanceOhms(NORMAL_IMPEDANCE_OHMS); }

    public void setPosture(PostureSource source) { this.posture = source; }

    public void setAnnunciator(Annunciator a) { this.annunciator = a; }

    public ThermalModel thermal() { return thermal; }

    public SimStimulator stimulator() { return stimulator; }

    /** The link opened by the factory given to the constructor, or null for the in-process one. */
    public StimLink link() { return link; }

    /** The board's own latest status (trace truth); a real board's as last reported when it is not simulated. */
    public StimStatus boardSide() {
        return boardLocal() ? stimulator.boardSide() : link.host().latest();
    }

    /** Closes the link opened by the constructor's factory, if any (stops its threads and socat). */
    public void closeLink() {
        if (link != null) {
            link.close();
        }
    }

    public SimHeater heater() { return heater; }

    public SimTempSensor skinSensor() { return skin; }

    public SimTempSensor padSensor() { return pad; }

    public SimBattery battery() { return battery; }

    public BoardLogic board() { return board; }

    public Clock clock() { return clock; }

    /** Current the board actually drives into the electrodes now (truth, not the host's view). */
    public double boardOutputMilliAmps() {
        return board.status(clock.nanos()).measuredMicroAmps() / 1000.0;
    }

    private final class DelegatingAnnunciator implements Annunciator {
        @Override public void haptic(Haptic pattern) { annunciator.haptic(pattern); }

        @Override public void led(Led state) { annunciator.led(state); }
    }

    /** Belt-pack fuel gauge: a slow discharge, with scenario overrides for low and critical charge. */
    public static final class SimBattery implements FuelGauge {
        private volatile BatteryReading latest = BatteryReading.UNKNOWN;
        private double percent = 85.0;

        void advance(long nowNanos) {
            percent = Math.max(0, percent - 0.5 / 3600.0 * (PHYSICS_STEP_NANOS / 1e9)); // ~0.5 %/h at idle draw
            latest = new BatteryReading(percent, 3.3 + 0.9 * percent / 100.0, SensorStatus.OK, nowNanos);
        }

        public void setPercent(double percent) { this.percent = percent; }

        @Override
        public BatteryReading latest() { return latest; }
    }
}
