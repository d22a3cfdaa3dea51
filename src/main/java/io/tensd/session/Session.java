package io.tensd.session;

import io.tensd.config.Limits;
import io.tensd.hw.Button;
import io.tensd.hw.SensorStatus;
import io.tensd.hw.StimStatus;
import io.tensd.hw.TempReading;
import io.tensd.heat.HeatController;
import io.tensd.safety.ClampReason;
import io.tensd.safety.FaultCode;
import io.tensd.safety.Inputs;
import io.tensd.safety.Request;
import io.tensd.safety.SafetySettings;
import io.tensd.safety.Verdict;
import io.tensd.therapy.Prescription;
import io.tensd.therapy.Program;
import io.tensd.therapy.Programs;
import io.tensd.therapy.Setpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The session state machine: IDLE → PRECHECK → RAMP_UP → ACTIVE → RAMP_DOWN → COMPLETE, with PAUSED and
 * FAULT. Pure: time is an argument, events go to a non-blocking sink. It only asks (through a
 * {@link Request}); the supervisor decides. Each tick the loop calls {@link #plan} before the supervisor
 * and {@link #observe} after it.
 */
public final class Session {
    private static final long MS = 1_000_000L;

    private final Limits limits;
    private final SessionSettings settings;
    private final EventSink events;
    private final Supplier<String> newSessionId;
    private final HeatController heat;
    private final Setpoint setpoint = new Setpoint();
    private final SummaryAccumulator acc = new SummaryAccumulator();

    private SessionState state = SessionState.IDLE;
    private Prescription stored;
    private Prescription rx;
    private Program program;
    private String sessionId;
    private long stateSinceNanos;
    private long lastNanos = Long.MIN_VALUE;
    private long sessionStartNanos;
    private double targetMilliAmps;
    private double rampDownMilliAmps;
    private double outputMilliAmps;
    private double heatSetpointCelsius = Double.NaN;
    private boolean heatEnded;
    private boolean pausedForElectrode;
    private boolean pausedByPatient;
    private long contactGoodSinceNanos = -1;
    private long liftSinceNanos = -1;
    private boolean pendingStop;
    private SessionSummary lastSummary;
    private String lastEndReason;

    public Session(Limits limits, SessionSettings settings, SafetySettings safety, EventSink events,
                   Supplier<String> newSessionId) {
        this.limits = limits;
        this.settings = settings;
        this.events = events;
        this.newSessionId = newSessionId;
        this.heat = HeatController.defaults(safety.heaterDutyCap());
    }

    public SessionState state() { return state; }

    public String sessionId() { return sessionId; }

    public Prescription prescription() { return rx; }

    public double targetMilliAmps() { return targetMilliAmps; }

    public double heatSetpointCelsius() { return heatEnded ? Double.NaN : heatSetpointCelsius; }

    public long deliveredMillis() { return acc.deliveredNanos / MS; }

    public long durationMillis() { return rx == null ? 0 : rx.durationNanos() / MS; }

    /** Summary of the last ended session, or null. */
    public SessionSummary lastSummary() { return lastSummary; }

    public String lastEndReason() { return lastEndReason; }

    /** Applies a command at the current tick. {@code reply} is called exactly once. CLEAR is the loop's business. */
    public void submit(long now, SessionCommand cmd, Consumer<CommandOutcome> reply) {
        CommandOutcome outcome;
        if (cmd instanceof SessionCommand.StartSession s) {
            outcome = start(now, s.prescription());
        } else if (cmd instanceof SessionCommand.SetIntensity s) {
            outcome = setIntensity(s.milliAmps());
        } else if (cmd instanceof SessionCommand.SetHeat s) {
            outcome = setHeat(s.setpointCelsius());
        } else if (cmd instanceof SessionCommand.Press p) {
            outcome = press(now, p.button());
        } else {
            outcome = CommandOutcome.rejected("unknown command");
        }
        reply.accept(outcome);
    }

    private CommandOutcome press(long now, Button b) {
        switch (b) {
            case UP, DOWN -> {
                if (state != SessionState.RAMP_UP && state != SessionState.ACTIVE) {
                    return CommandOutcome.rejected("intensity can change only while stimulating (state " + state + ")");
                }
                double step = b == Button.UP ? settings.intensityStepMilliAmps() : -settings.intensityStepMilliAmps();
                return setIntensity(targetMilliAmps + step);
            }
            case PAUSE -> {
                if (state == SessionState.PAUSED) {
                    return resume(now);
                }
                return pause(now, "patient");
            }
            case RESUME -> { return resume(now); }
            case START -> {
                if (stored == null) {
                    return CommandOutcome.rejected("no prescription stored on the device: the clinic must send one");
                }
                return start(now, stored);
            }
            case STOP -> {
                if (!state.inSession()) {
                    return CommandOutcome.rejected("no session running");
                }
                pendingStop = true;
                return CommandOutcome.accepted();
            }
            default -> { return CommandOutcome.rejected("button " + b + " is not a session command"); }
        }
    }

    private CommandOutcome start(long now, Prescription p) {
        if (state == SessionState.FAULT) {
            return CommandOutcome.rejected("a fault is latched: clear it locally first");
        }
        if (state.inSession()) {
            return CommandOutcome.rejected("a session is already running");
        }
        Program prog;
        try {
            prog = Programs.of(p);
        } catch (IllegalArgumentException e) {
            return CommandOutcome.rejected(e.getMessage());
        }
        if (p.durationMinutes() <= 0) {
            return CommandOutcome.rejected("duration must be positive");
        }
        if (!(p.targetMilliAmps() > 0) || p.targetMilliAmps() > p.maxMilliAmps()) {
            return CommandOutcome.rejected("target intensity must be above 0 and not above the prescribed maximum");
        }
        List<String> reasons = new ArrayList<>();
        double max = p.maxMilliAmps();
        if (max > limits.maxMilliAmps()) {
            max = limits.maxMilliAmps();
            reasons.add(ClampReason.LIMIT_MAX_AMPLITUDE.wireName());
        }
        int pw = Math.max(limits.minPulseWidthMicros(), Math.min(limits.maxPulseWidthMicros(), p.pulseWidthMicros()));
        if (pw != p.pulseWidthMicros()) {
            reasons.add(ClampReason.PULSE_WIDTH_RANGE.wireName());
        }
        double hz = Math.max(limits.minFrequencyHz(), Math.min(limits.maxFrequencyHz(), p.frequencyHz()));
        if (hz != p.frequencyHz()) {
            reasons.add(ClampReason.FREQUENCY_RANGE.wireName());
        }
        double chargeCap = limits.maxMilliAmpsForCharge(pw);
        if (max > chargeCap) {
            max = chargeCap;
            reasons.add(ClampReason.CHARGE_PER_PHASE.wireName());
        }
        double target = Math.min(p.targetMilliAmps(), max);
        int minutes = Math.min(p.durationMinutes(), limits.maxSessionMinutes());
        if (minutes != p.durationMinutes()) {
            reasons.add("max-session-minutes");
        }
        var heatRx = p.heat();
        if (heatRx.isPresent()) {
            double sp = heatRx.get().setpointCelsius();
            if (sp < settings.heatMinSetpointCelsius()) {
                return CommandOutcome.rejected("heat setpoint below " + settings.heatMinSetpointCelsius() + " °C");
            }
            double spMax = limits.skinCeilingCelsius() - settings.heatCeilingMarginCelsius();
            if (sp > spMax) {
                heatRx = java.util.Optional.of(new Prescription.Heat(spMax));
                reasons.add(ClampReason.HEAT_SETPOINT_CEILING.wireName());
            }
        }
        rx = new Prescription(p.program(), hz, pw, target, max, minutes, heatRx);
        stored = rx;
        program = prog;
        sessionId = newSessionId.get();
        targetMilliAmps = target;
        heatSetpointCelsius = heatRx.map(Prescription.Heat::setpointCelsius).orElse(Double.NaN);
        heatEnded = false;
        pausedByPatient = false;
        pausedForElectrode = false;
        liftSinceNanos = -1;
        contactGoodSinceNanos = -1;
        pendingStop = false;
        heat.reset();
        acc.reset();
        sessionStartNanos = now;
        enter(SessionState.PRECHECK, now);
        events.emit(new SessionEvent("session-started", sessionId, now, Map.of(
                "program", rx.program(), "targetMa", target, "maxMa", max, "pulseWidthUs", pw, "frequencyHz", hz,
                "durationMin", minutes, "heatSetpointC", heatRx.isPresent() ? heatSetpointCelsius : -1)));
        return reasons.isEmpty() ? CommandOutcome.accepted() : CommandOutcome.clamped(reasons);
    }

    private CommandOutcome setIntensity(double requested) {
        if (state != SessionState.RAMP_UP && state != SessionState.ACTIVE && state != SessionState.PAUSED) {
            return CommandOutcome.rejected("no session stimulating (state " + state + ")");
        }
        if (!(requested >= 0)) {
            return CommandOutcome.rejected("intensity must be a number ≥ 0");
        }
        double v = requested;
        List<String> reasons = new ArrayList<>();
        if (v > rx.maxMilliAmps()) {
            v = rx.maxMilliAmps();
            reasons.add(ClampReason.PRESCRIPTION_MAX_AMPLITUDE.wireName());
        }
        if (v < settings.intensityStepMilliAmps()) {
            v = settings.intensityStepMilliAmps();
            reasons.add("min-intensity");
        }
        targetMilliAmps = v;
        return reasons.isEmpty() ? CommandOutcome.accepted() : CommandOutcome.clamped(reasons);
    }

    private CommandOutcome setHeat(java.util.OptionalDouble sp) {
        if (!state.inSession()) {
            return CommandOutcome.rejected("no session running");
        }
        if (sp.isEmpty()) {
            heatSetpointCelsius = Double.NaN;
            return CommandOutcome.accepted();
        }
        double v = sp.getAsDouble();
        if (!(v >= settings.heatMinSetpointCelsius())) {
            return CommandOutcome.rejected("heat setpoint below " + settings.heatMinSetpointCelsius() + " °C");
        }
        double max = limits.skinCeilingCelsius() - settings.heatCeilingMarginCelsius();
        if (v > max) {
            heatSetpointCelsius = max;
            return CommandOutcome.clamped(List.of(ClampReason.HEAT_SETPOINT_CEILING.wireName()));
        }
        heatSetpointCelsius = v;
        return CommandOutcome.accepted();
    }

    private CommandOutcome pause(long now, String reason) {
        if (state != SessionState.RAMP_UP && state != SessionState.ACTIVE && state != SessionState.PRECHECK) {
            return CommandOutcome.rejected("nothing to pause (state " + state + ")");
        }
        if ("patient".equals(reason)) {
            pausedByPatient = true;
        } else {
            pausedForElectrode = true;
        }
        acc.pauses++;
        enter(SessionState.PAUSED, now);
        events.emit(new SessionEvent("session-paused", sessionId, now, Map.of("reason", reason)));
        return CommandOutcome.accepted();
    }

    private CommandOutcome resume(long now) {
        if (state != SessionState.PAUSED) {
            return CommandOutcome.rejected("not paused (state " + state + ")");
        }
        if (pausedForElectrode) {
            pausedByPatient = false;
            return CommandOutcome.rejected("electrode contact lost: stimulation resumes by itself when contact is back");
        }
        pausedByPatient = false;
        resumeNow(now, "patient");
        return CommandOutcome.accepted();
    }

    private void resumeNow(long now, String reason) {
        enter(SessionState.RAMP_UP, now);
        events.emit(new SessionEvent("session-resumed", sessionId, now, Map.of("reason", reason)));
    }

    /** Fills {@code out} with what this session wants now. */
    public void plan(long now, Inputs in, Request out) {
        long dt = lastNanos == Long.MIN_VALUE ? 0 : now - lastNanos;
        lastNanos = now;
        if (pendingStop) {
            pendingStop = false;
            end(now, "stopped", "session-completed");
        }
        switch (state) {
            case IDLE, COMPLETE, FAULT -> out.off();
            case PRECHECK -> {
                probe(out);
                String problem = precheckProblem(now, in);
                long inState = now - stateSinceNanos;
                if (problem == null && inState >= settings.precheckMinMillis() * MS) {
                    enter(SessionState.RAMP_UP, now);
                } else if (problem != null && inState >= settings.precheckTimeoutMillis() * MS) {
                    out.off();
                    end(now, "precheck-failed: " + problem, "session-aborted");
                }
            }
            case RAMP_UP, ACTIVE -> {
                if (contactLost(in)) {
                    acc.electrodeLifts++;
                    liftSinceNanos = now;
                    contactGoodSinceNanos = -1;
                    events.emit(new SessionEvent("electrode-lift", sessionId, now,
                            Map.of("impedanceOhm", in.stim().impedanceOhms())));
                    pause(now, "electrode-lift");
                    probe(out);
                    return;
                }
                double rate = limits.maxRampMilliAmpsPerSecond();
                long remaining = rx.durationNanos() - acc.deliveredNanos - dt;
                if (remaining <= (long) (outputMilliAmps / rate * 1e9)) {
                    rampDownMilliAmps = outputMilliAmps;
                    enter(SessionState.RAMP_DOWN, now);
                    planRampDown(dt, out);
                    return;
                }
                program.envelope(now - sessionStartNanos, targetMilliAmps, setpoint);
                out.stim(true, setpoint.milliAmps, setpoint.pulseWidthMicros, setpoint.frequencyHz, rx.maxMilliAmps());
                planHeat(now, in, out);
            }
            case PAUSED -> {
                probe(out);
                if (pausedForElectrode) {
                    if (contactGood(in)) {
                        if (contactGoodSinceNanos < 0) {
                            contactGoodSinceNanos = now;
                        } else if (now - contactGoodSinceNanos >= settings.electrodeRestoreMillis() * MS) {
                            pausedForElectrode = false;
                            events.emit(new SessionEvent("electrode-restored", sessionId, now,
                                    Map.of("impedanceOhm", in.stim().impedanceOhms(), "liftMs", (now - liftSinceNanos) / MS)));
                            if (!pausedByPatient) {
                                resumeNow(now, "electrode-restored");
                            }
                        }
                    } else {
                        contactGoodSinceNanos = -1;
                        if (now - liftSinceNanos > settings.electrodeLiftTimeoutMillis() * MS) {
                            out.off();
                            end(now, "electrode-lift-timeout", "session-aborted");
                        }
                    }
                }
            }
            case RAMP_DOWN -> {
                if (contactLost(in) && rampDownMilliAmps > 0) {
                    // Rule 7 holds in ramp-down too: a lifting electrode concentrates current. Nothing is left to
                    // deliver, so stop at once instead of pausing; the session completes at 0 mA.
                    acc.electrodeLifts++;
                    events.emit(new SessionEvent("electrode-lift", sessionId, now,
                            Map.of("impedanceOhm", in.stim().impedanceOhms())));
                    rampDownMilliAmps = 0;
                }
                planRampDown(dt, out);
            }
            default -> out.off();
        }
    }

    private void planRampDown(long dt, Request out) {
        rampDownMilliAmps = Math.max(0, rampDownMilliAmps - limits.maxRampMilliAmpsPerSecond() * dt / 1e9);
        program.envelope(0, rampDownMilliAmps, setpoint);
        out.stim(true, Math.min(rampDownMilliAmps, setpoint.milliAmps), setpoint.pulseWidthMicros, setpoint.frequencyHz,
                rx.maxMilliAmps());
        out.heater(false, 0, Double.NaN);
    }

    /** Output stage on at 0 mA: the board measures electrode impedance with its sub-sensory probe. */
    private void probe(Request out) {
        out.stim(true, 0, rx.pulseWidthMicros(), rx.frequencyHz(), rx.maxMilliAmps());
        out.heater(false, 0, Double.NaN);
    }

    private void planHeat(long now, Inputs in, Request out) {
        if (Double.isNaN(heatSetpointCelsius) || heatEnded) {
            out.heater(false, 0, Double.NaN);
            return;
        }
        if (acc.heatNanos >= limits.maxHeatMinutes() * 60_000L * MS) {
            heatEnded = true;
            events.emit(new SessionEvent("heat-ended", sessionId, now, Map.of("reason", "max-heat-minutes")));
            out.heater(false, 0, Double.NaN);
            return;
        }
        TempReading skin = in.skin();
        double duty = skin.status() == SensorStatus.OK ? heat.update(now, skin.celsius(), heatSetpointCelsius) : 0;
        out.heater(true, duty, heatSetpointCelsius);
    }

    private String precheckProblem(long now, Inputs in) {
        if (in.skin().status() != SensorStatus.OK) {
            return "skin sensor " + in.skin().status();
        }
        if (in.pad().status() != SensorStatus.OK) {
            return "pad sensor " + in.pad().status();
        }
        if (in.skin().celsius() < 25 || in.skin().celsius() > 38.5) {
            return "skin temperature " + String.format("%.1f", in.skin().celsius()) + " °C is implausible for skin under the pad";
        }
        StimStatus st = in.stim();
        if (now - st.receivedAtNanos() > limits.stimulatorLeaseMillis() * MS) {
            return "no status from the stimulator board";
        }
        int z = st.impedanceOhms();
        if (z == StimStatus.IMPEDANCE_UNKNOWN || z < settings.minImpedanceOhms() || z > settings.maxImpedanceOhms()) {
            return "electrode impedance " + (z == StimStatus.IMPEDANCE_UNKNOWN ? "unknown" : z + " Ω")
                    + " outside " + settings.minImpedanceOhms() + "–" + settings.maxImpedanceOhms() + " Ω";
        }
        return null;
    }

    private boolean contactLost(Inputs in) {
        int z = in.stim().impedanceOhms();
        return z != StimStatus.IMPEDANCE_UNKNOWN && z > settings.maxImpedanceOhms();
    }

    private boolean contactGood(Inputs in) {
        int z = in.stim().impedanceOhms();
        return z != StimStatus.IMPEDANCE_UNKNOWN && z >= settings.minImpedanceOhms() && z <= settings.maxImpedanceOhms();
    }

    /** Sees what the supervisor decided: faults end the session, the ramp's progress moves RAMP_UP to ACTIVE. */
    public void observe(long now, Verdict v, Inputs in, long dtNanos) {
        outputMilliAmps = v.stimMilliAmps();
        if (state.inSession()) {
            boolean delivering = state == SessionState.RAMP_UP || state == SessionState.ACTIVE || state == SessionState.RAMP_DOWN;
            acc.addStim(dtNanos, v.stimMilliAmps(), v.pulseWidthMicros(), v.frequencyHz(), delivering);
            TempReading skin = in.skin();
            acc.addHeat(dtNanos, v.heaterEnabled() && v.heaterDuty() > 0,
                    skin.status() == SensorStatus.OK ? skin.celsius() : Double.NaN);
            acc.faultBits |= v.faultBits();
        }
        if (v.faulted()) {
            if (state != SessionState.FAULT) {
                FaultCode first = FaultCode.mostSevere(v.faultBits());
                if (state.inSession()) {
                    end(now, "fault:" + first.wireName(), "session-aborted");
                }
                enter(SessionState.FAULT, now);
            }
            return;
        }
        if (state == SessionState.FAULT) {
            enter(SessionState.IDLE, now);
        } else if (state == SessionState.RAMP_UP && v.stimMilliAmps() >= targetMilliAmps - 1e-9) {
            enter(SessionState.ACTIVE, now);
        } else if (state == SessionState.RAMP_DOWN && rampDownMilliAmps <= 0 && v.stimMilliAmps() == 0) {
            end(now, "completed", "session-completed");
        }
    }

    private void end(long now, String reason, String eventType) {
        lastEndReason = reason;
        lastSummary = acc.build(sessionId, rx.program(), reason, rx.durationNanos());
        events.emit(new SessionEvent(eventType, sessionId, now, Map.of("reason", reason,
                "deliveredMs", lastSummary.deliveredMillis())));
        events.emit(new SessionEvent("session-summary", sessionId, now, lastSummary.toMap()));
        enter(SessionState.COMPLETE, now);
    }

    private void enter(SessionState next, long now) {
        state = next;
        stateSinceNanos = now;
    }
}
