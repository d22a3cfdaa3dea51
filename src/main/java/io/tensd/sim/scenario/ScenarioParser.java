package io.tensd.sim.scenario;

import io.tensd.config.ConfigException;
import io.tensd.config.Durations;
import io.tensd.config.YamlReader;
import io.tensd.config.YamlReader.Entry;
import io.tensd.hw.Button;
import io.tensd.sim.PadPlant;
import io.tensd.therapy.Prescription;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import io.tensd.therapy.Programs;
import io.tensd.therapy.Screening;

/** Reads scenario files strictly: every unknown key or value is an error with its file and line. */
public final class ScenarioParser {
    private static final Set<String> TOP = Set.of("name", "seed", "prescription", "timeline");
    /** Program parameters (docs/scenarios.md "Programs"); which ones a program takes is checked by Programs. */
    private static final Set<String> PROGRAM_PARAMS = Set.of("burstRateHz", "burstPulseHz", "pulsesPerBurst", "modulate",
            "depthPercent", "periodS");
    private static final Set<String> RX = java.util.stream.Stream.concat(Stream.of("program", "frequencyHz",
            "pulseWidthMicros", "targetMilliAmps", "maxMilliAmps", "durationMinutes", "heat", "habituation", "screening"),
            PROGRAM_PARAMS.stream()).collect(java.util.stream.Collectors.toUnmodifiableSet());
    private static final Set<String> ENTRY = Set.of("at", "inject", "press", "posture", "exercise", "broker", "command");
    private static final Set<String> ACTIONS = Set.of("inject", "press", "posture", "exercise", "broker", "command");
    private static final Map<String, Button> PRESSES = Map.of("up", Button.UP, "down", Button.DOWN, "pause", Button.PAUSE,
            "resume", Button.RESUME, "stop", Button.STOP, "estop", Button.ESTOP, "clear", Button.CLEAR, "start", Button.START);

    static final long MAX_AT_MILLIS = 24 * 3_600_000L;
    /** Heat setpoints a prescription may name: 37 °C … the highest ceiling a limits file allows (43 °C) − 1. */
    static final double MIN_SETPOINT_CELSIUS = 37.0;
    static final double MAX_SETPOINT_CELSIUS = 42.0;

    private ScenarioParser() { }

    public static Scenario parse(Path file) throws ConfigException {
        return parse(YamlReader.read(file));
    }

    public static Scenario parse(String fileName, Reader reader) throws ConfigException {
        return parse(YamlReader.read(fileName, reader));
    }

    private static Scenario parse(Entry root) throws ConfigException {
        Map<String, Entry> top = root.map(TOP);
        String name = require(root, top, "name").map(e -> e.string("")).orElse("");
        long seed = top.containsKey("seed") ? top.get("seed").integer(0, 0, Integer.MAX_VALUE) : 1L;
        PadPlant[] plant = {PadPlant.NOMINAL};
        Prescription rx = require(root, top, "prescription").map(e -> prescription(e, plant)).orElse(null);
        List<TimelineEntry> timeline = new ArrayList<>();
        if (top.containsKey("timeline")) {
            for (Entry e : top.get("timeline").list()) {
                entry(e).ifPresent(timeline::add);
            }
        }
        root.throwIfErrors();
        timeline.sort(Comparator.comparingLong(TimelineEntry::atMillis));
        return new Scenario(root.file(), name, seed, rx, timeline, plant[0]);
    }

    private static Optional<Entry> require(Entry parent, Map<String, Entry> map, String key) {
        Entry e = map.get(key);
        if (e == null) {
            parent.error("missing required key '" + key + "'");
        }
        return Optional.ofNullable(e);
    }

