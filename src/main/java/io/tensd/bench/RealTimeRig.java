package io.tensd.bench;

import io.tensd.config.Limits;
import io.tensd.hw.DeviceIo;
import io.tensd.hw.HeaterOutput;
import io.tensd.hw.StimStatus;
import io.tensd.hw.Stimulator;
import io.tensd.loop.Clock;
import io.tensd.loop.ControlLoop;
import io.tensd.loop.DeviceController;
import io.tensd.safety.SafetySettings;
import io.tensd.session.EventSink;
import io.tensd.session.SessionSettings;
import io.tensd.sim.SimDevice;
import io.tensd.therapy.Prescription;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * The real control loop ({@link ControlLoop} + {@link DeviceController}) on the real clock against the
 * simulated hardware. The simulator runs on its own thread ("tensd-sim-hw"), advancing physics, sensor
 * sampling and the board every millisecond on the same clock: that is what real acquisition threads and the
 * stimulator board do, so the loop thread sees the same work as on the device (read published samples,
 * compute, send) and none of the simulator's own allocation (a fresh immutable reading per sample, as a real
 * driver publishes) is charged to the loop thread. Injections run on the simulator thread too, so the
 * simulated hardware is only ever touched by one thread besides the loop's port calls.
 *
 * <p>The actuator ports are wrapped to timestamp the first safe command after an injection: that is the
 * "actuator call" end of a fault-reaction measurement.
 */
public final class RealTimeRig implements AutoCloseable {
    public static final String LOOP_THREAD = "tensd-loop";
    public static final String SIM_THREAD = "tensd-sim-hw";
    private static final long SIM_TICK_NANOS = 1_000_000L;

    private final Clock clock = Clock.SYSTEM;
    private final Limits limits;
    private final SimDevice device;
    private final DeviceController controller;
    private final ControlLoop loop;
    private final Thread loopThread;
    private final Thread simThread;
    private final AtomicReference<Runnable> pendingInjection = new AtomicReference<>();
    private volatile long injectAtNanos = Long.MAX_VALUE;
    private volatile long injectedAtNanos = -1;
    private volatile long safeCommandAtNanos = -1;
    private volatile boolean armed;
    private volatile boolean simRunning = true;
    private final LiveSession live = new LiveSession();

    /**
     * @param body extra work after each tick, on the loop thread (must not allocate); may be null
     */
    public RealTimeRig(int rateHz, long spinNanos, long seed, EventSink events, LongConsumer body) {
        this.limits = Limits.defaults();
        this.device = new SimDevice(clock, limits, seed);
        DeviceIo sim = device.io();
        DeviceIo io = new DeviceIo(sim.skin(), sim.pad(), new TimedStimulator(sim.stimulator()), new TimedHeater(sim.heater()),
                sim.annunciator(), sim.battery(), sim.posture(), sim.estop());
        this.controller = new DeviceController(io, limits, SafetySettings.defaults(), SessionSettings.defaults(), events,
                () -> "bench-" + Long.toHexString(System.nanoTime()));
        long period = 1_000_000_000L / rateHz;
        LongConsumer tick = now -> {
            controller.tick(now);
            live.observe(now, controller);
            if (body != null) {
                body.accept(now);
            }
        };
        this.loop = new ControlLoop(clock, period, spinNanos < 0 ? ControlLoop.defaultSpinNanos(period) : spinNanos, tick);
        this.loopThread = new Thread(loop, LOOP_THREAD);
        this.simThread = new Thread(this::simulate, SIM_THREAD);
        simThread.setDaemon(true);
        loopThread.setDaemon(true);
    }

    /**
     * Starts the default session and waits until it stimulates with heat; a rejected start or a session that
     * does not come live within 30 s is {@link LiveSession.NotLive}.
     */
    public void startSession() {
        LiveSession.start(controller, prescription());
        LiveSession.awaitLive(controller, 30_000_000_000L);
    }

    /** The precondition window every figure of this rig is checked against (observed after every tick). */
    public LiveSession live() { return live; }

    /** The default bench prescription: conventional TENS at 10 mA with heat at 40 °C for 60 minutes, screened. */
    public static Prescription prescription() {
        return new Prescription("conventional", 100, 150, 10.0, 10.0, 60, Optional.of(new Prescription.Heat(40.0)), LiveSession.SCREENING);
    }

