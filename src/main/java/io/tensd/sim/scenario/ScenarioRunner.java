package io.tensd.sim.scenario;

import io.tensd.config.Limits;
import io.tensd.heat.HeatSetup;
import io.tensd.hw.Button;
import io.tensd.hw.PostureReading;
import io.tensd.hw.StimStatus;
import io.tensd.loop.DeviceController;
import io.tensd.loop.VirtualClock;
import io.tensd.safety.FaultCode;
import io.tensd.safety.SafetySettings;
import io.tensd.safety.Verdict;
import io.tensd.session.CommandOutcome;
import io.tensd.session.EventSink;
import io.tensd.session.SessionCommand;
import io.tensd.session.SessionEvent;
import io.tensd.session.SessionSettings;
import io.tensd.session.SessionState;
import io.tensd.sim.SimDevice;
import io.tensd.sim.SimTempSensor;
import io.tensd.sim.StimLink;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs a scenario in virtual time against the simulated device: at every loop period it applies the
 * timeline entries that are due, advances the physics, runs one controller tick (unless the loop is
 * stalled) and writes a trace row. A run ends once the session has ended and every timeline entry has
 * happened, plus one second. During a stall no tick runs but rows are still written, so the trace shows
 * the board's output falling by itself.
 */
public final class ScenarioRunner {
    private static final long MS = 1_000_000L;
    private static final long START_NANOS = 1_000_000_000L;

    /** Hooks for entries that need more than the simulated device (MQTT broker, remote commands). */
    public interface Hooks {
        default void broker(long atMillis, boolean up) { }

        /** A remote command; return false if no remote side is wired (the run then reports it). */
        default boolean command(long atMillis, Action.Command command, DeviceController controller) { return false; }

        /** Called after every tick on the runner thread (telemetry pumps, console view). */
        default void afterTick(long nowNanos, DeviceController controller) { }
    }

    /**
     * @param stimLink null for the in-process stimulator link; otherwise opens the link the controller talks
     *                 through (e.g. {@link io.tensd.sim.SerialStimLink}). Such a link lives in real time: run it
     *                 with a pace ({@code run(speed > 0)}); the runner then never catches up on lost wall time
     *                 in a burst (it lets virtual time slip instead), because a burst of ticks would outrun the
     *                 link's frames and look like a lost link.
     */
    public record Options(Limits limits, SafetySettings safety, SessionSettings session, int loopRateHz,
                          TraceWriter trace, int traceEvery, EventSink events, Hooks hooks, StimLink.Factory stimLink,
                          HeatSetup heat) {
        public Options(Limits limits, SafetySettings safety, SessionSettings session, int loopRateHz,
                       TraceWriter trace, int traceEvery, EventSink events, Hooks hooks, StimLink.Factory stimLink) {
            this(limits, safety, session, loopRateHz, trace, traceEvery, events, hooks, stimLink, HeatSetup.nominal());
        }

        public Options(Limits limits, SafetySettings safety, SessionSettings session, int loopRateHz,
                       TraceWriter trace, int traceEvery, EventSink events, Hooks hooks) {
            this(limits, safety, session, loopRateHz, trace, traceEvery, events, hooks, null);
        }

        public static Options defaults(Limits limits) {
            return new Options(limits, SafetySettings.defaults(), SessionSettings.defaults(), 100, null, 1,
                    EventSink.NONE, new Hooks() { }, null);
        }

        public Options withTrace(TraceWriter t, int every) {
            return new Options(limits, safety, session, loopRateHz, t, every, events, hooks, stimLink, heat);
        }

        public Options withEvents(EventSink e) {
            return new Options(limits, safety, session, loopRateHz, trace, traceEvery, e, hooks, stimLink, heat);
        }

        public Options withHooks(Hooks h) {
            return new Options(limits, safety, session, loopRateHz, trace, traceEvery, events, h, stimLink, heat);
        }

        public Options withLoopRate(int hz) {
            return new Options(limits, safety, session, hz, trace, traceEvery, events, hooks, stimLink, heat);
        }

        /** The stimulator link to use instead of the in-process one (null: in-process). */
        public Options withStimLink(StimLink.Factory f) {
            return new Options(limits, safety, session, loopRateHz, trace, traceEvery, events, hooks, f, heat);
        }

        /** The pad's heat setup (an identified model: {@code simulate --heat-model}); the supervisor gets its model. */
        public Options withHeat(HeatSetup h) {
            return new Options(limits, h.applyTo(safety), session, loopRateHz, trace, traceEvery, events, hooks, stimLink, h);
        }
    }

