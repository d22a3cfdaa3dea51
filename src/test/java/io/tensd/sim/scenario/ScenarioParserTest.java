package io.tensd.sim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.cli.Main;
import io.tensd.config.ConfigException;
import io.tensd.hw.Button;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scenario contract: every key and value named in docs/scenarios.md parses; anything else is FILE:LINE: path: message. */
class ScenarioParserTest {
    private static final String HEAD = """
            name: contract
            seed: 42
            prescription:
              program: conventional
              frequencyHz: 100
              pulseWidthMicros: 150
              targetMilliAmps: 20.0
              durationMinutes: 30
              heat: { setpointCelsius: 40.0 }
            timeline:
            """;

    private static Scenario parse(String timeline) throws ConfigException {
        return ScenarioParser.parse("s.yaml", new StringReader(HEAD + timeline));
    }

    private static List<String> errors(String timeline) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(timeline));
        return e.errors().stream().map(Object::toString).toList();
    }

    @Test
    void everyDocumentedInjectionPressAndEntryParses() throws Exception {
        String[] injections = {"skin-sensor: open", "skin-sensor: short", "skin-sensor: stuck", "skin-sensor: drift:+2.0",
                "skin-sensor: noise:0.5", "skin-sensor: ok", "pad-sensor: open", "pad-sensor: drift:-1.5",
                "stimulator: disconnect", "stimulator: mute", "stimulator: corrupt:0.1", "stimulator: overcurrent",
                "stimulator: reset", "stimulator: ok", "electrode: lift", "electrode: restore", "heater: stuck-on",
                "heater: detached", "heater: ok", "loop: stall:250ms", "battery: low", "battery: critical"};
        StringBuilder t = new StringBuilder();
        for (int i = 0; i < injections.length; i++) {
            t.append("  - at: ").append(i + 1).append("s\n    inject: { ").append(injections[i]).append(" }\n");
        }
        for (String p : List.of("up", "down", "pause", "resume", "stop", "estop", "clear")) {
            t.append("  - at: 1m\n    press: ").append(p).append('\n');
        }
        t.append("  - at: 1m30s\n    posture: { flexionDeg: 35, lateralDeg: 0, over: 2s }\n");
        t.append("  - at: 2m\n    exercise: { type: mckenzie-extension, reps: 10, periodS: 4 }\n");
        t.append("  - at: 500ms\n    broker: down\n  - at: 90s\n    broker: up\n");
        t.append("  - at: 3m\n    command: { name: set-intensity, milliAmps: 12.0 }\n");
        Scenario s = parse(t.toString());
        assertEquals(injections.length + 7 + 5, s.timeline().size());
        assertEquals(500, s.timeline().get(0).atMillis(), "sorted by time; 500ms parsed");
        assertEquals(42, s.seed());
        assertEquals(40.0, s.prescription().heat().orElseThrow().setpointCelsius());
        Action.Inject stall = s.timeline().stream().map(TimelineEntry::action).filter(Action.Inject.class::isInstance)
                .map(Action.Inject.class::cast).filter(i -> i.target() == InjectTarget.LOOP).findFirst().orElseThrow();
        assertEquals(250.0, stall.amount());
        assertTrue(s.timeline().stream().anyMatch(e -> e.action() instanceof Action.Press p && p.button() == Button.ESTOP));
        assertInstanceOf(Action.Command.class, s.timeline().get(s.timeline().size() - 1).action());
    }

    @Test
    void durationsAcceptEveryDocumentedForm() throws Exception {
        Scenario s = parse("  - at: 500ms\n    press: up\n  - at: 90s\n    press: up\n  - at: 2m\n    press: up\n"
                + "  - at: 1m30s\n    press: up\n");
        assertEquals(List.of(500L, 90_000L, 90_000L, 120_000L), s.timeline().stream().map(TimelineEntry::atMillis).toList());
    }

    @Test
    void errorsNameFileLineAndFieldPath() {
        List<String> e = errors("""
                  - at: 2m
                    inject: { skin-sensor: melted }
                  - at: 3x
                    press: pause
                  - at: 4m
                    prss: up
                  - at: 5m
                    press: jump
                  - at: 6m
                    inject: { toaster: on }
                  - at: 7m
                    inject: { stimulator: corrupt:1.5 }
                """);
        assertTrue(e.contains("s.yaml:12: timeline[0].inject.skin-sensor: 'melted' is not a value for skin-sensor (allowed: open, "
                + "short, stuck, drift:<celsius>, noise:<celsius>, ok)"), e.toString());
        assertTrue(e.stream().anyMatch(x -> x.startsWith("s.yaml:13: timeline[1].at: '3x' is not a duration")), e.toString());
        assertTrue(e.stream().anyMatch(x -> x.startsWith("s.yaml:16: timeline[2].prss: unknown key")), e.toString());
        assertTrue(e.stream().anyMatch(x -> x.startsWith("s.yaml:18: timeline[3].press: unknown button 'jump'")), e.toString());
        assertTrue(e.stream().anyMatch(x -> x.startsWith("s.yaml:20: timeline[4].inject.toaster: unknown inject target")), e.toString());
        assertTrue(e.stream().anyMatch(x -> x.startsWith("s.yaml:22: timeline[5].inject.stimulator: corrupt takes a fraction")), e.toString());
    }

    @Test
    void missingPrescriptionFieldsAndUnknownTopKeysAreErrors() {
        ConfigException ex = assertThrows(ConfigException.class, () -> ScenarioParser.parse("p.yaml", new StringReader("""
                name: x
                seed: 1
                prescripton: {}
                timeline: []
                """)));
        List<String> e = ex.errors().stream().map(Object::toString).toList();
        assertTrue(e.stream().anyMatch(x -> x.startsWith("p.yaml:3: prescripton: unknown key")), e.toString());
        assertTrue(e.stream().anyMatch(x -> x.contains("missing required key 'prescription'")), e.toString());
    }

    @Test
    void anUnknownProgramIsReportedAtItsKey() {
        ConfigException ex = assertThrows(ConfigException.class, () -> ScenarioParser.parse("p.yaml", new StringReader("""
                name: x
                seed: 1
                prescription:
                  frequencyHz: 100
                  program: tickle
                  pulseWidthMicros: 150
                  targetMilliAmps: 10
                  durationMinutes: 5
                timeline: []
                """)));
        List<String> e = ex.errors().stream().map(Object::toString).toList();
        assertEquals(1, e.size(), e.toString());
        assertTrue(e.get(0).startsWith("p.yaml:5: prescription.program: unknown program 'tickle'"), e.toString());
    }

    @Test
    void simulateExitsTwoWithFileLineMessagesForABadScenario(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, HEAD + "  - at: 2m\n    inject: { heater: melted }\n");
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        int rc = cl.execute("simulate", "--scenario", bad.toString());
        assertEquals(2, rc);
        assertTrue(err.toString().contains(bad + ":12: timeline[0].inject.heater: 'melted' is not a value for heater"), err.toString());
    }
}
