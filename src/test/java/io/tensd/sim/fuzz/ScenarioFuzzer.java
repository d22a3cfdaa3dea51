package io.tensd.sim.fuzz;

import io.tensd.config.ConfigException;
import io.tensd.config.Limits;
import io.tensd.config.LimitsLoader;
import io.tensd.hw.Button;
import io.tensd.loop.DeviceController;
import io.tensd.safety.SafetySettings;
import io.tensd.session.SessionCommand;
import io.tensd.session.SessionSettings;
import io.tensd.sim.scenario.Action;
import io.tensd.sim.scenario.RunReport;
import io.tensd.sim.scenario.Scenario;
import io.tensd.sim.scenario.ScenarioParser;
import io.tensd.sim.scenario.ScenarioRunner;
import io.tensd.sim.scenario.TraceWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Seeded random scenarios against the simulated device, every trace row checked by {@link TraceRuleChecker}: a
 * random limits file, a prescription inside or outside those limits (a start the session may refuse, or a file the
 * parser must refuse with FILE:LINE), and a timeline of injections, button presses, loop stalls and remote commands
 * (applied through the loop's command gateway, as the MQTT side would). One seed gives one scenario.
 */
public final class ScenarioFuzzer {
    private static final Pattern FILE_LINE = Pattern.compile("^fuzz-\\d+\\.yaml:\\d+: .+: .+");
    private static final String[] PROGRAMS = {"conventional", "conventional", "acupuncture-like", "burst", "modulated"};

    /** What one scenario gave: refused at parse time (with a well-formed error) or run and checked. */
    public record Outcome(long seed, boolean parseRefused, int rows, List<String> violations, String scenarioYaml, String limitsYaml,
                          String refusal) { }

    private final Path dir;

    /** @param dir where the limits files are written (the loader reads a file, as the daemon does) */
    public ScenarioFuzzer(Path dir) { this.dir = dir; }

    public Outcome run(long seed) {
        Random r = new Random(seed);
        String limitsYaml = limitsYaml(r);
        String yaml = scenarioYaml(r, seed);
        Limits limits;
        try {
            Path f = dir.resolve("limits-" + seed + ".yaml");
            Files.writeString(f, limitsYaml);
            limits = LimitsLoader.load(f);
            Files.delete(f);
        } catch (ConfigException e) {
            throw new AssertionError("seed " + seed + ": the generated limits file is refused: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Scenario sc;
        try {
            sc = ScenarioParser.parse("fuzz-" + seed + ".yaml", new StringReader(yaml));
        } catch (ConfigException e) {
            List<String> bad = e.errors().stream().map(Object::toString).filter(x -> !FILE_LINE.matcher(x).matches()).toList();
            return new Outcome(seed, true, 0, bad.stream().map(x -> "F19 parse error not FILE:LINE: path: message: " + x).toList(),
                    yaml, limitsYaml, e.getMessage());
        }
        StringWriter csv = new StringWriter();
        TraceWriter trace = new TraceWriter(csv);
        SafetySettings safety = SafetySettings.defaults();
        SessionSettings session = SessionSettings.defaults();
        ScenarioRunner runner = new ScenarioRunner(sc, new ScenarioRunner.Options(limits, safety, session, 100, trace, 1,
                io.tensd.session.EventSink.NONE, new RemoteCommands(sc)));
        RunReport report = runner.run();
        try {
            trace.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<TraceRow> rows = TraceRow.parse(csv.toString());
        List<String> v = new TraceRuleChecker(limits, safety, session).check(sc, rows, runner.events(), report);
        return new Outcome(seed, false, rows.size(), v, yaml, limitsYaml, null);
    }

    /** Remote commands as the MQTT side hands them to the loop (validated payloads become SessionCommands). */
    private record RemoteCommands(Scenario scenario) implements ScenarioRunner.Hooks {
        @Override
        public boolean command(long atMillis, Action.Command c, DeviceController controller) {
            Map<String, Object> p = c.payload();
            SessionCommand cmd = switch (c.name()) {
                case "set-intensity" -> new SessionCommand.SetIntensity(((Number) p.get("milliAmps")).doubleValue(), SessionCommand.Source.REMOTE);
                case "set-heat" -> new SessionCommand.SetHeat(p.containsKey("setpointCelsius")
                        ? OptionalDouble.of(((Number) p.get("setpointCelsius")).doubleValue()) : OptionalDouble.empty(), SessionCommand.Source.REMOTE);
                case "pause" -> new SessionCommand.Press(Button.PAUSE, SessionCommand.Source.REMOTE);
                case "resume" -> new SessionCommand.Press(Button.RESUME, SessionCommand.Source.REMOTE);
                case "stop" -> new SessionCommand.Press(Button.STOP, SessionCommand.Source.REMOTE);
                case "clear" -> new SessionCommand.Press(Button.CLEAR, SessionCommand.Source.REMOTE);
                case "start-session" -> new SessionCommand.StartSession(scenario.prescription(), SessionCommand.Source.REMOTE);
                default -> null;
            };
            if (cmd == null) {
                return false;
            }
            controller.submit(cmd, o -> { });
            return true;
        }
    }

    static String limitsYaml(Random r) {
        double maxMa = 5 + r.nextInt(96);
        int pwMin = 20 + r.nextInt(150);
        int pwMax = pwMin + r.nextInt(501 - pwMin);
        double hzMin = 0.5 + r.nextInt(20);
        double hzMax = hzMin + r.nextInt((int) (201 - hzMin));
        double charge = 1 + r.nextInt(50);
        double ramp = 0.5 + r.nextInt(20) * 0.5;
        int session = 1 + r.nextInt(120);
        double ceiling = r.nextInt(6) == 0 ? 37 + r.nextInt(4) : 41 + r.nextInt(3);
        int heat = 1 + r.nextInt(session);
        int stale = 200 + r.nextInt(1800);
        int lease = 50 + r.nextInt(400);
        return String.format(Locale.ROOT, """
                stimulation:
                  maxMilliAmps: %s
                  pulseWidthMicros: { min: %d, max: %d }
                  frequencyHz: { min: %s, max: %s }
                  maxChargePerPhaseMicroCoulombs: %s
                  maxRampMilliAmpsPerSecond: %s
                session:
                  maxSessionMinutes: %d
                heat:
                  skinCeilingCelsius: %s
                  maxHeatMinutes: %d
                sensors:
                  staleMillis: %d
                stimulator:
                  leaseMillis: %d
                """, maxMa, pwMin, pwMax, hzMin, hzMax, charge, ramp, session, ceiling, heat, stale, lease);
    }

    static String scenarioYaml(Random r, long seed) {
        StringBuilder y = new StringBuilder();
        String program = PROGRAMS[r.nextInt(PROGRAMS.length)];
        double target = round1(1 + r.nextDouble() * (r.nextInt(5) == 0 ? 140 : 40));
        double max = r.nextInt(10) == 0 ? round1(target * (0.5 + r.nextDouble() * 0.5)) : round1(target + r.nextDouble() * 20);
        int pw = switch (program) {
            case "acupuncture-like" -> 200 + r.nextInt(51);
            default -> r.nextInt(8) == 0 ? 10 + r.nextInt(600) : 50 + r.nextInt(151);
        };
        double hz = switch (program) {
            case "acupuncture-like" -> 1 + r.nextInt(5);
            case "modulated" -> 20 + r.nextInt(131);
            default -> r.nextInt(8) == 0 ? 0.5 + r.nextInt(300) : 80 + r.nextInt(71);
        };
        if (program.equals("burst") && r.nextInt(4) != 0) {
            hz = 80 + r.nextInt(71);
            pw = Math.min(pw, 250);
        }
        y.append("name: fuzz ").append(seed).append("\nseed: ").append(Math.floorMod(seed, Integer.MAX_VALUE)).append('\n');
        y.append("prescription:\n  program: ").append(program).append('\n');
        y.append("  frequencyHz: ").append(hz).append("\n  pulseWidthMicros: ").append(pw).append('\n');
        y.append("  targetMilliAmps: ").append(target).append("\n  maxMilliAmps: ").append(max).append('\n');
        y.append("  durationMinutes: ").append(1 + (r.nextInt(4) == 0 ? 1 : 0)).append('\n');
        if (program.equals("burst")) {
            y.append("  burstRateHz: 2\n  pulsesPerBurst: 8\n");
        } else if (program.equals("modulated")) {
            y.append("  modulate: ").append(r.nextBoolean() ? "amplitude" : "width").append("\n  depthPercent: 30\n  periodS: 4\n");
        }
        if (r.nextBoolean()) {
            double sp = r.nextInt(12) == 0 ? 30 + r.nextInt(20) : 37 + r.nextInt(7) * 0.5;
            y.append("  heat: { setpointCelsius: ").append(sp).append(" }\n");
        }
        y.append("timeline:\n");
        int n = 2 + r.nextInt(10);
        long stallFreeFrom = 0;
        for (int i = 0; i < n; i++) {
            long at = r.nextInt(30_000);
            String action = action(r);
            if (action.startsWith("inject: { loop:")) {
                long len = Long.parseLong(action.replaceAll("\\D+", " ").trim().split(" ")[0]);
                at = Math.max(at, stallFreeFrom);
                stallFreeFrom = at + len + 50; // stalls never overlap: the runner keeps only the latest one's end
            }
            y.append("  - { at: ").append(at).append("ms, ").append(action).append(" }\n");
        }
        // a patient pause with no resume would idle until the run's hard end: the patient stops in the end
        y.append("  - { at: ").append(Math.max(stallFreeFrom, 35_000 + r.nextInt(30_000))).append("ms, press: stop }\n");
        return y.toString();
    }

    private static String action(Random r) {
        return switch (r.nextInt(10)) {
            case 0, 1 -> "inject: { " + inject(r) + " }";
            case 2 -> "inject: { loop: \"stall:" + (10 + r.nextInt(r.nextBoolean() ? 150 : 2500)) + "ms\" }";
            case 3, 4, 5 -> "press: " + new String[] {"up", "down", "pause", "resume", "stop", "estop", "clear", "start", "clear"}[r.nextInt(9)];
            case 6 -> "command: { name: set-intensity, milliAmps: " + round1(r.nextDouble() * 150 - 10) + " }";
            case 7 -> r.nextBoolean() ? "command: { name: set-heat, setpointCelsius: " + round1(30 + r.nextDouble() * 20) + " }"
                    : "command: { name: set-heat }";
            default -> "command: { name: " + new String[] {"pause", "resume", "stop", "clear", "start-session"}[r.nextInt(5)] + " }";
        };
    }

    private static String inject(Random r) {
        return switch (r.nextInt(7)) {
            case 0 -> (r.nextBoolean() ? "skin-sensor" : "pad-sensor") + ": " + new String[] {"open", "short", "stuck", "ok"}[r.nextInt(4)];
            case 1 -> (r.nextBoolean() ? "skin-sensor" : "pad-sensor") + ": \"drift:" + round1(r.nextDouble() * 8 - 4) + "\"";
            case 2 -> (r.nextBoolean() ? "skin-sensor" : "pad-sensor") + ": \"noise:" + round1(r.nextDouble() * 0.5) + "\"";
            case 3 -> "stimulator: " + new String[] {"disconnect", "mute", "overcurrent", "reset", "ok", "\"corrupt:0.2\""}[r.nextInt(6)];
            case 4 -> "electrode: " + (r.nextBoolean() ? "lift" : "restore");
            case 5 -> "heater: " + new String[] {"stuck-on", "detached", "ok"}[r.nextInt(3)];
            default -> "battery: " + new String[] {"low", "critical", "ok"}[r.nextInt(3)];
        };
    }

    private static double round1(double v) { return Math.round(v * 10) / 10.0; }

    /** Runs {@code count} scenarios from {@code seed}; stops at the first with a violation. */
    public static Totals runMany(Path dir, long seed, int count) {
        ScenarioFuzzer f = new ScenarioFuzzer(dir);
        Totals t = new Totals();
        for (int i = 0; i < count; i++) {
            Outcome o = f.run(seed + i);
            t.scenarios++;
            t.rows += o.rows();
            t.refused += o.parseRefused() ? 1 : 0;
            if (o.parseRefused() && Boolean.getBoolean("tensd.fuzz.verbose")) {
                System.out.println("refused: " + o.refusal());
            }
            if (!o.violations().isEmpty()) {
                t.violations += o.violations().size();
                t.firstFailure = o;
                break;
            }
        }
        return t;
    }

    public static final class Totals {
        public int scenarios;
        public int refused;
        public long rows;
        public int violations;
        public Outcome firstFailure;

        public String describeFailure() {
            if (firstFailure == null) {
                return "";
            }
            List<String> v = new ArrayList<>(firstFailure.violations());
            return "seed " + firstFailure.seed() + " (rerun: -Dtensd.seed=" + firstFailure.seed() + "): " + v.size() + " violation(s)\n  "
                    + String.join("\n  ", v.subList(0, Math.min(10, v.size()))) + "\nlimits:\n" + firstFailure.limitsYaml()
                    + "scenario:\n" + firstFailure.scenarioYaml();
        }
    }
}