    /**
     * A scenario without a {@code screening:} block stands for a device the clinic has set up after a clean
     * screening: it gets {@link Screening#clear} with source "scenario-default" (recorded in the session-started
     * event). Give a block to test refusals; a block must answer every question.
     */
    private static Prescription prescription(Entry e, PadPlant[] plant) {
        Map<String, Entry> m = e.map(RX);
        String program = require(e, m, "program").map(x -> x.string("conventional")).orElse("conventional");
        Map<String, Object> params = new LinkedHashMap<>();
        for (String k : PROGRAM_PARAMS) {
            if (m.containsKey(k)) {
                Entry x = m.get(k);
                params.put(k, k.equals("modulate") ? x.string("") : (Object) x.number(0, -1e9, 1e9));
            }
        }
        double hz;
        if (!m.containsKey("frequencyHz") && program.equals("burst") && params.containsKey("burstPulseHz")) {
            hz = (Double) params.get("burstPulseHz");
        } else {
            hz = require(e, m, "frequencyHz").map(x -> x.number(100, 0.1, 1000)).orElse(100.0);
        }
        int pw = require(e, m, "pulseWidthMicros").map(x -> x.integer(150, 1, 10_000)).orElse(150);
        double target = require(e, m, "targetMilliAmps").map(x -> x.number(10, 0.1, 200)).orElse(10.0);
        double max = m.containsKey("maxMilliAmps") ? m.get("maxMilliAmps").number(target, 0.1, 200) : target;
        if (max < target) {
            m.get("maxMilliAmps").error("maxMilliAmps " + fmt(max) + " is below targetMilliAmps " + fmt(target)
                    + ": the session could never reach its target");
        }
        int minutes = require(e, m, "durationMinutes").map(x -> x.integer(30, 1, 24 * 60)).orElse(30);
        Optional<Prescription.Heat> heat = Optional.empty();
        if (m.containsKey("heat")) {
            Entry he = m.get("heat");
            Map<String, Entry> h = he.map(Set.of("setpointCelsius", "mode", "alternateMinutes", "plant"));
            if (h.containsKey("plant")) {
                plant[0] = plant(h.get("plant"));
            }
            // The session also clamps to the limits file's ceiling − 1 (with the reason heat-setpoint-ceiling).
            double sp = require(he, h, "setpointCelsius").map(x -> x.number(40, -1e9, 1e9)).orElse(40.0);
            if (!(sp >= MIN_SETPOINT_CELSIUS && sp <= MAX_SETPOINT_CELSIUS)) {
                h.get("setpointCelsius").error("heat setpoint must be between " + fmt(MIN_SETPOINT_CELSIUS) + " and "
                        + fmt(MAX_SETPOINT_CELSIUS) + " °C (below 37 heat does nothing useful; the highest skin ceiling a "
                        + "limits file may set is 43, and the setpoint stays 1 under it), got " + fmt(sp));
            }
            Prescription.HeatMode mode = h.containsKey("mode")
                    ? h.get("mode").parse(Prescription.HeatMode::fromWire).orElse(Prescription.HeatMode.SIMULTANEOUS)
                    : Prescription.HeatMode.SIMULTANEOUS;
            double alt = h.containsKey("alternateMinutes") ? h.get("alternateMinutes").number(5, 1, 30) : 5.0;
            heat = Optional.of(new Prescription.Heat(sp, mode, alt));
        }
        Optional<Prescription.Habituation> habituation = Optional.empty();
        if (m.containsKey("habituation")) {
            Entry he = m.get("habituation");
            Map<String, Entry> h = he.map(Set.of("stepMilliAmps", "intervalS"));
            double step = require(he, h, "stepMilliAmps").map(x -> x.number(1, 0.1, 5)).orElse(1.0);
            double every = require(he, h, "intervalS").map(x -> x.number(300, 30, 3600)).orElse(300.0);
            habituation = Optional.of(new Prescription.Habituation(step, every));
        }
        Screening screening = Screening.clear("scenario-default");
        if (m.containsKey("screening")) {
            screening = screening(m.get("screening"));
        }
        Prescription rx = new Prescription(program, hz, pw, target, max, minutes, heat, params, habituation,
                Optional.of(screening));
        try {
            Programs.of(rx);
        } catch (IllegalArgumentException ex) {
            // An unknown name is the program key's fault; other refusals concern the prescription as a whole.
            m.getOrDefault(Programs.WIRE_NAMES.contains(program) ? "" : "program", e).error(ex.getMessage());
        }
        return rx;
    }

