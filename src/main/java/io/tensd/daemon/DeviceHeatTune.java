package io.tensd.daemon;

import io.tensd.config.LoadedConfig;
import io.tensd.heat.tune.TuneExperiment;
import io.tensd.heat.tune.TuneRun;
import io.tensd.hw.DeviceIo;
import io.tensd.hw.SensorStatus;
import io.tensd.loop.Clock;
import io.tensd.loop.VirtualClock;
import io.tensd.safety.Inputs;
import io.tensd.safety.Verdict;
import io.tensd.sim.PadPlant;
import io.tensd.sim.SimDevice;
import io.tensd.telemetry.JournalLock;
import java.io.IOException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * {@code tensd heat-tune} on the device: a {@link TuneRun} driven over the device's ports at a fixed rate, the same
 * tick shape as {@link io.tensd.loop.DeviceController} (read inputs → supervisor-checked verdict → actuators). The
 * stimulator is commanded off on every tick, which is what keeps the board's lease (and so the heater's enable line)
 * alive exactly as during a session: a stalled run lets the lease lapse and the board cuts the heater. Whatever ends
 * the run (done, fault, e-stop, stop request, interrupt, exception), the heater is driven off and forced safe.
 */
public final class DeviceHeatTune {
    /** Loop period: 20 Hz, as the heat path is simulated and benchmarked; well inside any stimulator lease. */
    public static final long PERIOD_NANOS = 50_000_000L;
    /** Longest wait for the first valid skin and pad readings before the run starts (the supervisor then decides). */
    public static final long FIRST_READINGS_NANOS = 3_000_000_000L;

    /** Waits until the clock reads at least {@code nanos} (real time: parks; virtual time: advances the simulator). */
    @FunctionalInterface
    public interface Pacer {
        void awaitUntil(long nanos) throws InterruptedException;
    }

    /** A progress line's figures: the experiment's phase and the sensors as the loop read them. */
    public record Progress(long elapsedNanos, TuneExperiment.Phase phase, double skinCelsius, double padCelsius,
                           double heaterDuty) { }

    /**
     * @param ticks             loop ticks of the run
     * @param heatAfterAbort    ticks that drove the heater on after the experiment had ended (must be 0)
     * @param maxSkinCelsius    highest valid skin reading the loop saw
     * @param heaterOffAtEnd    the heater was last driven off (false only if even the final command threw)
     */
    public record Result(long ticks, long heatAfterAbort, double maxSkinCelsius, boolean heaterOffAtEnd) { }

    private DeviceHeatTune() { }

