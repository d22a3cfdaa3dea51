package io.tensd.bench;

import io.tensd.config.ConfigException;
import io.tensd.config.Limits;
import io.tensd.loop.DeviceController;
import io.tensd.safety.FaultCode;
import io.tensd.safety.Verdict;
import io.tensd.session.SessionEvent;
import io.tensd.session.SessionState;
import io.tensd.sim.SimDevice;
import io.tensd.sim.scenario.RunReport;
import io.tensd.sim.scenario.Scenario;
import io.tensd.sim.scenario.ScenarioParser;
import io.tensd.sim.scenario.ScenarioRunner;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every injectable fault × every session phase, generated as scenario files (the same YAML a person would
 * write, parsed by {@link ScenarioParser}) and run through {@link ScenarioRunner} in virtual time.
 *
 * <p>A fault cell passes when, after the injection, (1) one of the faults expected for that injection latched;
 * (2) the supervisor's outputs were safe within one loop period of that detection; (3) the board's output
 * and the heater's power were zero within one period of detection, or within the board's lease when the fault
 * is the link itself (then only the board's own lease can cut); (4) they stayed zero to the end of the run; and
 * (5) the true skin temperature (the thermal model, not a sensor) never reached the ceiling. An electrode lift
 * is not a fault: it must pause at 0 mA within one period of the board reporting it, latch nothing, and the
 * session must complete after contact is restored.
 *
 * <p>Where the faulty part is not energised for the rest of the session (a stuck heater MOSFET after heat has
 * ended), nothing can observe it: such cells are listed as {@link Expect#latent} with the reason, and pass when
 * nothing unsafe happens (no fault, outputs safe at the end, skin under the ceiling).
 */
public final class ReliabilityMatrix {
    public static final int LOOP_HZ = 100;
    static final long MS = 1_000_000L;

    /** Session phases the injection lands in. {@code atMillis} is when the injection happens in the generated scenario. */
    public enum Phase {
        PRECHECK("precheck", SessionState.PRECHECK, 200),
        RAMP_UP("ramp-up", SessionState.RAMP_UP, 3_000),
        ACTIVE("active", SessionState.ACTIVE, 90_000),
        PAUSED("paused", SessionState.PAUSED, 90_000),
        /** 3 s before the end of the session; see {@link #atMillis(Injection)}. */
        RAMP_DOWN("ramp-down", SessionState.RAMP_DOWN, -3_000);

        final String label;
        final SessionState state;
        final long atMillis;

        Phase(String label, SessionState state, long atMillis) {
            this.label = label;
            this.state = state;
            this.atMillis = atMillis;
        }

        public String label() { return label; }

        long atMillis(Injection inj) {
            return atMillis >= 0 ? atMillis : inj.sessionMinutes() * 60_000L + atMillis;
        }
    }

    /** What must happen after an injection. */
    public sealed interface Expect {
        /** One of {@code faults} must latch. */
        record Fault(Set<FaultCode> faults) implements Expect { }

        /** Electrode lift: pause at 0 mA, no fault. {@code duringStimulation} false: precheck must not pass instead. */
        record Pause() implements Expect { }

        /** Nothing can see it in this phase (reason given); nothing unsafe may happen. */
        record Latent(String reason) implements Expect { }

        static Expect faults(FaultCode... f) { return new Fault(EnumSet.of(f[0], f)); }

        static Expect latent(String reason) { return new Latent(reason); }
    }

    /** One injection: its scenario line, and the follow-up that makes the cell observable. */
    public record Injection(String label, String yaml, String undo, int sessionMinutes) {
        Injection(String label, String yaml, String undo) {
            this(label, yaml, undo, 3);
        }

        boolean isEstop() { return label.equals("press: estop"); }
    }

    public record Cell(String fault, String phase, String phaseSeen, String expected, String endState, String latched,
                       Double detectMs, Double safeMs, Double boardZeroMs, double maxSkinC, boolean pass, String why,
                       String scenarioYaml, String knownDefect) { }


    /**
     * Cells that fail because of a defect found by this matrix and reported to the lead, not yet fixed (the code
     * belongs to work in progress). ReliabilityMatrixTest insists they still fail, so a fix shows up as a stale
     * entry to delete here.
     */
    static final java.util.Map<String, String> KNOWN_DEFECTS = java.util.Map.of();

    /** Injections of the matrix: every fault value of every inject target, plus the e-stop and a long loop stall. */
    public static List<Injection> injections() {
        List<Injection> out = new ArrayList<>();
        for (String s : List.of("skin-sensor", "pad-sensor")) {
            for (String v : List.of("open", "short", "stuck", "drift:+6", "drift:-6", "noise:3")) {
                out.add(new Injection(s + ": " + v, "inject: { " + s + ": \"" + v + "\" }", null));
            }
        }
        for (String v : List.of("disconnect", "mute", "corrupt:1.0", "overcurrent", "reset")) {
            out.add(new Injection("stimulator: " + v, "inject: { stimulator: \"" + v + "\" }", null));
        }
        // A stuck MOSFET shows only once the controller backs the duty off near the setpoint (about 2 minutes
        // of heating), so this row runs a 10-minute session.
        out.add(new Injection("heater: stuck-on", "inject: { heater: stuck-on }", null, 10));
        out.add(new Injection("heater: detached", "inject: { heater: detached }", null));
        out.add(new Injection("loop: stall:300ms", "inject: { loop: \"stall:300ms\" }", null));
        out.add(new Injection("press: estop", "press: estop", null));
        out.add(new Injection("electrode: lift", "inject: { electrode: lift }", "inject: { electrode: restore }"));
        return out;
    }

    /**
     * The expected outcome per injection and phase, with the reasoning: each is what the supervisor's rules
     * (docs/hazards.md) say must catch that failure.
     */
    public static Expect expect(Injection inj, Phase phase) {
        boolean heatLater = phase != Phase.RAMP_DOWN; // heat runs again later in the session in every other phase
        String l = inj.label();
        if (l.startsWith("skin-sensor") || l.startsWith("pad-sensor")) {
            boolean skin = l.startsWith("skin");
            FaultCode fault = skin ? FaultCode.SKIN_SENSOR_FAULT : FaultCode.PAD_SENSOR_FAULT;
            FaultCode stuck = skin ? FaultCode.SKIN_SENSOR_STUCK : FaultCode.PAD_SENSOR_STUCK;
            FaultCode rate = skin ? FaultCode.SKIN_SENSOR_RATE : FaultCode.PAD_SENSOR_RATE;
            String v = l.substring(l.indexOf(": ") + 2);
            return switch (v) {
                case "open", "short" -> Expect.faults(fault);
                // its own stuck check (60 s), or the cross-check if heating moves the other channel first
                case "stuck" -> Expect.faults(stuck, FaultCode.TEMP_CHANNEL_MISMATCH);
                case "noise:3" -> Expect.faults(rate);
                // a channel reading 6 °C off: the cross-check, or a ceiling/runaway rule on the reading
                // a pad reading rising with the heater off is also the runaway rule's business
                default -> !skin
                        ? Expect.faults(FaultCode.TEMP_CHANNEL_MISMATCH, FaultCode.HEATER_RUNAWAY)
                        : v.equals("drift:-6") && !heatLater
                            ? Expect.latent("skin channel reading low once heat is over: the cross-checks compare only while"
                                    + " heating (SafetySettings.idleAgreementCelsius exists but no rule uses it)")
                            : Expect.faults(FaultCode.TEMP_CHANNEL_MISMATCH, FaultCode.SKIN_OVER_CEILING,
                                    FaultCode.HEATER_RUNAWAY, FaultCode.HEATER_WATCH);
            };
        }
        if (l.startsWith("stimulator")) {
            return switch (l) {
                case "stimulator: overcurrent" -> Expect.faults(FaultCode.STIM_OVERCURRENT);
                case "stimulator: reset" -> Expect.faults(FaultCode.STIM_BOARD_RESET);
                default -> Expect.faults(FaultCode.STIM_LINK_LOST, FaultCode.STIM_LEASE_EXPIRED);
            };
        }
        if (l.equals("heater: stuck-on") || l.equals("heater: detached")) {
            if (!heatLater) {
                return Expect.latent("heater enable is off for the rest of the session (ramp-down): the fault is not energised");
            }
            return Expect.faults(FaultCode.HEATER_RUNAWAY, FaultCode.TEMP_CHANNEL_MISMATCH, FaultCode.HEATER_WATCH,
                    FaultCode.SKIN_OVER_CEILING);
        }
        if (l.startsWith("loop")) {
            return Expect.faults(FaultCode.LOOP_OVERRUN);
        }
        if (inj.isEstop()) {
            return Expect.faults(FaultCode.ESTOP);
        }
        return new Expect.Pause();
    }

    /** The scenario of one cell: a 3-minute session with heat, the injection placed in {@code phase}. */
    public static String scenarioYaml(Injection inj, Phase phase, long seed) {
        StringBuilder y = new StringBuilder();
        y.append("name: \"matrix ").append(inj.label().replace("\"", "")).append(" during ").append(phase.label).append("\"\n");
        y.append("seed: ").append(seed).append('\n');
        y.append("prescription:\n  program: conventional\n  frequencyHz: 100\n  pulseWidthMicros: 150\n")
                .append("  targetMilliAmps: 10.0\n  durationMinutes: ").append(inj.sessionMinutes())
                .append("\n  heat: { setpointCelsius: 40.0 }\n");
        y.append("timeline:\n");
        long at = phase.atMillis(inj);
        if (phase == Phase.PAUSED) {
            entry(y, at - 10_000, "press: pause");
            entry(y, at, inj.yaml());
            entry(y, at + 10_000, "press: resume");
            if (inj.undo() != null) {
                entry(y, at + 20_000, inj.undo());
            }
        } else {
            entry(y, at, inj.yaml());
            if (inj.undo() != null) {
                entry(y, at + 10_000, inj.undo());
            }
        }
        // keep the run going after the session so slow detectors (stuck: 60 s) get their chance
        entry(y, at + 150_000, "broker: up");
        return y.toString();
    }

    private static void entry(StringBuilder y, long atMillis, String action) {
        y.append("  - at: ").append(atMillis).append("ms\n    ").append(action).append('\n');
    }

    /** Runs every cell. */
    public static List<Cell> runAll() {
        List<Cell> cells = new ArrayList<>();
        long seed = 1000;
        for (Injection inj : injections()) {
            for (Phase p : Phase.values()) {
                cells.add(run(inj, p, seed++));
            }
        }
        return cells;
    }

    /** Per-tick observations of one cell, taken on the runner thread after each tick. */
    private static final class Watch implements ScenarioRunner.Hooks {
        final long injectAtMillis;
        final Expect expect;
        final long periodNanos;
        long t0 = Long.MIN_VALUE;
        SimDevice device;
        List<SessionEvent> events;
        int eventsSeen;
        SessionState phaseSeen;
        long detectNanos = -1;
        long safeNanos = -1;
        long boardZeroNanos = -1;
        String violation;
        long latchedAfter;

        Watch(long injectAtMillis, Expect expect, long periodNanos) {
            this.injectAtMillis = injectAtMillis;
            this.expect = expect;
            this.periodNanos = periodNanos;
        }

        @Override
        public void afterTick(long now, DeviceController c) {
            if (t0 == Long.MIN_VALUE) {
                t0 = now;
            }
            long tMs = (now - t0) / MS;
            SessionState state = c.session().state();
            if (tMs < injectAtMillis) {
                phaseSeen = state;
                eventsSeen = events.size();
                return;
            }
            Verdict v = c.verdict();
            latchedAfter |= v.raisedBits();
            boolean lift = false;
            for (; eventsSeen < events.size(); eventsSeen++) {
                lift |= events.get(eventsSeen).type().equals("electrode-lift");
            }
            boolean boardZero = device.board().appliedAmplitudeMicroAmps(now) == 0 && device.heater().powerFraction() == 0;
            if (detectNanos < 0) {
                boolean seen = expect instanceof Expect.Fault f ? anyOf(v.raisedBits(), f.faults())
                        : expect instanceof Expect.Pause && lift;
                if (seen) {
                    detectNanos = now;
                }
            }
            if (detectNanos >= 0) {
                boolean safe = expect instanceof Expect.Pause ? v.stimMilliAmps() == 0 && !v.heaterEnabled() : v.outputsSafe();
                if (safeNanos < 0 && safe) {
                    safeNanos = now;
                }
                if (boardZeroNanos < 0 && boardZero) {
                    boardZeroNanos = now;
                }
                if (expect instanceof Expect.Fault && boardZeroNanos >= 0 && !boardZero && violation == null) {
                    violation = String.format(Locale.ROOT, "board output or heater power back on at %.2f s without a clear",
                            (now - t0) / 1e9);
                }
            }
        }

        static boolean anyOf(long bits, Set<FaultCode> set) {
            for (FaultCode f : set) {
                if ((bits & f.bit()) != 0) {
                    return true;
                }
            }
            return false;
        }
    }

    public static Cell run(Injection inj, Phase phase, long seed) {
        String yaml = scenarioYaml(inj, phase, seed);
        Scenario sc;
        try {
            sc = ScenarioParser.parse("matrix.yaml", new StringReader(yaml));
        } catch (ConfigException e) {
            throw new IllegalStateException("generated scenario does not parse: " + e.getMessage() + "\n" + yaml, e);
        }
        Limits limits = Limits.defaults();
        Expect expect = expect(inj, phase);
        long period = 1_000_000_000L / LOOP_HZ;
        long atMs = phase.atMillis(inj);
        Watch w = new Watch(atMs, expect, period);
        ScenarioRunner runner = new ScenarioRunner(sc, ScenarioRunner.Options.defaults(limits).withLoopRate(LOOP_HZ).withHooks(w));
        w.device = runner.device();
        w.events = runner.events();
        RunReport r = runner.run();
        long injectNanos = w.t0 + atMs * MS;
        List<String> why = new ArrayList<>();
        String seen = w.phaseSeen == null ? "?" : label(w.phaseSeen);
        if (w.phaseSeen != phase.state) {
            why.add("injected in " + seen + ", not " + phase.label);
        }
        double maxSkin = r.max().skinC() == null ? Double.NaN : r.max().skinC();
        if (!(maxSkin < limits.skinCeilingCelsius())) {
            why.add(String.format(Locale.ROOT, "true skin reached %.2f °C (ceiling %.1f)", maxSkin, limits.skinCeilingCelsius()));
        }
        if (w.violation != null) {
            why.add(w.violation);
        }
        long lease = limits.stimulatorLeaseMillis() * MS;
        boolean linkFault = inj.label().startsWith("stimulator: disconnect") || inj.label().startsWith("stimulator: corrupt")
                || inj.label().startsWith("loop");
        String expected;
        if (expect instanceof Expect.Fault f) {
            expected = f.faults().stream().map(FaultCode::wireName).collect(Collectors.joining(" | "));
            if (w.detectNanos < 0) {
                why.add("no expected fault latched");
            } else {
                if (w.safeNanos < 0 || w.safeNanos - w.detectNanos > period) {
                    why.add("outputs not safe within one loop period of detection");
                }
                long allowed = linkFault ? Math.max(period, lease) : period;
                if (w.boardZeroNanos < 0 || w.boardZeroNanos - w.detectNanos > allowed) {
                    why.add("board output / heater power not zero within " + allowed / MS + " ms of detection");
                }
            }
        } else if (expect instanceof Expect.Pause) {
            expected = phase == Phase.PRECHECK ? "no stimulation (precheck fails)" : "PAUSED at 0 mA, no fault";
            if (w.latchedAfter != 0) {
                why.add("fault latched: " + FaultCode.join(w.latchedAfter, "|"));
            }
            if (phase == Phase.PRECHECK) {
                if (r.summary() == null || !String.valueOf(r.endReason()).startsWith("precheck-failed")) {
                    // precheck must refuse to start on a lifted electrode, or pause at once if it did start
                    if (w.detectNanos < 0) {
                        why.add("precheck passed with a lifted electrode and no pause followed");
                    }
                }
            } else if (w.detectNanos < 0) {
                why.add("no pause after the lift");
            } else if (w.safeNanos < 0 || w.safeNanos - w.detectNanos > period) {
                why.add("not at 0 mA within one loop period of the pause");
            } else if (w.boardZeroNanos < 0 || w.boardZeroNanos - w.detectNanos > period) {
                why.add("board output not zero within one loop period of the pause");
            }
        } else {
            expected = "latent: " + ((Expect.Latent) expect).reason();
            // A latent condition need not be detected; if a check does catch it (e.g. the cross-check once
            // the enable line is open at duty 0), that is a detection, and the output check below still holds.
            if (w.latchedAfter != 0) {
                expected += " (detected anyway: " + FaultCode.join(w.latchedAfter, "|") + ")";
            }
            if (runner.device().board().appliedAmplitudeMicroAmps(runner.clock().nanos()) != 0
                    || runner.device().heater().powerFraction() != 0) {
                why.add("outputs not off at the end");
            }
        }
        Double detectMs = w.detectNanos < 0 ? null : (w.detectNanos - injectNanos) / 1e6;
        Double safeMs = w.detectNanos < 0 || w.safeNanos < 0 ? null : (w.safeNanos - w.detectNanos) / 1e6;
        Double zeroMs = w.detectNanos < 0 || w.boardZeroNanos < 0 ? null : (w.boardZeroNanos - w.detectNanos) / 1e6;
        String latched = w.latchedAfter == 0 ? "-" : FaultCode.join(w.latchedAfter, " ");
        return new Cell(inj.label(), phase.label, seen, expected, r.endState() + (r.endReason() == null ? "" : " (" + r.endReason() + ")"),
                latched, detectMs, safeMs, zeroMs, maxSkin, why.isEmpty(), String.join("; ", why), yaml,
                KNOWN_DEFECTS.get(inj.label() + "/" + phase.label));
    }

    static String label(SessionState s) {
        return s.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The matrix as a markdown table (docs/reliability-matrix.md). */
    public static String markdown(List<Cell> cells) {
        StringBuilder sb = new StringBuilder();
        sb.append("| fault | phase | end state | latched | detection ms | safe ms | board 0 ms | max true skin °C | result |\n");
        sb.append("|---|---|---|---|---:|---:|---:|---:|---|\n");
        for (Cell c : cells) {
            sb.append("| ").append(c.fault()).append(" | ").append(c.phase()).append(" | ").append(c.endState())
                    .append(" | ").append(c.latched()).append(" | ").append(num(c.detectMs())).append(" | ").append(num(c.safeMs()))
                    .append(" | ").append(num(c.boardZeroMs())).append(" | ").append(String.format(Locale.ROOT, "%.2f", c.maxSkinC()))
                    .append(" | ").append(c.pass() ? "pass" : (c.knownDefect() != null ? "**FAIL (known defect)**: " : "**FAIL**: ") + c.why())
                    .append(" |\n");
        }
        return sb.toString();
    }

    /** Expected outcome per injection and phase, for the documentation. */
    public static String expectations() {
        StringBuilder sb = new StringBuilder("| injection | phase | expected |\n|---|---|---|\n");
        for (Injection inj : injections()) {
            for (Phase p : Phase.values()) {
                Expect e = expect(inj, p);
                String text = e instanceof Expect.Fault f
                        ? f.faults().stream().map(FaultCode::wireName).collect(Collectors.joining(" or "))
                        : e instanceof Expect.Latent lt ? "latent: " + lt.reason()
                        : p == Phase.PRECHECK ? "precheck refuses to start (no fault)" : "PAUSED at 0 mA, no fault; resumes after restore";
                sb.append("| ").append(inj.label()).append(" | ").append(p.label).append(" | ").append(text).append(" |\n");
            }
        }
        return sb.toString();
    }

    private static String num(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.0f", v);
    }

    /** The first event of {@code type}, or null (used by tests that look at pauses). */
    static SessionEvent first(List<SessionEvent> events, String type) {
        for (SessionEvent e : events) {
            if (e.type().equals(type)) {
                return e;
            }
        }
        return null;
    }
}