    /** {@code plant: { gainScale, tauScale, couplingScale }}, each 0.5–2, default 1: the simulated pad. */
    private static PadPlant plant(Entry e) {
        Map<String, Entry> p = e.map(Set.of("gainScale", "tauScale", "couplingScale"));
        double[] v = new double[3];
        String[] keys = {"gainScale", "tauScale", "couplingScale"};
        for (int i = 0; i < 3; i++) {
            // out of range: number() reports FILE:LINE and returns the default
            v[i] = p.containsKey(keys[i]) ? p.get(keys[i]).number(1, PadPlant.MIN_SCALE, PadPlant.MAX_SCALE) : 1;
        }
        return new PadPlant(v[0], v[1], v[2]);
    }

    private static Screening screening(Entry e) {
        Set<String> allowed = new java.util.HashSet<>(Screening.RedFlag.wireNames());
        allowed.add("source");
        Map<String, Entry> m = e.map(allowed);
        Map<Screening.RedFlag, Boolean> answers = new java.util.EnumMap<>(Screening.RedFlag.class);
        for (var kv : m.entrySet()) {
            Screening.RedFlag f = Screening.RedFlag.fromWire(kv.getKey());
            if (f != null) {
                answers.put(f, kv.getValue().bool(true));
            }
        }
        String source = m.containsKey("source") ? m.get("source").string("clinic") : "clinic";
        return new Screening(answers, source);
    }

    private static Optional<TimelineEntry> entry(Entry e) {
        Map<String, Entry> m = e.map(ENTRY);
        Optional<Long> at = require(e, m, "at").flatMap(x -> x.parse(ScenarioParser::atMillis));
        List<String> actions = m.keySet().stream().filter(ACTIONS::contains).toList();
        if (actions.size() != 1) {
            e.error("each timeline entry needs exactly one of " + String.join(", ", ACTIONS.stream().sorted().toList())
                    + (actions.isEmpty() ? "" : " (found " + String.join(", ", actions) + ")"));
            return Optional.empty();
        }
        Entry a = m.get(actions.get(0));
        Optional<Action> action = switch (actions.get(0)) {
            case "inject" -> inject(a);
            case "press" -> a.parse(v -> {
                Button b = PRESSES.get(v);
                if (b == null) {
                    throw new IllegalArgumentException("unknown button '" + v + "' (allowed: up, down, pause, resume, stop, estop, clear, start)");
                }
                return new Action.Press(b);
            });
            case "posture" -> posture(a);
            case "exercise" -> exercise(a);
            case "broker" -> a.parse(v -> switch (v) {
                case "up" -> new Action.Broker(true);
                case "down" -> new Action.Broker(false);
                default -> throw new IllegalArgumentException("broker must be up or down, got '" + v + "'");
            });
            case "command" -> command(a);
            default -> Optional.empty();
        };
        if (at.isEmpty() || action.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TimelineEntry(at.get(), e.line(), action.get()));
    }

    /** A timeline time: at most {@link #MAX_AT_MILLIS} (a day), so the run's end time cannot overflow. */
    private static long atMillis(String v) {
        long ms = Durations.parseMillis(v);
        if (ms > MAX_AT_MILLIS) {
            throw new IllegalArgumentException("at must be at most 24h, got '" + v + "'");
        }
        return ms;
    }

    private static Optional<Action> inject(Entry a) {
        Map<String, Entry> m = a.map();
        if (m.size() != 1) {
            a.error("inject takes exactly one target: " + targets());
            return Optional.empty();
        }
        var kv = m.entrySet().iterator().next();
        InjectTarget target = InjectTarget.fromWire(kv.getKey());
        if (target == null) {
            kv.getValue().error("unknown inject target '" + kv.getKey() + "' (allowed: " + targets() + ")");
            return Optional.empty();
        }
        return kv.getValue().parse(v -> injectValue(target, v));
    }

    private static String targets() {
        return String.join(", ", java.util.Arrays.stream(InjectTarget.values()).map(InjectTarget::wireName).toList());
    }