    public void start() {
        // The simulator's sensors and board count their sampling schedule from time 0; on the real clock that is
        // long ago, so catch up once here, before any thread can read a sample from that catch-up.
        device.advance(clock.nanos());
        simThread.start();
        // Let the first sensor samples and status frame arrive, as on a booted device.
        LockSupport.parkNanos(30_000_000L);
        loopThread.start();
    }

    private void simulate() {
        long next = clock.nanos();
        while (simRunning) {
            long now = clock.nanos();
            long injectAt = injectAtNanos;
            if (now >= injectAt) {
                Runnable r = pendingInjection.getAndSet(null);
                if (r != null) {
                    injectAtNanos = Long.MAX_VALUE;
                    safeCommandAtNanos = -1;
                    r.run();
                    injectedAtNanos = clock.nanos();
                    armed = true;
                }
            }
            device.advance(now);
            next += SIM_TICK_NANOS;
            long wake = Math.min(next, injectAtNanos);
            long wait = wake - clock.nanos();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else if (next < now - 10 * SIM_TICK_NANOS) {
                next = now; // fell behind (machine busy): do not burst
            }
        }
    }

    /**
     * Schedules {@code injection} to run on the simulator thread at {@code atNanos} (a random phase relative
     * to the loop's ticks). {@link #injectedAtNanos()} is set when it has run.
     */
    public void injectAt(long atNanos, Runnable injection) {
        injectedAtNanos = -1;
        armed = false;
        pendingInjection.set(injection);
        injectAtNanos = atNanos;
        LockSupport.unpark(simThread);
    }

    /** Runs {@code r} on the simulator thread as soon as possible and waits for it. */
    public void onSimThread(Runnable r) {
        long t = clock.nanos();
        injectAt(t, r);
        while (injectedAtNanos < 0) {
            LockSupport.parkNanos(200_000L);
        }
        armed = false;
    }

    public long injectedAtNanos() { return injectedAtNanos; }

    /** Clock time of the first safe actuator command (stimulator off at 0 and heater off) after the injection, or -1. */
    public long safeCommandAtNanos() { return safeCommandAtNanos; }

    private void noteCommand(boolean safe) {
        if (armed && safe && safeCommandAtNanos < 0) {
            safeCommandAtNanos = clock.nanos();
        }
    }

    @Override
    public void close() {
        loop.stop();
        LockSupport.unpark(loopThread);
        try {
            loopThread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        simRunning = false;
        LockSupport.unpark(simThread);
        try {
            simThread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public Clock clock() { return clock; }

    public Limits limits() { return limits; }

    public SimDevice device() { return device; }

    public DeviceController controller() { return controller; }

    public ControlLoop loop() { return loop; }

    public Thread loopThread() { return loopThread; }

    public Thread simThread() { return simThread; }

    /** Records the stimulator half of a safe command; the heater half completes it (the tick calls stimulator first). */
    private final class TimedStimulator implements Stimulator {
        private final Stimulator inner;

        TimedStimulator(Stimulator inner) { this.inner = inner; }

        @Override
        public void command(long nowNanos, boolean enabled, int amplitudeMicroAmps, int pulseWidthMicros, int frequencyHz) {
            inner.command(nowNanos, enabled, amplitudeMicroAmps, pulseWidthMicros, frequencyHz);
            stimSafe = !enabled && amplitudeMicroAmps == 0;
        }

        @Override public boolean timesProgram(io.tensd.therapy.Program program) { return inner.timesProgram(program); }

        @Override
        public void commandProgram(long nowNanos, boolean enabled, int levelMicroAmps, int pulseWidthMicros, int frequencyHz,
                                   io.tensd.therapy.Program program) {
            inner.commandProgram(nowNanos, enabled, levelMicroAmps, pulseWidthMicros, frequencyHz, program);
            stimSafe = !enabled && levelMicroAmps == 0;
        }

        @Override public StimStatus latest() { return inner.latest(); }

        @Override public void forceSafe() { inner.forceSafe(); }

        @Override public void clearFaults() { inner.clearFaults(); }
    }

    private boolean stimSafe;

    private final class TimedHeater implements HeaterOutput {
        private final HeaterOutput inner;

        TimedHeater(HeaterOutput inner) { this.inner = inner; }

        @Override
        public void drive(boolean enabled, double duty) {
            inner.drive(enabled, duty);
            noteCommand(stimSafe && !enabled && duty == 0.0);
        }

        @Override public void forceSafe() { inner.forceSafe(); }
    }
}
