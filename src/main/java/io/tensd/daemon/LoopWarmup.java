package io.tensd.daemon;

import io.tensd.config.Limits;
import io.tensd.heat.HeatSetup;
import io.tensd.loop.DeviceController;
import io.tensd.loop.VirtualClock;
import io.tensd.safety.SafetySettings;
import io.tensd.session.CommandOutcome;
import io.tensd.session.SessionCommand;
import io.tensd.session.SessionSettings;
import io.tensd.session.SessionState;
import io.tensd.sim.SimDevice;
import io.tensd.therapy.Prescription;
import io.tensd.therapy.Screening;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the control loop's code paths once, in virtual time on a throwaway simulated device, before the real
 * loop starts. Why: the first use of a code path in a fresh JVM links it (class loading, and for records the
 * {@code ObjectMethods} bootstrap behind {@code equals}/{@code hashCode}), which measured 80–100 ms on the first
 * session's first tick, longer than the stimulator's 100 ms lease: the first session after boot faulted with
 * {@code loop-overrun}. After this the loop thread meets only linked code. Touches no real hardware and emits
 * no event the daemon keeps.
 */
final class LoopWarmup {
    /** What the warm-up ran; {@link #stimulated} says the sessions really reached stimulation (its precondition). */
    record Result(int sessions, int stimulated, long ticks, long wallMillis) { }

    private static final long TICK_NANOS = 10_000_000L;

    private LoopWarmup() { }

    static Result run(Limits limits, SafetySettings safety, HeatSetup heat) {
        long t0 = System.nanoTime();
        int stimulated = 0;
        long ticks = 0;
        List<Prescription> plans = prescriptions(heat.refusal() == null);
        for (Prescription p : plans) {
            VirtualClock clock = new VirtualClock(0);
            SimDevice device = new SimDevice(clock, limits, 1);
            DeviceController c = new DeviceController(device.io(), limits, safety, SessionSettings.defaults(), heat,
                    e -> { }, () -> "warmup");
            List<CommandOutcome> outcomes = new ArrayList<>();
            // a second of idle ticks: the sensors' first readings and the board's first status frames
            ticks += run(c, device, clock, 100);
            c.submit(new SessionCommand.StartSession(p, SessionCommand.Source.REMOTE), outcomes::add);
            boolean stim = false;
            for (int i = 0; i < 600; i++) {
                ticks += run(c, device, clock, 1);
                stim |= c.verdict().stimEnabled() && c.verdict().stimMicroAmps() > 0;
            }
            if (stim) {
                stimulated++;
            }
            c.submit(new SessionCommand.Want(SessionCommand.Target.PAUSED, SessionCommand.Source.REMOTE), outcomes::add);
            ticks += run(c, device, clock, 50);
            c.submit(new SessionCommand.Want(SessionCommand.Target.RUNNING, SessionCommand.Source.REMOTE), outcomes::add);
            ticks += run(c, device, clock, 100);
            device.liftElectrode();
            ticks += run(c, device, clock, 50);
            device.restoreElectrode();
            ticks += run(c, device, clock, 100);
            c.submit(new SessionCommand.Want(SessionCommand.Target.STOPPED, SessionCommand.Source.REMOTE), outcomes::add);
            for (int i = 0; i < 1_000 && SessionState.valueOf(c.snapshot().state()).inSession(); i++) {
                ticks += run(c, device, clock, 1);
            }
        }
        return new Result(plans.size(), stimulated, ticks, (System.nanoTime() - t0) / 1_000_000L);
    }

    private static long run(DeviceController c, SimDevice device, VirtualClock clock, int n) {
        for (int i = 0; i < n; i++) {
            clock.advance(TICK_NANOS);
            device.advance(clock.nanos());
            c.tick(clock.nanos());
            c.snapshot();
        }
        return n;
    }

    /** One of each program family the loop runs; with heat when this device may heat. */
    static List<Prescription> prescriptions(boolean heat) {
        Screening screening = Screening.clear("warmup");
        Optional<Prescription.Heat> h = heat
                ? Optional.of(new Prescription.Heat(39.0, Prescription.HeatMode.SIMULTANEOUS, 0))
                : Optional.empty();
        return List.of(
                new Prescription("conventional", 100, 150, 10, 12, 30, h, screening),
                new Prescription("acupuncture-like", 2, 200, 10, 12, 30, Optional.empty(), screening),
                new Prescription("burst", 100, 150, 10, 12, 30, Optional.empty(),
                        Map.of("burstRateHz", 2.0, "pulsesPerBurst", 7.0), Optional.empty(), Optional.of(screening)),
                new Prescription("modulated", 100, 150, 10, 12, 30, Optional.empty(),
                        Map.of("modulate", "amplitude", "depthPercent", 30.0, "periodS", 2.0), Optional.empty(),
                        Optional.of(screening)),
                new Prescription("strength-duration", 100, 150, 10, 12, 30, Optional.empty(),
                        Map.of("depthPercent", 30.0, "periodS", 2.0), Optional.empty(), Optional.of(screening)));
    }
}
