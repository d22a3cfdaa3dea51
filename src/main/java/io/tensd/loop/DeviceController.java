package io.tensd.loop;

import io.tensd.config.Limits;
import io.tensd.hw.Annunciator;
import io.tensd.hw.Button;
import io.tensd.hw.DeviceIo;
import io.tensd.hw.PostureReading;
import io.tensd.heat.HeatSetup;
import io.tensd.safety.FaultCode;
import io.tensd.safety.Inputs;
import io.tensd.safety.Request;
import io.tensd.safety.SafetySettings;
import io.tensd.safety.SafetySupervisor;
import io.tensd.safety.Verdict;
import io.tensd.session.CommandGateway;
import io.tensd.session.CommandOutcome;
import io.tensd.session.EventSink;
import io.tensd.session.Session;
import io.tensd.session.SessionCommand;
import io.tensd.session.SessionEvent;
import io.tensd.session.SessionSettings;
import io.tensd.session.SessionState;
import io.tensd.therapy.Program;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One tick of the device, always the same shape (RespiraWorks style): read inputs → apply queued commands →
 * session plans → supervisor decides → actuators execute → publish status. Runs on the loop thread; does not
 * block, log or allocate in steady state (events and command replies are the rare exceptions).
 */
public final class DeviceController implements CommandGateway, StatusSource {
    private static final int MAX_COMMANDS_PER_TICK = 8;
    /** Host faults whose cause is latched on the stimulator board (CLEAR_FAULT resets them there). */
    private static final long BOARD_FAULTS = FaultCode.STIM_OVERCURRENT.bit() | FaultCode.STIM_BOARD_FAULT.bit()
            | FaultCode.STIM_LEASE_EXPIRED.bit();

    private record Pending(SessionCommand command, Consumer<CommandOutcome> reply) { }

    private final DeviceIo io;
    private final SafetySupervisor supervisor;
    private final Session session;
    private final EventSink events;
    private final Inputs inputs = new Inputs();
    private final Request request = new Request();
    private final ArrayBlockingQueue<Pending> commands = new ArrayBlockingQueue<>(64);
    private final StampedLock statusLock = new StampedLock();
    private long lastTickNanos = Long.MIN_VALUE;
    private long ticks;
    private Annunciator.Led led;

    // status fields, written under statusLock by the loop thread
    private long stAt;
    private SessionState stState = SessionState.IDLE;
    private double stMaMeasured;
    private int stImpedance;
    private double stSkin = Double.NaN;
    private double stPad = Double.NaN;
    private double stFlexion = Double.NaN;
    private String stPosture;
    private double stBattery = Double.NaN;
    private boolean stStimOn;
    private double stMa;
    private int stPw;
    private double stHz;
    private boolean stHeatOn;
    private double stDuty;
    private long stFaults;

    public DeviceController(DeviceIo io, Limits limits, SafetySettings safety, SessionSettings sessionSettings,
                            EventSink events, Supplier<String> newSessionId) {
        this(io, limits, safety, sessionSettings, HeatSetup.nominal(), events, newSessionId);
    }

    /**
     * With the pad's heat setup: its model must be {@code safety.heatModel()} (see {@link HeatSetup#applyTo}), so the
     * supervisor's cross-check and limits and the session's PID describe the same pad.
     */
    public DeviceController(DeviceIo io, Limits limits, SafetySettings safety, SessionSettings sessionSettings,
                            HeatSetup heat, EventSink events, Supplier<String> newSessionId) {
        this.io = io;
        this.events = events;
        this.supervisor = new SafetySupervisor(limits, safety);
        this.session = new Session(limits, sessionSettings, safety, heat, events, newSessionId);
    }

    /** Hands a command to the loop; never blocks. A full queue is answered at once. */
    @Override
    public void submit(SessionCommand command, Consumer<CommandOutcome> reply) {
        if (!commands.offer(new Pending(command, reply))) {
            reply.accept(CommandOutcome.rejected("busy: command queue full"));
        }
    }

    public void tick(long now) {
        long dt = lastTickNanos == Long.MIN_VALUE ? 0 : now - lastTickNanos;
        lastTickNanos = now;
        ticks++;
        inputs.set(io.skin().latest(), io.pad().latest(), io.stimulator().latest(), io.estop().active(),
                io.battery().latest(), io.posture().latest());
        for (int i = 0; i < MAX_COMMANDS_PER_TICK; i++) {
            Pending p = commands.poll();
            if (p == null) {
                break;
            }
            apply(now, p);
        }
        session.plan(now, inputs, request);
        // A board that times the program's shape (protocol v2) gets the level and runs the trains and the modulation
        // on its own clock: edges exact, and a lost host leaves no modulation frozen mid-cycle (the lease still cuts).
        Program program = session.program();
        if (session.shapedByProgram() && request.stimEnabled() && io.stimulator().timesProgram(program)) {
            request.boardTimed(program.maxPulseWidthMicros(), program.maxFrequencyHz());
        }
        Verdict v = supervisor.step(now, inputs, request);
        // Actuators right after the verdict: on a fault the session's bookkeeping (summary, events) comes after the
        // outputs are safe, not before (it measured ~0.2 ms on the fault path).
        if (v.boardTimed()) {
            io.stimulator().commandProgram(now, v.stimEnabled(), v.levelMicroAmps(), v.boardPulseWidthMicros(),
                    (int) Math.round(v.boardFrequencyHz()), program);
        } else {
            io.stimulator().command(now, v.stimEnabled(), v.stimMicroAmps(), v.pulseWidthMicros(), (int) Math.round(v.frequencyHz()));
        }
        io.heater().drive(v.heaterEnabled(), v.heaterDuty());
        session.observe(now, v, inputs, dt);
        session.heatResidual(now, supervisor.heatResidualCelsius());
        if (v.raisedBits() != 0 || v.clearedBits() != 0) {
            faultEvents(now, v);
        }
        if (session.takeAlert()) {
            io.annunciator().haptic(Annunciator.Haptic.ALERT); // electrode lift, battery low: the patient must notice
        }
        annunciate(v);
        publishStatus(now, v);
    }