    private final Scenario scenario;
    private final Options opt;
    private final VirtualClock clock = new VirtualClock(START_NANOS);
    private final SimDevice device;
    private final DeviceController controller;
    private final List<SessionEvent> events = new ArrayList<>();
    private final Map<FaultCode, Long> lastInjectionMs = new EnumMap<>(FaultCode.class);
    private final List<RunReport.FaultRecord> faults = new ArrayList<>();
    private final List<int[]> pendingSafe = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private volatile boolean stopRequested;

    public ScenarioRunner(Scenario scenario, Options options) {
        this.scenario = scenario;
        this.opt = options;
        this.device = new SimDevice(clock, options.limits(), scenario.seed(), options.stimLink());
        if (!scenario.plant().nominal()) {
            scenario.plant().applyTo(device.thermal(), SimDevice.AMBIENT_CELSIUS);
        }
        long[] counter = {0};
        EventSink sink = e -> {
            events.add(e);
            options.events().emit(e);
        };
        this.controller = new DeviceController(device.io(), options.limits(), options.safety(), options.session(), options.heat(), sink,
                () -> String.format("sim-%08x-%d", scenario.seed(), ++counter[0]));
        device.enablePosture(sink, () -> controller.session().sessionId());
    }

    public SimDevice device() { return device; }

    public DeviceController controller() { return controller; }

    public VirtualClock clock() { return clock; }

    public List<SessionEvent> events() { return events; }

    public List<String> notes() { return notes; }

    /** Ctrl-C: the patient's stop is pressed at the next tick, the rest of the timeline is dropped, the run ends. */
    public void requestStop() { stopRequested = true; }

    /** Runs to the end in virtual time as fast as the CPU allows. */
    public RunReport run() {
        return run(0);
    }