    /**
     * Runs {@code run} to its end over {@code io}. {@code stop} is polled every tick (SIGTERM, Ctrl-C): true aborts
     * the experiment, the next verdict has the heater off. {@code forceSafe} cuts every output from any thread; it is
     * called at the end whatever happened.
     */
    public static Result run(DeviceIo io, Clock clock, Pacer pacer, TuneRun run, BooleanSupplier stop, Runnable forceSafe,
                             long progressEveryNanos, Consumer<Progress> progress) {
        Inputs in = new Inputs();
        long ticks = 0;
        long heatAfterAbort = 0;
        double maxSkin = Double.NEGATIVE_INFINITY;
        boolean offAtEnd = false;
        long start = clock.nanos();
        long next = start;
        long nextProgress = start;
        try {
            next = awaitFirstReadings(io, clock, pacer, stop);
            while (!run.finished()) {
                pacer.awaitUntil(next);
                long now = clock.nanos();
                if (stop.getAsBoolean()) {
                    run.stop(now);
                }
                in.set(io.skin().latest(), io.pad().latest(), io.stimulator().latest(), io.estop().active(),
                        io.battery().latest(), io.posture().latest());
                Verdict v = run.tick(now, in);
                // Never heat once the experiment has ended, whatever the verdict says (an abort in this very tick).
                boolean heat = v.heaterEnabled() && !run.finished();
                io.stimulator().command(now, false, 0, 0, 0);
                io.heater().drive(heat, heat ? v.heaterDuty() : 0);
                if (v.heaterEnabled() && run.finished()) {
                    heatAfterAbort++;
                }
                ticks++;
                if (in.skin().status() == SensorStatus.OK) {
                    maxSkin = Math.max(maxSkin, in.skin().celsius());
                }
                if (now >= nextProgress || run.finished()) {
                    progress.accept(new Progress(now - start, run.experiment().phase(), in.skin().celsius(),
                            in.pad().celsius(), heat ? v.heaterDuty() : 0));
                    nextProgress = now + progressEveryNanos;
                }
                next += PERIOD_NANOS;
                if (next < now - 10 * PERIOD_NANOS) {
                    next = now; // machine busy: do not burst
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.stop(clock.nanos());
        } catch (RuntimeException | Error e) {
            run.stop(clock.nanos());
            throw e;
        } finally {
            try {
                io.heater().drive(false, 0);
                offAtEnd = true;
            } finally {
                forceSafe.run();
            }
        }
        return new Result(ticks, heatAfterAbort, maxSkin, offAtEnd);
    }

    /** Heater off, stimulator off (lease renewed), until both temperature channels read or the wait runs out. */
    private static long awaitFirstReadings(DeviceIo io, Clock clock, Pacer pacer, BooleanSupplier stop)
            throws InterruptedException {
        long t = clock.nanos();
        long end = t + FIRST_READINGS_NANOS;
        while (t < end && !stop.getAsBoolean()
                && (io.skin().latest().status() != SensorStatus.OK || io.pad().latest().status() != SensorStatus.OK)) {
            io.stimulator().command(t, false, 0, 0, 0);
            io.heater().drive(false, 0);
            t += PERIOD_NANOS;
            pacer.awaitUntil(t);
        }
        return clock.nanos();
    }

    /** Real time: parks until the clock reaches the deadline. */
    public static Pacer realTime(Clock clock) {
        return deadline -> {
            long wait;
            while ((wait = deadline - clock.nanos()) > 0) {
                LockSupport.parkNanos(wait);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        };
    }

    /** Virtual time: the simulated device runs up to the deadline at once. */
    public static Pacer virtualTime(VirtualClock clock, SimDevice device) {
        return deadline -> {
            if (deadline > clock.nanos()) {
                clock.set(deadline);
            }
            device.advance(clock.nanos());
        };
    }

    /** The device a heat-tune runs on, opened as the daemon opens it, with the journal lock held while it is open. */
    public static final class Device implements AutoCloseable {
        private final JournalLock lock;
        private final DaemonHardware hardware;
        private final SimDevice sim;
        private final Clock clock;
        private final Pacer pacer;

        private Device(JournalLock lock, DaemonHardware hardware, SimDevice sim, Clock clock, Pacer pacer) {
            this.lock = lock;
            this.hardware = hardware;
            this.sim = sim;
            this.clock = clock;
            this.pacer = pacer;
        }

        /**
         * Takes the journal's lock (the daemon holds it while it runs: refused, naming it) and opens the Pi's
         * hardware, or with {@code simulated} a simulated device with {@code plant} in virtual time.
         */
        public static Device open(LoadedConfig cfg, boolean simulated, PadPlant plant, long seed) throws DaemonException {
            JournalLock lock;
            try {
                lock = JournalLock.acquire(cfg.device().journalDir());
            } catch (JournalLock.HeldException e) {
                throw new DaemonException("the tensd daemon (pid " + e.holderPid() + ") is running and drives the "
                        + "device: heat-tune needs it alone", "systemctl stop tensd first (start it again after "
                        + "heat-tune and check-config)", ExitCodes.HARDWARE, e);
            } catch (IOException | RuntimeException e) {
                throw new DaemonException("cannot lock the journal in " + cfg.device().journalDir() + ": "
                        + e.getMessage(), "run heat-tune as the service's user (sudo -u tensd) or as root",
                        ExitCodes.STORAGE, e);
            }
            try {
                if (simulated) {
                    VirtualClock clock = new VirtualClock(1_000_000_000L);
                    SimDevice d = new SimDevice(clock, cfg.limits(), seed);
                    plant.applyTo(d.thermal(), SimDevice.AMBIENT_CELSIUS);
                    d.advance(clock.nanos());
                    return new Device(lock, null, d, clock, virtualTime(clock, d));
                }
                PiHardware hw;
                try {
                    // The IMUs start a neutral capture when no calibration exists: during heat-tune the wearer may
                    // lie or sit, so that capture goes to a scratch file, never to the daemon's.
                    java.nio.file.Path scratch;
                    try {
                        scratch = java.nio.file.Files.createTempDirectory("tensd-heat-tune").resolve("posture-calibration.json");
                    } catch (IOException e) {
                        throw new DaemonException("cannot create a scratch directory: " + e.getMessage(), null,
                                ExitCodes.STORAGE, e);
                    }
                    hw = PiHardware.open(cfg, io.tensd.hw.pi4j.Pi4jContexts::forThisPi, Clock.SYSTEM, new GatewayRelay(),
                            e -> { }, () -> null, scratch);
                } catch (DaemonException e) {
                    throw new DaemonException(e.getMessage(), "if the daemon runs outside systemd, stop it first; "
                            + (e.hint() == null ? "" : e.hint()), e.exitCode(), e);
                }
                return new Device(lock, hw, null, Clock.SYSTEM, realTime(Clock.SYSTEM));
            } catch (DaemonException | RuntimeException e) {
                closeQuietly(lock);
                throw e;
            }
        }

        public DeviceIo io() { return hardware != null ? hardware.io() : sim.io(); }

        public Clock clock() { return clock; }

        public Pacer pacer() { return pacer; }

        public boolean simulated() { return sim != null; }

        /** Every output off now, from any thread. */
        public void forceSafe() {
            if (hardware != null) {
                hardware.forceSafe();
            } else {
                sim.heater().forceSafe();
                sim.stimulator().forceSafe();
            }
        }

        /** The simulated device (null on the Pi): its thermal model is the truth a test compares with. */
        public SimDevice sim() { return sim; }

        @Override
        public void close() {
            try {
                forceSafe();
                if (hardware != null) {
                    hardware.close();
                }
            } finally {
                closeQuietly(lock);
            }
        }

        private static void closeQuietly(JournalLock lock) {
            try {
                lock.close();
            } catch (Exception ignored) {
                // the kernel drops the lock when the process ends anyway
            }
        }
    }
}