    static Action.Inject injectValue(InjectTarget t, String v) {
        String head = v.contains(":") ? v.substring(0, v.indexOf(':')) : v;
        String arg = v.contains(":") ? v.substring(v.indexOf(':') + 1) : null;
        boolean ok = switch (t) {
            case SKIN_SENSOR, PAD_SENSOR -> switch (head) {
                case "open", "short", "stuck", "ok" -> arg == null;
                case "drift", "noise" -> arg != null;
                default -> false;
            };
            case STIMULATOR -> switch (head) {
                case "disconnect", "mute", "overcurrent", "reset", "ok" -> arg == null;
                case "corrupt" -> arg != null;
                default -> false;
            };
            case ELECTRODE -> arg == null && (head.equals("lift") || head.equals("restore"));
            case HEATER -> arg == null && (head.equals("stuck-on") || head.equals("detached") || head.equals("ok"));
            case LOOP -> head.equals("stall") && arg != null;
            case BATTERY -> arg == null && (head.equals("low") || head.equals("critical") || head.equals("ok"));
        };
        if (!ok) {
            throw new IllegalArgumentException("'" + v + "' is not a value for " + t.wireName() + " (allowed: "
                    + String.join(", ", t.accepted()) + ")");
        }
        double amount = Double.NaN;
        if (arg != null) {
            if (t == InjectTarget.LOOP) {
                amount = Durations.parseMillis(arg);
                if (amount <= 0 || amount > 60_000) {
                    throw new IllegalArgumentException("stall must be between 1ms and 60s, got '" + arg + "'");
                }
            } else {
                try {
                    amount = Double.parseDouble(arg);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + arg + "' in '" + v + "' is not a number");
                }
                if (head.equals("corrupt") && !(amount >= 0 && amount <= 1)) {
                    throw new IllegalArgumentException("corrupt takes a fraction between 0 and 1, got " + arg);
                }
                if (head.equals("noise") && !(amount >= 0 && amount <= 10)) {
                    throw new IllegalArgumentException("noise takes a sigma between 0 and 10 °C, got " + arg);
                }
                if (head.equals("drift") && !(Math.abs(amount) <= 20)) {
                    throw new IllegalArgumentException("drift takes an offset between -20 and +20 °C, got " + arg);
                }
            }
        }
        return new Action.Inject(t, head, amount);
    }

    private static Optional<Action> posture(Entry a) {
        Map<String, Entry> m = a.map(Set.of("flexionDeg", "lateralDeg", "over"));
        double flex = require(a, m, "flexionDeg").map(x -> x.number(0, -60, 120)).orElse(0.0);
        double lat = m.containsKey("lateralDeg") ? m.get("lateralDeg").number(0, -60, 60) : 0.0;
        long over = m.containsKey("over") ? m.get("over").parse(Durations::parseMillis).orElse(0L) : 0L;
        return Optional.of(new Action.Posture(flex, lat, over));
    }

    private static Optional<Action> exercise(Entry a) {
        Map<String, Entry> m = a.map(Set.of("type", "reps", "periodS"));
        String type = require(a, m, "type").flatMap(x -> x.parse(v -> {
            io.tensd.posture.Exercise.fromWire(v);
            return v;
        })).orElse("");
        int reps = require(a, m, "reps").map(x -> x.integer(10, 1, 100)).orElse(10);
        double period = m.containsKey("periodS") ? m.get("periodS").number(4, 1, 60) : 4.0;
        return Optional.of(new Action.Exercise(type, reps, period));
    }

    private static Optional<Action> command(Entry a) {
        Map<String, Entry> m = a.map();
        Entry nameE = m.get("name");
        if (nameE == null) {
            a.error("command needs 'name' (start-session, stop, pause, resume, set-intensity, set-heat, rebirth)");
            return Optional.empty();
        }
        String name = nameE.string("");
        Map<String, Object> payload = new LinkedHashMap<>();
        for (var kv : m.entrySet()) {
            if (!kv.getKey().equals("name")) {
                payload.put(kv.getKey(), plain(kv.getValue()));
            }
        }
        return Optional.of(new Action.Command(name, payload));
    }

    /** YAML subtree as plain Java values for a JSON payload; numbers stay numbers. */
    private static Object plain(Entry e) {
        if (e.isMap()) {
            Map<String, Object> out = new LinkedHashMap<>();
            e.map().forEach((k, v) -> out.put(k, plain(v)));
            return out;
        }
        if (e.isList()) {
            return e.list().stream().map(ScenarioParser::plain).toList();
        }
        String s = e.string("");
        try {
            return s.contains(".") || s.contains("e") || s.contains("E") ? (Object) Double.parseDouble(s) : (Object) Long.parseLong(s);
        } catch (NumberFormatException ex) {
            return switch (s) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> s;
            };
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