    /**
     * @param speed 0 for as fast as possible, otherwise virtual seconds per wall second (real time = 1)
     */
    public RunReport run(double speed) {
        if (device.link() != null && !(speed > 0)) {
            throw new IllegalArgumentException("a stimulator link outside the process lives in real time: run it paced (speed > 0)");
        }
        long wallStart = System.nanoTime();
        long paceStart = wallStart;
        boolean slipInsteadOfBurst = device.link() != null;
        long slips = 0;
        long slipNanos = 0;
        long period = 1_000_000_000L / opt.loopRateHz();
        long periodMs = Math.max(1, period / MS);
        long t0 = clock.nanos();
        boolean[] startRefused = {false};
        Consumer<CommandOutcome> startReply = reply("start");
        controller.submit(new SessionCommand.StartSession(scenario.prescription(), SessionCommand.Source.LOCAL), o -> {
            startRefused[0] = o.status() == CommandOutcome.Status.REJECTED;
            startReply.accept(o);
        });
        List<TimelineEntry> timeline = scenario.timeline();
        int next = 0;
        long stallUntil = Long.MIN_VALUE;
        long hardEnd = t0 + (Math.max(scenario.lastEntryMillis(), scenario.prescription().durationMinutes() * 60_000L)
                + 30 * 60_000L) * MS;
        long endAt = Long.MAX_VALUE;
        boolean sessionSeen = false;
        double lastCmd = 0;
        long lastTickAt = t0;
        double maxRamp = 0;
        double maxSkin = Double.NEGATIVE_INFINITY;
        double maxPad = Double.NEGATIVE_INFINITY;
        double maxSkinSensor = Double.NaN;
        double maxPadSensor = Double.NaN;
        double maxMa = 0;
        long k = 0;
        StimLink link = device.link();
        for (long now = t0; now <= hardEnd && now <= endAt; now = t0 + (++k) * period) {
            if (speed > 0) {
                long late = pace(paceStart, now - t0, speed);
                if (link != null && k > 0) {
                    // virtual time stands still until the link has caught up with the previous tick
                    link.sync(clock.nanos());
                    late = Math.max(late, System.nanoTime() - (paceStart + (long) ((now - t0) / speed)));
                }
                if (slipInsteadOfBurst && late > period) {
                    paceStart += late;
                    slips++;
                    slipNanos += late;
                }
            }
            clock.set(now);
            long tMs = (now - t0) / MS;
            if (stopRequested && next < Integer.MAX_VALUE) {
                next = Integer.MAX_VALUE;
                controller.submit(new SessionCommand.Press(Button.STOP, SessionCommand.Source.LOCAL), reply("stop (interrupted)"));
            }
            while (next < timeline.size() && timeline.get(next).atMillis() <= tMs) {
                long stall = apply(timeline.get(next), now, tMs);
                if (stall > 0) {
                    stallUntil = now + stall * MS;
                }
                next++;
            }
            device.advance(now);
            boolean stalled = now < stallUntil;
            if (!stalled) {
                controller.tick(now);
                opt.hooks().afterTick(now, controller);
            }
            Verdict v = controller.verdict();
            SessionState state = controller.session().state();
            sessionSeen |= state.inSession() || startRefused[0]; // a refused start is a session that has ended
            if (!stalled) {
                recordFaults(v, tMs);
                // The ramp rule applies to the intensity level; a burst gate or amplitude modulation under it is the
                // program's shape (docs/scenarios.md "Programs"), so the ramp figure is taken from the level.
                double ma = v.levelMilliAmps();
                // over the time since the previous tick that ran: after a stall that is the whole stall
                if (k > 0 && ma > lastCmd && now > lastTickAt) {
                    maxRamp = Math.max(maxRamp, (ma - lastCmd) / ((now - lastTickAt) / 1e9));
                }
                lastCmd = ma;
                lastTickAt = now;
                maxMa = Math.max(maxMa, ma);
            }
            maxSkin = Math.max(maxSkin, device.thermal().skinCelsius());
            maxPad = Math.max(maxPad, device.thermal().padCelsius());
            double skinS = controller.inputs().skin().celsius();
            double padS = controller.inputs().pad().celsius();
            maxSkinSensor = Double.isNaN(skinS) ? maxSkinSensor : Double.isNaN(maxSkinSensor) ? skinS : Math.max(maxSkinSensor, skinS);
            maxPadSensor = Double.isNaN(padS) ? maxPadSensor : Double.isNaN(maxPadSensor) ? padS : Math.max(maxPadSensor, padS);
            if (opt.trace() != null && k % opt.traceEvery() == 0) {
                traceRow(tMs, v, state);
            }
            boolean ended = sessionSeen && !state.inSession();
            if (endAt == Long.MAX_VALUE && ended && next >= timeline.size()) {
                endAt = now + 1000 * MS;
            } else if (endAt != Long.MAX_VALUE && (!ended || next < timeline.size())) {
                endAt = Long.MAX_VALUE;
            }
        }
        long durationMs = (clock.nanos() - t0) / MS;
        if (device.link() != null) {
            if (slips > 0) {
                notes.add(String.format(java.util.Locale.ROOT, "pace: virtual time slipped %d time(s), %.1f ms in all, "
                        + "behind real time (the runner was late; a serial run does not catch up in a burst)",
                        slips, slipNanos / 1e6));
            }
            notes.add(device.link().summary(durationMs));
        }
        var s = controller.session().lastSummary();
        return new RunReport(scenario.name(), controller.session().state().name(), controller.session().lastEndReason(),
                durationMs, periodMs, (System.nanoTime() - wallStart) / MS, List.copyOf(faults),
                new RunReport.Max(round(maxSkin), round(maxPad), round(maxSkinSensor), round(maxPadSensor), round(maxMa), round(maxRamp)),
                s == null ? null : s.toMap(),
                device.posturePipeline() == null ? null : device.posturePipeline().stats().toMap());
    }

