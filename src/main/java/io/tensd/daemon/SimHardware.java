package io.tensd.daemon;

import io.tensd.config.Limits;
import io.tensd.hw.DeviceIo;
import io.tensd.loop.Clock;
import io.tensd.session.EventSink;
import io.tensd.sim.SimDevice;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * {@code --hardware sim}: the simulated device (thermal model, emulated stimulator board, two simulated IMUs
 * through the real posture pipeline) advanced on its own thread on the real clock, the way acquisition
 * threads and the board run beside the loop on the device. For trying and testing the daemon on any machine;
 * it drives nothing and must never be used with a patient.
 *
 * <p>Same scheme as the benchmark's {@code io.tensd.bench.RealTimeRig}, which is not reused because it
 * builds its own controller with default limits: here the daemon's controller, limits and event sink apply.
 */
final class SimHardware implements DaemonHardware {
    static final String THREAD = "tensd-sim-hw";
    private static final long STEP_NANOS = 1_000_000L;

    private final Clock clock;
    private final SimDevice device;
    private final Thread thread;
    private volatile boolean running = true;

    SimHardware(Clock clock, Limits limits, long seed, EventSink events, Supplier<String> sessionId,
                io.tensd.config.DeviceConfig dev) {
        this.clock = clock;
        this.device = new SimDevice(clock, limits, seed);
        device.enablePosture(events, sessionId, dev.posture(), dev.hardware().hasUpperImu());
        // The simulated sensors count their schedule from time 0; catch up once before any thread reads them.
        device.advance(clock.nanos());
        this.thread = new Thread(this::run, THREAD);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        long next = clock.nanos();
        while (running) {
            long now = clock.nanos();
            device.advance(now);
            next += STEP_NANOS;
            long wait = next - clock.nanos();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else if (next < now - 10 * STEP_NANOS) {
                next = now; // machine busy: do not burst
            }
        }
    }

    @Override
    public DeviceIo io() { return device.io(); }

    @Override
    public String describe() {
        return "SIMULATED hardware (test/demo only, drives nothing: never use with a patient), "
                + (device.posturePipeline().twoSensors() ? "two posture IMUs" : "one posture IMU");
    }

    @Override
    public String mode() { return "sim"; }

    @Override
    public io.tensd.posture.PosturePipeline posture() { return device.posturePipeline(); }

    @Override
    public void forceSafe() {
        device.heater().forceSafe();
        device.stimulator().forceSafe();
    }

    @Override
    public void close() {
        forceSafe();
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    SimDevice device() { return device; }
}
