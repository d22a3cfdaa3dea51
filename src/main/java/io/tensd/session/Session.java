package io.tensd.session;

import io.tensd.config.Limits;
import io.tensd.heat.HeatController;
import io.tensd.heat.HeatSetup;
import io.tensd.hw.BatteryReading;
import io.tensd.hw.Button;
import io.tensd.hw.SensorStatus;
import io.tensd.hw.StimStatus;
import io.tensd.hw.TempReading;
import io.tensd.safety.ClampReason;
import io.tensd.safety.FaultCode;
import io.tensd.safety.Inputs;
import io.tensd.safety.Request;
import io.tensd.safety.SafetySettings;
import io.tensd.safety.Verdict;
import io.tensd.therapy.Prescription;
import io.tensd.therapy.Program;
import io.tensd.therapy.ProgramException;
import io.tensd.therapy.Programs;
import io.tensd.therapy.Setpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The session state machine: IDLE → PRECHECK → RAMP_UP → ACTIVE → RAMP_DOWN → COMPLETE, with PAUSED and
 * FAULT. Pure: time is an argument, events go to a non-blocking sink. It only asks (through a
 * {@link Request}); the supervisor decides. Each tick the loop calls {@link #plan} before the supervisor
 * and {@link #observe} after it.
 *
 * <p>Intensity: {@code levelMilliAmps} is the session's intensity (target, patient steps, habituation), always
 * within [step, prescribed max]; the program's envelope shapes the output under it (burst gate, modulation)
 * through {@link Request#envelope}. The supervisor ramps the level from zero at the limit rate.
 */
public final class Session {
    private static final long MS = 1_000_000L;

    private final Limits limits;
    private final SessionSettings settings;
    private final EventSink events;
    private final Supplier<String> newSessionId;
    private final HeatController heat;
    private final HeatSetup heatSetup;
    private boolean residualExcursion;
    private final Setpoint setpoint = new Setpoint();
    private final SummaryAccumulator acc = new SummaryAccumulator();

    private SessionState state = SessionState.IDLE;
    private Prescription stored;
    private Prescription rx;
    private Program program;
    /** The last {@link #plan} asked for the program's shape around the level (RAMP_UP/ACTIVE). */
    private boolean shaped;
    private String sessionId;
    private long stateSinceNanos;
    private long lastNanos = Long.MIN_VALUE;
    private long sessionStartNanos;
    private double targetMilliAmps;
    private double rampDownMilliAmps;
    private String rampDownReason = "completed";
    private double outputMilliAmps;
    private double heatSetpointCelsius = Double.NaN;
    private boolean heatEnded;
    private boolean pausedForElectrode;
    private boolean pausedByPatient;
    private long contactGoodSinceNanos = -1;
    private long liftSinceNanos = -1;
    private boolean pendingStop;
    private boolean habituationStopped;
    private long habituationNanos;
    private boolean batteryLowSeen;
    private boolean alert;
    private SessionSummary lastSummary;
    private String lastEndReason;

    public Session(Limits limits, SessionSettings settings, SafetySettings safety, EventSink events,
                   Supplier<String> newSessionId) {
        this(limits, settings, safety, HeatSetup.nominal(), events, newSessionId);
    }

    /** With the pad's heat setup (identified model's PID gains and band, or why heat is refused). */
    public Session(Limits limits, SessionSettings settings, SafetySettings safety, HeatSetup heatSetup, EventSink events,
                   Supplier<String> newSessionId) {
        this.limits = limits;
        this.settings = settings;
        this.events = events;
        this.newSessionId = newSessionId;
        this.heatSetup = heatSetup;
        this.heat = heatSetup.controller(safety.heaterDutyCap());
    }

    public HeatSetup heatSetup() { return heatSetup; }

    /**
     * The supervisor's cross-check residual after this tick's step. Above the model's confidence band while heat is
     * on: one {@code heat-model-residual} event per excursion (it ends below 80 % of the band) and the summary's
     * count; the fault beyond the tolerance is the supervisor's.
     */
    public void heatResidual(long now, double residualCelsius) {
        if (!state.inSession() || Double.isNaN(heatSetpointCelsius) || heatEnded || !(residualCelsius >= 0)) {
            return;
        }
        if (!(acc.heatResidualMaxCelsius >= residualCelsius)) {
            acc.heatResidualMaxCelsius = residualCelsius;
        }
        if (!residualExcursion && residualCelsius > heatSetup.bandCelsius()) {
            residualExcursion = true;
            acc.heatModelExcursions++;
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("residualC", Math.round(residualCelsius * 1000) / 1000.0);
            data.put("bandC", heatSetup.bandCelsius());
            data.put("model", heatSetup.source());
            events.emit(new SessionEvent("heat-model-residual", sessionId, now, data));
        } else if (residualExcursion && residualCelsius < 0.8 * heatSetup.bandCelsius()) {
            residualExcursion = false;
        }
    }

    public SessionState state() { return state; }

    public String sessionId() { return sessionId; }

    public Prescription prescription() { return rx; }

    /** The running session's program (null before the first start). */
    public Program program() { return program; }

    /**
     * True when the last {@link #plan} asked for the level shaped by the program's envelope (RAMP_UP/ACTIVE in a
     * stimulation phase): only then may the board time the shape itself. Precheck probes, pauses and the ramp-down
     * are plain setpoints.
     */
    public boolean shapedByProgram() { return shaped; }

    /** The prescription the patient's START (long press of pause) runs, or null. */
    public Prescription storedPrescription() { return stored; }

    /** The session's intensity level (before the envelope). */
    public double targetMilliAmps() { return targetMilliAmps; }

    public double heatSetpointCelsius() { return heatEnded ? Double.NaN : heatSetpointCelsius; }

    public long deliveredMillis() { return acc.deliveredNanos / MS; }

    public long durationMillis() { return rx == null ? 0 : rx.durationNanos() / MS; }

    /** Thermal dose of the running (or last) session so far, CEM43 minutes. */
    public double cem43Minutes() { return acc.cem43Minutes; }

    /** Summary of the last ended session, or null. */
    public SessionSummary lastSummary() { return lastSummary; }

    public String lastEndReason() { return lastEndReason; }

    /** Why the session is paused ("electrode-lift", "patient"; both when both hold), or null when it is not paused. */
    public String pauseReason() {
        if (state != SessionState.PAUSED) {
            return null;
        }
        return pausedForElectrode && pausedByPatient ? "electrode-lift+patient"
                : pausedForElectrode ? "electrode-lift" : "patient";
    }

    /** True once after something the patient must notice (electrode lift, battery low): the loop buzzes. */
    public boolean takeAlert() {
        boolean a = alert;
        alert = false;
        return a;
    }

    /** Applies a command at the current tick. {@code reply} is called exactly once. CLEAR is the loop's business. */
    public void submit(long now, SessionCommand cmd, Consumer<CommandOutcome> reply) {
        CommandOutcome outcome;
        if (cmd instanceof SessionCommand.StartSession s) {
            outcome = start(now, s.prescription(), true);
        } else if (cmd instanceof SessionCommand.StorePrescription s) {
            outcome = start(now, s.prescription(), false);
        } else if (cmd instanceof SessionCommand.SetIntensity s) {
            outcome = setIntensity(s.milliAmps());
        } else if (cmd instanceof SessionCommand.SetHeat s) {
            outcome = setHeat(now, s.setpointCelsius());
        } else if (cmd instanceof SessionCommand.Press p && p.source() == SessionCommand.Source.REMOTE) {
            outcome = CommandOutcome.rejected("buttons are local: a remote command names the state it wants");
        } else if (cmd instanceof SessionCommand.Press p) {
            outcome = press(now, p.button());
        } else if (cmd instanceof SessionCommand.Want w) {
            outcome = want(now, w.target());
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
                if (b == Button.DOWN && rx.habituation().isPresent() && !habituationStopped) {
                    // The patient says it is strong enough: no more automatic steps in this session.
                    habituationStopped = true;
                    events.emit(new SessionEvent("habituation-stopped", sessionId, now, Map.of("reason", "patient-down")));
                }
                double step = b == Button.UP ? settings.intensityStepMilliAmps() : -settings.intensityStepMilliAmps();
                double before = targetMilliAmps;
                CommandOutcome o = setIntensity(targetMilliAmps + step);
                // The patient's own presses belong in the record beside the clinic's commands (the report shows them).
                events.emit(new SessionEvent("intensity-button", sessionId, now, Map.of("button", b == Button.UP ? "up" : "down",
                        "fromMa", before, "toMa", targetMilliAmps)));
                return o;
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
                return start(now, stored, true);
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

    /**
     * A named state, never a toggle: retrying it (duplicate, redelivery, new id) changes nothing the second time.
     * PAUSED holds the session even against the electrode's own auto-resume; RUNNING only resumes; STOPPED
     * when no session runs is already true.
     */
    private CommandOutcome want(long now, SessionCommand.Target target) {
        switch (target) {
            case PAUSED -> {
                if (state == SessionState.PAUSED) {
                    if (pausedByPatient) {
                        return CommandOutcome.unchanged();
                    }
                    pausedByPatient = true; // paused for the electrode: stay paused when contact comes back
                    return CommandOutcome.accepted();
                }
                return pause(now, "patient");
            }
            case RUNNING -> {
                if (state == SessionState.PRECHECK || state == SessionState.RAMP_UP || state == SessionState.ACTIVE) {
                    return CommandOutcome.unchanged();
                }
                return resume(now);
            }
            case STOPPED -> {
                if (!state.inSession() || pendingStop) {
                    return CommandOutcome.unchanged();
                }
                pendingStop = true;
                return CommandOutcome.accepted();
            }
            default -> { return CommandOutcome.rejected("unknown target " + target); }
        }
    }

    /** Validates {@code p}; starts a session when {@code run}, otherwise only stores it for a later START. */
    private CommandOutcome start(long now, Prescription p, boolean run) {
        if (run && state == SessionState.FAULT) {
            return CommandOutcome.rejected("a fault is latched: clear it locally first");
        }
        if (run && state.inSession()) {
            return CommandOutcome.rejected("a session is already running");
        }
        if (p.screening().isEmpty()) {
            return CommandOutcome.rejected("no contraindication screening with the prescription: the clinic must screen first");
        }
        String refusal = p.screening().get().refusal();
        if (refusal != null) {
            if (run) {
                events.emit(new SessionEvent("start-refused", null, now, Map.of("reason", refusal)));
            }
            return CommandOutcome.rejected(refusal);
        }
        Program prog;
        try {
            prog = Programs.validate(p, limits);
        } catch (ProgramException e) {
            return CommandOutcome.rejected(e.getMessage());
        }
        if (p.durationMinutes() <= 0) {
            return CommandOutcome.rejected("duration must be positive");
        }
        if (!(p.targetMilliAmps() > 0) || p.targetMilliAmps() > p.maxMilliAmps()) {
            return CommandOutcome.rejected("target intensity must be above 0 and not above the prescribed maximum");
        }
        double battery = batteryPercent(lastBattery);
        if (run && battery <= settings.batteryCriticalPercent()) {
            return CommandOutcome.rejected("battery at " + Math.round(battery) + " %: charge the belt pack before a session");
        }
        List<String> reasons = new ArrayList<>();
        List<Clamp> clamps = new ArrayList<>();
        double max = p.maxMilliAmps();
        String maxReason = null;
        if (max > limits.maxMilliAmps()) {
            max = limits.maxMilliAmps();
            maxReason = ClampReason.LIMIT_MAX_AMPLITUDE.wireName();
            reasons.add(maxReason);
        }
        // Charge per phase at the widest pulse the envelope ever makes: no part of any envelope can exceed it.
        double chargeCap = limits.maxMilliAmpsForCharge(prog.maxPulseWidthMicros());
        if (max > chargeCap) {
            max = chargeCap;
            maxReason = ClampReason.CHARGE_PER_PHASE.wireName();
            reasons.add(maxReason);
        }
        double target = Math.min(p.targetMilliAmps(), max);
        if (target != p.targetMilliAmps()) {
            clamps.add(new Clamp("targetMilliAmps", p.targetMilliAmps(), target, maxReason));
        }
        if (maxReason != null) {
            clamps.add(new Clamp("maxMilliAmps", p.maxMilliAmps(), max, maxReason));
        }
        int minutes = Math.min(p.durationMinutes(), limits.maxSessionMinutes());
        if (minutes != p.durationMinutes()) {
            reasons.add("max-session-minutes");
            clamps.add(new Clamp("durationMinutes", p.durationMinutes(), minutes, "max-session-minutes"));
        }
        Optional<Prescription.Heat> heatRx = p.heat();
        if (heatRx.isPresent()) {
            Prescription.Heat h = heatRx.get();
            double sp = h.setpointCelsius();
            if (!(sp >= settings.heatMinSetpointCelsius())) {
                return CommandOutcome.rejected("heat setpoint below " + settings.heatMinSetpointCelsius() + " °C");
            }
            if (h.mode() == Prescription.HeatMode.ALTERNATING && !(h.alternateMinutes() >= 1 && h.alternateMinutes() <= 30)) {
                return CommandOutcome.rejected("alternating heat: alternateMinutes must be 1–30, got " + h.alternateMinutes());
            }
            double spMax = limits.skinCeilingCelsius() - settings.heatCeilingMarginCelsius();
            if (sp > spMax) {
                heatRx = Optional.of(new Prescription.Heat(spMax, h.mode(), h.alternateMinutes()));
                reasons.add(ClampReason.HEAT_SETPOINT_CEILING.wireName());
                clamps.add(new Clamp("heat.setpointCelsius", sp, spMax, ClampReason.HEAT_SETPOINT_CEILING.wireName()));
            }
        }
        Prescription accepted = new Prescription(p.program(), p.frequencyHz(), p.pulseWidthMicros(), target, max, minutes,
                heatRx, p.programParams(), p.habituation(), p.screening());
        stored = accepted;
        if (!run) {
            Map<String, Object> stored = new LinkedHashMap<>();
            stored.put("program", accepted.program());
            if (!clamps.isEmpty()) {
                stored.put("clamps", clamps.stream().map(Clamp::text).toList());
            }
            events.emit(new SessionEvent("prescription-stored", null, now, stored));
            return reasons.isEmpty() ? CommandOutcome.accepted() : CommandOutcome.clamped(reasons, clamps);
        }
        rx = accepted;
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
        habituationStopped = false;
        habituationNanos = 0;
        batteryLowSeen = false;
        rampDownReason = "completed";
        heat.reset();
        acc.reset();
        sessionStartNanos = now;
        enter(SessionState.PRECHECK, now);
        residualExcursion = false;
        if (heatRx.isPresent() && battery <= settings.batteryLowPercent()) {
            endHeat(now, "battery-low");
            batteryLowSeen = true;
            reasons.add("battery-low-no-heat");
        } else if (heatRx.isPresent() && heatSetup.refusal() != null) {
            // The pad's model does not belong to it or does not fit: no heat at all, and the session says why.
            heatEnded = true;
            acc.heatEndReason = "heat-model-refused";
            events.emit(new SessionEvent("heat-refused", sessionId, now, Map.of("reason", heatSetup.refusal())));
            reasons.add("heat-model-refused");
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("program", rx.program());
        data.put("targetMa", target);
        data.put("maxMa", max);
        data.put("pulseWidthUs", rx.pulseWidthMicros());
        data.put("frequencyHz", rx.frequencyHz());
        data.put("durationMin", minutes);
        data.put("heatSetpointC", heatRx.isPresent() ? heatSetpointCelsius : -1);
        data.put("heatMode", heatRx.map(h -> h.mode().wireName()).orElse("none"));
        data.put("habituation", rx.habituation().isPresent());
        data.put("screening", rx.screening().get().source());
        if (!clamps.isEmpty()) {
            data.put("clamps", clamps.stream().map(Clamp::text).toList());
        }
        events.emit(new SessionEvent("session-started", sessionId, now, data));
        return reasons.isEmpty() ? CommandOutcome.accepted() : CommandOutcome.clamped(reasons, clamps);
    }

    private CommandOutcome setIntensity(double requested) {
        if (state != SessionState.RAMP_UP && state != SessionState.ACTIVE && state != SessionState.PAUSED) {
            return CommandOutcome.rejected("no session stimulating (state " + state + ")");
        }
        if (!(requested >= 0)) {
            return CommandOutcome.rejected("intensity must be a number ≥ 0");
        }
        double v = requested;
        String reason = null;
        if (v > rx.maxMilliAmps()) {
            v = rx.maxMilliAmps();
            reason = ClampReason.PRESCRIPTION_MAX_AMPLITUDE.wireName();
        }
        if (v < settings.intensityStepMilliAmps()) {
            v = settings.intensityStepMilliAmps();
            reason = "min-intensity";
        }
        targetMilliAmps = v;
        return reason == null ? CommandOutcome.accepted()
                : CommandOutcome.clamped(List.of(reason), List.of(new Clamp("targetMilliAmps", requested, v, reason)));
    }

    private CommandOutcome setHeat(long now, java.util.OptionalDouble sp) {
        if (!state.inSession()) {
            return CommandOutcome.rejected("no session running");
        }
        if (sp.isEmpty()) {
            if (!heatEnded && !Double.isNaN(heatSetpointCelsius)) {
                endHeat(now, "clinician");
            }
            heatSetpointCelsius = Double.NaN;
            return CommandOutcome.accepted();
        }
        if (heatEnded) {
            return CommandOutcome.rejected("heat has ended for this session (" + acc.heatEndReason + ")");
        }
        double v = sp.getAsDouble();
        if (!(v >= settings.heatMinSetpointCelsius())) {
            return CommandOutcome.rejected("heat setpoint below " + settings.heatMinSetpointCelsius() + " °C");
        }
        double max = limits.skinCeilingCelsius() - settings.heatCeilingMarginCelsius();
        if (v > max) {
            heatSetpointCelsius = max;
            String reason = ClampReason.HEAT_SETPOINT_CEILING.wireName();
            return CommandOutcome.clamped(List.of(reason), List.of(new Clamp("setpointCelsius", v, max, reason)));
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
        // From zero: the output was 0 mA while paused, so the supervisor's ramp starts from 0 again.
        enter(SessionState.RAMP_UP, now);
        events.emit(new SessionEvent("session-resumed", sessionId, now, Map.of("reason", reason)));
    }

    private BatteryReading lastBattery = BatteryReading.UNKNOWN;

    /** Percent of a gauge reading; no gauge fitted counts as full, a failed gauge as empty-ish (low, not critical). */
    private double batteryPercent(BatteryReading b) {
        if (b.status() == SensorStatus.NOT_PRESENT) {
            return 100;
        }
        if (b.status() != SensorStatus.OK || Double.isNaN(b.percent())) {
            return settings.batteryLowPercent();
        }
        return b.percent();
    }

    /** Fills {@code out} with what this session wants now. */
    public void plan(long now, Inputs in, Request out) {
        shaped = false;
        long dt = lastNanos == Long.MIN_VALUE ? 0 : now - lastNanos;
        lastNanos = now;
        lastBattery = in.battery();
        if (pendingStop) {
            pendingStop = false;
            end(now, "stopped", "session-completed");
        }
        if (state.inSession() && state != SessionState.RAMP_DOWN) {
            checkBattery(now, in.battery(), out);
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
                    alert = true;
                    events.emit(new SessionEvent("electrode-lift", sessionId, now,
                            Map.of("impedanceOhm", in.stim().impedanceOhms())));
                    pause(now, "electrode-lift");
                    probe(out);
                    return;
                }
                double rate = limits.maxRampMilliAmpsPerSecond();
                long remaining = rx.durationNanos() - acc.deliveredNanos - dt;
                if (remaining <= (long) (outputMilliAmps / rate * 1e9)) {
                    startRampDown(now, "completed");
                    planRampDown(dt, out);
                    return;
                }
                if (state == SessionState.ACTIVE) {
                    habituate(now, dt);
                }
                boolean stimPhase = !alternating() || !heatPhase();
                program.envelope(now - sessionStartNanos, targetMilliAmps, setpoint);
                double level = stimPhase ? targetMilliAmps : 0;
                out.stim(true, level, setpoint.pulseWidthMicros, setpoint.frequencyHz, rx.maxMilliAmps());
                out.envelope(targetMilliAmps > 0 ? setpoint.milliAmps / targetMilliAmps : 0);
                shaped = stimPhase;
                if (!alternating() || heatPhase()) {
                    planHeat(now, in, out);
                } else {
                    out.heater(false, 0, Double.NaN);
                }
            }
            case PAUSED -> {
                if (pausedForElectrode) {
                    probe(out); // contact is watched through the board's impedance probe
                } else {
                    outputOff(out); // paused by the patient: nothing to deliver, nothing to measure
                }
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

    /** Low: heat stops first (the pad is the big load). Critical: the session ramps down and ends. */
    private void checkBattery(long now, BatteryReading b, Request out) {
        double pct = batteryPercent(b);
        if (pct <= settings.batteryLowPercent() && !batteryLowSeen) {
            batteryLowSeen = true;
            alert = true;
            events.emit(new SessionEvent("battery-low", sessionId, now, Map.of("percent", round1(pct))));
            if (!Double.isNaN(heatSetpointCelsius) && !heatEnded) {
                endHeat(now, "battery-low");
            }
        }
        if (pct <= settings.batteryCriticalPercent()) {
            alert = true;
            events.emit(new SessionEvent("battery-critical", sessionId, now, Map.of("percent", round1(pct))));
            if (!heatEnded && !Double.isNaN(heatSetpointCelsius)) {
                endHeat(now, "battery-critical");
            }
            if (state == SessionState.RAMP_UP || state == SessionState.ACTIVE) {
                startRampDown(now, "battery-critical");
            } else {
                out.off();
                end(now, "battery-critical", "session-aborted");
            }
        }
    }

    private static double round1(double v) { return Math.round(v * 10) / 10.0; }

    private void startRampDown(long now, String reason) {
        rampDownMilliAmps = outputLevel;
        rampDownReason = reason;
        enter(SessionState.RAMP_DOWN, now);
    }

    private void habituate(long now, long dt) {
        var h = rx.habituation();
        if (h.isEmpty() || habituationStopped || targetMilliAmps >= rx.maxMilliAmps()) {
            return;
        }
        habituationNanos += dt;
        if (habituationNanos >= (long) (h.get().intervalS() * 1e9)) {
            habituationNanos = 0;
            double next = Math.min(rx.maxMilliAmps(), targetMilliAmps + h.get().stepMilliAmps());
            targetMilliAmps = next;
            acc.habituationSteps++;
            events.emit(new SessionEvent("habituation-step", sessionId, now, Map.of("levelMa", next,
                    "atMax", next >= rx.maxMilliAmps())));
        }
    }

    private boolean alternating() {
        return rx.heat().isPresent() && rx.heat().get().mode() == Prescription.HeatMode.ALTERNATING
                && !heatEnded && !Double.isNaN(heatSetpointCelsius);
    }

    /** Alternating mode: stimulation first, then heat, each {@code alternateMinutes} of session time. */
    private boolean heatPhase() {
        long phase = (long) (rx.heat().get().alternateMinutes() * 60e9);
        return (acc.deliveredNanos / phase) % 2 == 1;
    }

    private void planRampDown(long dt, Request out) {
        rampDownMilliAmps = Math.max(0, rampDownMilliAmps - limits.maxRampMilliAmpsPerSecond() * dt / 1e9);
        if (rampDownMilliAmps <= 0) {
            outputOff(out); // ramp finished: the enable drops in the same tick the session completes
            return;
        }
        program.envelope(0, rampDownMilliAmps, setpoint);
        out.stim(true, Math.min(rampDownMilliAmps, setpoint.milliAmps), setpoint.pulseWidthMicros, setpoint.frequencyHz,
                rx.maxMilliAmps());
        out.heater(false, 0, Double.NaN);
    }

    /**
     * No output intended: the stimulator's enable line drops (defence in depth: a board fault cannot drive current
     * while the patient has paused or the session is over).
     */
    private void outputOff(Request out) {
        out.stim(false, 0, 0, 0, rx == null ? 0 : rx.maxMilliAmps());
        out.heater(false, 0, Double.NaN);
    }

    /** Output stage on at 0 mA: the board measures electrode impedance with its sub-sensory probe. */
    private void probe(Request out) {
        program.envelope(0, 0, setpoint);
        out.stim(true, 0, setpoint.pulseWidthMicros, setpoint.frequencyHz, rx.maxMilliAmps());
        out.heater(false, 0, Double.NaN);
    }

    private void endHeat(long now, String reason) {
        heatEnded = true;
        acc.heatEndReason = reason;
        events.emit(new SessionEvent("heat-ended", sessionId, now, Map.of("reason", reason)));
    }

    private void planHeat(long now, Inputs in, Request out) {
        if (Double.isNaN(heatSetpointCelsius) || heatEnded) {
            out.heater(false, 0, Double.NaN);
            return;
        }
        if (acc.heatNanos >= limits.maxHeatMinutes() * 60_000L * MS) {
            endHeat(now, "max-heat-minutes");
            out.heater(false, 0, Double.NaN);
            return;
        }
        if (acc.cem43Minutes >= settings.cem43BudgetMinutes()) {
            endHeat(now, "cem43-budget");
            out.heater(false, 0, Double.NaN);
            return;
        }
        TempReading skin = in.skin();
        double duty = skin.status() == SensorStatus.OK ? heat.update(now, skin.celsius(), heatSetpointCelsius) : 0;
        out.heater(true, duty, heatSetpointCelsius);
    }

    private String precheckProblem(long now, Inputs in) {
        long fresh = settings.sensorFreshMillis() * MS;
        if (in.skin().status() != SensorStatus.OK) {
            return "skin sensor " + in.skin().status();
        }
        if (now - in.skin().sampledAtNanos() > fresh) {
            return "skin sensor reading older than " + settings.sensorFreshMillis() + " ms";
        }
        if (in.pad().status() != SensorStatus.OK) {
            return "pad sensor " + in.pad().status();
        }
        if (now - in.pad().sampledAtNanos() > fresh) {
            return "pad sensor reading older than " + settings.sensorFreshMillis() + " ms";
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

    private double outputLevel;

    /** Sees what the supervisor decided: faults end the session, the ramp's progress moves RAMP_UP to ACTIVE. */
    public void observe(long now, Verdict v, Inputs in, long dtNanos) {
        outputMilliAmps = v.levelMilliAmps();
        outputLevel = v.levelMilliAmps();
        if (state.inSession()) {
            boolean delivering = state == SessionState.RAMP_UP || state == SessionState.ACTIVE || state == SessionState.RAMP_DOWN;
            acc.addStim(dtNanos, v.stimMilliAmps(), v.pulseWidthMicros(), v.frequencyHz(), delivering);
            if (state == SessionState.PAUSED) {
                acc.pausedNanos += dtNanos;
            }
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
        } else if (state == SessionState.RAMP_UP && v.levelMilliAmps() >= targetMilliAmps - 1e-9) {
            enter(SessionState.ACTIVE, now);
        } else if (state == SessionState.RAMP_DOWN && rampDownMilliAmps <= 0 && v.stimMilliAmps() == 0) {
            end(now, rampDownReason, "completed".equals(rampDownReason) ? "session-completed" : "session-aborted");
        }
    }

    private void end(long now, String reason, String eventType) {
        lastEndReason = reason;
        acc.finalMilliAmps = targetMilliAmps;
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