    /** Waits until the wall time this virtual time is due; returns how late it already was (0 if on time). */
    private static long pace(long wallStart, long virtualNanos, double speed) {
        long due = wallStart + (long) (virtualNanos / speed);
        long wait = due - System.nanoTime();
        if (wait <= 0) {
            return -wait;
        }
        while ((wait = due - System.nanoTime()) > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
        return 0;
    }

    private void traceRow(long tMs, Verdict v, SessionState state) {
        StimStatus st = device.boardSide();
        var in = controller.inputs();
        PostureReading pr = in.posture();
        opt.trace().row(tMs, state.name(), v.stimEnabled(), v.stimMilliAmps(),
                st == StimStatus.NONE ? Double.NaN : st.measuredMicroAmps() / 1000.0,
                v.pulseWidthMicros(), v.frequencyHz(), st == StimStatus.NONE ? -1 : st.impedanceOhms(),
                v.heaterEnabled(), v.heaterDuty(), in.skin().celsius(), in.pad().celsius(), device.thermal().skinCelsius(),
                pr.flexionDeg(), pr.postureClass(), v.faultBits());
    }

    private void recordFaults(Verdict v, long tMs) {
        if (v.raisedBits() != 0) {
            for (FaultCode f : FaultCode.values()) {
                if ((v.raisedBits() & f.bit()) != 0) {
                    faults.add(new RunReport.FaultRecord(f.wireName(), lastInjectionMs.get(f), tMs, null));
                    pendingSafe.add(new int[] {faults.size() - 1});
                }
            }
        }
        if (!pendingSafe.isEmpty() && v.outputsSafe()) {
            for (int[] idx : pendingSafe) {
                RunReport.FaultRecord r = faults.get(idx[0]);
                faults.set(idx[0], new RunReport.FaultRecord(r.code(), r.injectedAtMs(), r.detectedAtMs(), tMs));
            }
            pendingSafe.clear();
        }
    }

    /** Applies one entry; returns a stall length in ms for {@code loop: stall}, else 0. */
    private long apply(TimelineEntry e, long now, long tMs) {
        Action a = e.action();
        if (a instanceof Action.Inject inj) {
            markInjection(inj.target(), tMs);
            return inject(inj, now);
        } else if (a instanceof Action.Press p) {
            if (p.button() == Button.ESTOP) {
                lastInjectionMs.put(FaultCode.ESTOP, tMs);
                device.pressEstop();
            } else if (p.button() == Button.CLEAR) {
                device.releaseEstop();
            }
            controller.submit(new SessionCommand.Press(p.button(), SessionCommand.Source.LOCAL, now), reply("press " + p.button()));
        } else if (a instanceof Action.Broker b) {
            opt.hooks().broker(tMs, b.up());
        } else if (a instanceof Action.Command c) {
            if (!opt.hooks().command(tMs, c, controller)) {
                notes.add(scenario.file() + ":" + e.line() + ": command '" + c.name() + "' needs the MQTT side; skipped");
            }
        } else if (a instanceof Action.Posture p) {
            device.setPosture(now, p.flexionDeg(), p.lateralDeg(), p.overMillis());
        } else if (a instanceof Action.Exercise x) {
            device.startExercise(now, x.type(), x.reps(), x.periodSeconds());
        }
        return 0;
    }

    private void markInjection(InjectTarget t, long tMs) {
        for (FaultCode f : related(t)) {
            lastInjectionMs.put(f, tMs);
        }
    }

    /** Which faults an injection into each target is expected to cause (used for the report's injectedAtMs). */
    static List<FaultCode> related(InjectTarget t) {
        return switch (t) {
            case SKIN_SENSOR -> List.of(FaultCode.SKIN_SENSOR_FAULT, FaultCode.SKIN_SENSOR_STALE, FaultCode.SKIN_SENSOR_STUCK,
                    FaultCode.SKIN_SENSOR_RATE, FaultCode.TEMP_CHANNEL_MISMATCH, FaultCode.HEATER_WATCH,
                    FaultCode.HEATER_RUNAWAY, FaultCode.SKIN_OVER_CEILING, FaultCode.HEAT_IMPLAUSIBLE);
            case PAD_SENSOR -> List.of(FaultCode.PAD_SENSOR_FAULT, FaultCode.PAD_SENSOR_STALE, FaultCode.PAD_SENSOR_STUCK,
                    FaultCode.PAD_SENSOR_RATE, FaultCode.TEMP_CHANNEL_MISMATCH, FaultCode.HEATER_RUNAWAY, FaultCode.HEAT_IMPLAUSIBLE);
            case STIMULATOR -> List.of(FaultCode.STIM_LINK_LOST, FaultCode.STIM_LEASE_EXPIRED, FaultCode.STIM_OVERCURRENT,
                    FaultCode.STIM_BOARD_RESET, FaultCode.STIM_BOARD_FAULT, FaultCode.STIM_OUTPUT_MISMATCH);
            case HEATER -> List.of(FaultCode.HEATER_RUNAWAY, FaultCode.HEATER_WATCH, FaultCode.TEMP_CHANNEL_MISMATCH,
                    FaultCode.SKIN_OVER_CEILING, FaultCode.HEAT_IMPLAUSIBLE);
            case LOOP -> List.of(FaultCode.LOOP_OVERRUN, FaultCode.STIM_LEASE_EXPIRED, FaultCode.STIM_LINK_LOST);
            case ELECTRODE, BATTERY -> List.of();
        };
    }

    private long inject(Action.Inject inj, long now) {
        switch (inj.target()) {
            case SKIN_SENSOR, PAD_SENSOR -> {
                SimTempSensor s = inj.target() == InjectTarget.SKIN_SENSOR ? device.skinSensor() : device.padSensor();
                switch (inj.value()) {
                    case "open" -> s.setMode(now, SimTempSensor.Mode.OPEN);
                    case "short" -> s.setMode(now, SimTempSensor.Mode.SHORT);
                    case "stuck" -> s.setMode(now, SimTempSensor.Mode.STUCK);
                    case "drift" -> s.drift(now, inj.amount());
                    case "noise" -> s.noise(inj.amount());
                    default -> s.ok(now);
                }
            }
            case STIMULATOR -> {
                StimLink link = device.link();
                if (link != null && !inj.value().equals("overcurrent")) {
                    String skipped = link.inject(inj.value(), inj.amount());
                    if (skipped != null) {
                        notes.add(skipped);
                    }
                    return 0;
                }
                if (link != null && !link.boardIsSimulated()) {
                    notes.add("stimulator: overcurrent needs the built-in board emulator (--serial), not an external port; skipped");
                    return 0;
                }
                var st = device.stimulator();
                switch (inj.value()) {
                    case "disconnect" -> st.setDisconnected(true);
                    case "mute" -> st.setMuted(true);
                    case "corrupt" -> st.setCorruptFraction(inj.amount());
                    case "overcurrent" -> device.board().injectOvercurrent();
                    case "reset" -> device.board().reset(now);
                    default -> {
                        st.setDisconnected(false);
                        st.setMuted(false);
                        st.setCorruptFraction(0);
                    }
                }
            }
            case ELECTRODE -> {
                if (device.link() != null && !device.link().boardIsSimulated()) {
                    notes.add("electrode: " + inj.value() + " needs the built-in board emulator (--serial), not an external port; skipped");
                } else if (inj.value().equals("lift")) {
                    device.liftElectrode();
                } else {
                    device.restoreElectrode();
                }
            }
            case HEATER -> {
                switch (inj.value()) {
                    case "stuck-on" -> device.heater().setStuckOn(true);
                    case "detached" -> device.thermal().setDetached(true);
                    default -> {
                        device.heater().setStuckOn(false);
                        device.thermal().setDetached(false);
                    }
                }
            }
            case LOOP -> { return (long) inj.amount(); }
            case BATTERY -> device.battery().setPercent(switch (inj.value()) {
                case "low" -> 15.0;
                case "critical" -> 4.0;
                default -> 80.0;
            });
        }
        return 0;
    }

    private Consumer<CommandOutcome> reply(String what) {
        return o -> {
            if (o.status() == CommandOutcome.Status.REJECTED) {
                notes.add(what + ": rejected: " + String.join("; ", o.reasons()));
            } else if (o.status() == CommandOutcome.Status.CLAMPED) {
                notes.add(what + ": clamped: " + o.clampText());
            }
        };
    }

    private static Double round(double v) {
        return Double.isInfinite(v) || Double.isNaN(v) ? null : Math.round(v * 1000) / 1000.0;
    }
}
