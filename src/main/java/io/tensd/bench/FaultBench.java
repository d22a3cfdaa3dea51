package io.tensd.bench;

import io.tensd.hw.Button;
import io.tensd.safety.FaultCode;
import io.tensd.session.EventSink;
import io.tensd.session.SessionCommand;
import io.tensd.session.SessionState;
import io.tensd.sim.SimDevice;
import io.tensd.sim.SimTempSensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * {@code tensd bench faults}: fault reaction on the real clock. Each trial starts a session, waits a random
 * time (so the injection lands at a random phase of the loop's period and of the sensors' sampling), injects
 * through the simulated hardware on its own thread, and measures
 * <ul>
 *   <li>injection → outputs safe: from the injection to the actuator call that made both outputs safe;</li>
 *   <li>detection → safe: from the start of the tick that latched the fault (the tick reads its inputs then) to
 *       that actuator call.</li>
 * </ul>
 * Then it undoes the injection, clears the fault locally (as a technician would) and goes again.
 */
public final class FaultBench {
    private FaultBench() { }

    /** A fault kind: how to inject it, how to undo it, and the fault it must latch. */
    public record Kind(String name, FaultCode expected, Consumer<SimDevice> inject, Consumer<SimDevice> undo) { }

    public static List<Kind> kinds() {
        return List.of(
                new Kind("skin-sensor open", FaultCode.SKIN_SENSOR_FAULT, d -> d.skinSensor().setMode(0, SimTempSensor.Mode.OPEN),
                        d -> d.skinSensor().ok(0)),
                new Kind("pad-sensor short", FaultCode.PAD_SENSOR_FAULT, d -> d.padSensor().setMode(0, SimTempSensor.Mode.SHORT),
                        d -> d.padSensor().ok(0)),
                new Kind("stimulator overcurrent", FaultCode.STIM_OVERCURRENT, d -> d.board().injectOvercurrent(), d -> { }),
                new Kind("stimulator mute", FaultCode.STIM_LINK_LOST, d -> d.stimulator().setMuted(true),
                        d -> d.stimulator().setMuted(false)),
                new Kind("estop", FaultCode.ESTOP, SimDevice::pressEstop, SimDevice::releaseEstop));
    }

    public record KindResult(String name, int trials, int missed, Histogram injectToSafeNanos, Histogram detectToSafeNanos) { }

    public record Result(int rateHz, List<KindResult> kinds, Histogram allInjectToSafe, Histogram allDetectToSafe) { }

    /** Loop-thread side: the tick time at which the expected fault latched. */
    private static final class Detector {
        volatile long expectedBit;
        volatile long detectedTickNanos = -1;
        /** Whether the last tick before the injection had the session stimulating and heating. */
        volatile boolean liveBeforeInjection;
    }