    private void apply(long now, Pending p) {
        SessionCommand c = p.command();
        if (c instanceof SessionCommand.Press press && press.button() == Button.CLEAR) {
            if (press.source() != SessionCommand.Source.LOCAL) {
                p.reply().accept(CommandOutcome.rejected("a latched fault is cleared only at the device"));
            } else {
                long asked = press.atNanos() == SessionCommand.Press.NOT_STAMPED ? now : Math.min(press.atNanos(), now);
                long clearable = supervisor.latchedBefore(asked);
                if (clearable == 0) {
                    p.reply().accept(CommandOutcome.rejected(supervisor.latchedFaults() == 0 ? "no fault latched"
                            : "no fault latched when clear was pressed: press clear again"));
                } else {
                    // The board forgets its latched faults on CLEAR_FAULT: send it only for board faults this clear
                    // applies to, so a board fault that arrives with the clear is reported, not wiped unseen.
                    if ((clearable & BOARD_FAULTS) != 0) {
                        io.stimulator().clearFaults();
                    }
                    supervisor.requestClear(asked);
                    p.reply().accept(CommandOutcome.accepted());
                }
            }
            return;
        }
        if (c instanceof SessionCommand.Press press && (press.button() == Button.ESTOP || press.button() == Button.ESTOP_RELEASE)) {
            // The e-stop acts through its line (hardware and EstopLine); the press latches it in the record even
            // when the line is released again before the loop samples it.
            if (press.button() == Button.ESTOP) {
                supervisor.estopPressed();
            }
            p.reply().accept(CommandOutcome.accepted());
            return;
        }
        session.submit(now, c, p.reply());
    }

    private void faultEvents(long now, Verdict v) {
        for (FaultCode f : FaultCode.values()) {
            if ((v.raisedBits() & f.bit()) != 0) {
                events.emit(new SessionEvent("fault-raised", session.sessionId(), now,
                        Map.of("code", f.wireName(), "severity", f.severity().name().toLowerCase(), "description", f.description())));
            }
            if ((v.clearedBits() & f.bit()) != 0) {
                events.emit(new SessionEvent("fault-cleared", session.sessionId(), now, Map.of("code", f.wireName())));
            }
        }
        if (v.raisedBits() != 0) {
            io.annunciator().haptic(Annunciator.Haptic.FAULT);
        }
    }

    private void annunciate(Verdict v) {
        Annunciator.Led want = switch (session.state()) {
            case FAULT -> Annunciator.Led.FAULT;
            case PAUSED -> Annunciator.Led.PAUSED;
            case PRECHECK, RAMP_UP, ACTIVE, RAMP_DOWN -> Annunciator.Led.RUNNING;
            default -> Annunciator.Led.IDLE;
        };
        if (want != led) {
            led = want;
            io.annunciator().led(want);
        }
    }

    private void publishStatus(long now, Verdict v) {
        long stamp = statusLock.tryWriteLock();
        if (stamp == 0) {
            return;
        }
        try {
            PostureReading pr = inputs.posture();
            stAt = now;
            stState = session.state();
            stStimOn = v.stimEnabled();
            stMa = v.stimMilliAmps();
            stPw = v.pulseWidthMicros();
            stHz = v.frequencyHz();
            stMaMeasured = inputs.stim().measuredMicroAmps() / 1000.0;
            stImpedance = inputs.stim().impedanceOhms();
            stHeatOn = v.heaterEnabled();
            stDuty = v.heaterDuty();
            stSkin = inputs.skin().celsius();
            stPad = inputs.pad().celsius();
            stFlexion = pr.flexionDeg();
            stPosture = pr.postureClass();
            stBattery = inputs.battery().percent();
            stFaults = v.faultBits();
        } finally {
            statusLock.unlockWrite(stamp);
        }
    }

    /** A consistent copy for telemetry and the console; retries optimistic reads, never blocks the loop. */
    @Override
    public StatusSnapshot snapshot() {
        while (true) {
            long stamp = statusLock.tryOptimisticRead();
            var rx = session.prescription();
            StatusSnapshot s = new StatusSnapshot(stAt, session.sessionId(), stState.name(), rx == null ? null : rx.program(),
                    stStimOn, stMa, stMaMeasured, stPw, stHz, stImpedance, stHeatOn, stDuty, session.heatSetpointCelsius(),
                    stSkin, stPad, stFlexion, stPosture, session.deliveredMillis(), session.durationMillis(), stBattery,
                    faultNames(stFaults));
            if (stamp != 0 && statusLock.validate(stamp)) {
                return s;
            }
            Thread.onSpinWait();
        }
    }

    private static List<String> faultNames(long bits) {
        List<String> out = new ArrayList<>();
        for (FaultCode f : FaultCode.values()) {
            if ((bits & f.bit()) != 0) {
                out.add(f.wireName());
            }
        }
        return out;
    }

    public Session session() { return session; }

    public SafetySupervisor supervisor() { return supervisor; }

    public Verdict verdict() { return supervisor.verdict(); }

    /** Whether the session's heat controller is in charge this tick (heat prescribed, not ended, session live). */
    public boolean heatRequested() { return request.heaterEnabled(); }

    public Inputs inputs() { return inputs; }

    public long ticks() { return ticks; }
}