    public static Result run(int rateHz, int trialsPerKind, long seed, int fifoPriority, Consumer<String> progress) {
        Prewarm.run(3);
        Detector det = new Detector();
        java.util.concurrent.atomic.AtomicReference<RealTimeRig> ref = new java.util.concurrent.atomic.AtomicReference<>();
        RealTimeRig rig = new RealTimeRig(rateHz, -1, seed, EventSink.NONE, now -> {
            var c = ref.get().controller();
            if (ref.get().injectedAtNanos() < 0) {
                det.liveBeforeInjection = LiveSession.live(c.session().state(), c.verdict().stimEnabled(), c.heatRequested(),
                        c.verdict().faultBits());
            }
            long bit = det.expectedBit;
            if (bit != 0 && det.detectedTickNanos < 0 && (ref.get().controller().verdict().raisedBits() & bit) != 0) {
                det.detectedTickNanos = now;
            }
        });
        ref.set(rig);
        Random random = new Random(seed);
        long period = 1_000_000_000L / rateHz;
        Histogram all1 = new Histogram(10_000_000_000L, 3);
        Histogram all2 = new Histogram(10_000_000_000L, 3);
        List<KindResult> out = new ArrayList<>();
        try {
            rig.start();
            if (fifoPriority > 1) {
                ThreadTuning.apply(ThreadTuning.findTid(RealTimeRig.LOOP_THREAD), fifoPriority, null, -1).forEach(progress);
                ThreadTuning.apply(ThreadTuning.findTid(RealTimeRig.SIM_THREAD), fifoPriority - 1, null, -1).forEach(progress);
            }
            for (Kind k : kinds()) {
                Histogram h1 = new Histogram(10_000_000_000L, 3);
                Histogram h2 = new Histogram(10_000_000_000L, 3);
                int missed = 0;
                for (int i = 0; i < trialsPerKind; i++) {
                    rig.startSession(); // returns once a tick saw the session live; later ticks up to the injection update it
                    det.liveBeforeInjection = true;
                    det.detectedTickNanos = -1;
                    det.expectedBit = k.expected().bit();
                    // random delay: 0..3 loop periods plus up to 100 ms, so every phase of loop and sampling is hit
                    long at = rig.clock().nanos() + (long) (random.nextDouble() * (3 * period + 100_000_000L));
                    rig.injectAt(at, () -> k.inject().accept(rig.device()));
                    long deadline = at + 2_000_000_000L;
                    while ((rig.safeCommandAtNanos() < 0 || det.detectedTickNanos < 0) && rig.clock().nanos() < deadline) {
                        LockSupport.parkNanos(1_000_000L);
                    }
                    long inj = rig.injectedAtNanos();
                    long safe = rig.safeCommandAtNanos();
                    long detTick = det.detectedTickNanos;
                    det.expectedBit = 0;
                    if (!det.liveBeforeInjection) {
                        throw new LiveSession.NotLive("bench faults: " + k.name() + " trial " + (i + 1)
                                + ": the outputs were not on (session stimulating and heating) before the injection; no figure printed");
                    }
                    if (inj < 0 || safe < 0 || detTick < 0) {
                        missed++;
                    } else {
                        record(h1, safe - inj);
                        record(all1, safe - inj);
                        record(h2, safe - detTick);
                        record(all2, safe - detTick);
                    }
                    recover(rig, k);
                }
                out.add(new KindResult(k.name(), trialsPerKind, missed, h1, h2));
                progress.accept(String.format("%-24s done: %d trials, %d missed", k.name(), trialsPerKind, missed));
            }
        } finally {
            rig.close();
        }
        return new Result(rateHz, out, all1, all2);
    }

    private static void record(Histogram h, long v) {
        h.recordValue(Math.max(0, Math.min(v, h.getHighestTrackableValue())));
    }

    /** Undoes the injection, clears locally until the controller is IDLE again. */
    private static void recover(RealTimeRig rig, Kind k) {
        rig.onSimThread(() -> {
            k.undo().accept(rig.device());
            rig.device().stimulator().clearFaults();
        });
        long end = rig.clock().nanos() + 5_000_000_000L;
        while (rig.clock().nanos() < end) {
            SessionState s = rig.controller().session().state();
            if (s.inSession()) {
                rig.controller().submit(new SessionCommand.Press(Button.STOP, SessionCommand.Source.LOCAL), o -> { });
            } else if (rig.controller().supervisor().latchedFaults() == 0 && s != SessionState.FAULT) {
                return;
            } else {
                // wait for fresh samples so the cause is gone, then clear as a technician would
                LockSupport.parkNanos(150_000_000L);
                rig.controller().submit(new SessionCommand.Press(Button.CLEAR, SessionCommand.Source.LOCAL), o -> { });
            }
            LockSupport.parkNanos(20_000_000L);
        }
        throw new IllegalStateException("could not recover from " + k.name() + ": latched "
                + FaultCode.join(rig.controller().supervisor().latchedFaults(), ",") + ", state " + rig.controller().session().state());
    }
}
