package io.tensd.sim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.cli.Main;
import io.tensd.config.ConfigException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Edges of the scenario and report contract: bounded times, consistent prescriptions, setpoint range, ramp figure. */
class ContractEdgesTest {
    private static String rx(String extra, String heat) {
        return "name: edge\nseed: 3\nprescription:\n  program: conventional\n  frequencyHz: 100\n  pulseWidthMicros: 150\n"
                + "  targetMilliAmps: 20.0\n" + extra + "  durationMinutes: 3\n" + heat + "timeline:\n";
    }

    private static List<String> errors(String yaml) {
        ConfigException e = assertThrows(ConfigException.class, () -> ScenarioParser.parse("e.yaml", new StringReader(yaml)));
        return e.errors().stream().map(Object::toString).toList();
    }

    @Test
    void atBeyondADayIsRefusedWithFileLineAndPath() {
        List<String> e = errors(rx("", "") + "  - at: 99999999999h\n    press: stop\n  - at: 25h\n    press: stop\n");
        assertTrue(e.contains("e.yaml:10: timeline[0].at: at must be at most 24h, got '99999999999h'"), e.toString());
        assertTrue(e.contains("e.yaml:12: timeline[1].at: at must be at most 24h, got '25h'"), e.toString());
    }

    @Test
    void aMaximumBelowTheTargetIsAParseError() {
        List<String> e = errors(rx("  maxMilliAmps: 10\n", "") + "  []\n");
        assertTrue(e.contains("e.yaml:8: prescription.maxMilliAmps: maxMilliAmps 10 is below targetMilliAmps 20: "
                + "the session could never reach its target"), e.toString());
    }

    @Test
    void aHeatSetpointOutsideThirtySevenToFortyTwoIsRefused() {
        List<String> hot = errors(rx("", "  heat: { setpointCelsius: 45.0 }\n") + "  []\n");
        assertTrue(hot.stream().anyMatch(x -> x.startsWith("e.yaml:9: prescription.heat.setpointCelsius:") && x.contains("42")),
                hot.toString());
        List<String> cool = errors(rx("", "  heat: { setpointCelsius: 30 }\n") + "  []\n");
        assertTrue(cool.stream().anyMatch(x -> x.startsWith("e.yaml:9: prescription.heat.setpointCelsius:") && x.contains("37")),
                cool.toString());
    }

    /** Above the limits file's ceiling − 1 (41 − 1 by default) but within the parser's range: clamped, reason shown. */
    @Test
    void aSetpointAboveTheCeilingMarginIsClampedAndTheRunSaysWhy() {
        ScenarioHarness.Result r = ScenarioHarness.run(rx("", "  heat: { setpointCelsius: 41.5 }\n") + "  - { at: 20s, press: stop }\n");
        assertTrue(r.runner().notes().contains("start: clamped: heat.setpointCelsius 41.5 → 40 (skin ceiling less margin)"),
                r.runner().notes().toString());
        assertTrue(r.runner().events().stream().anyMatch(ev -> ev.type().equals("session-started")
                && Double.valueOf(40.0).equals(ev.data().get("heatSetpointC"))), "started at 40 °C");
    }

    @Test
    void simulateExitsTwoForEachEdge(@TempDir Path dir) throws Exception {
        for (String yaml : List.of(rx("", "") + "  - at: 99999999999h\n    press: stop\n", rx("  maxMilliAmps: 10\n", "") + "  []\n",
                rx("", "  heat: { setpointCelsius: 45.0 }\n") + "  []\n")) {
            Path f = dir.resolve("edge.yaml");
            Files.writeString(f, yaml);
            StringWriter err = new StringWriter();
            var cl = Main.commandLine();
            cl.setErr(new PrintWriter(err, true));
            cl.setOut(new PrintWriter(new StringWriter(), true));
            assertEquals(2, cl.execute("simulate", "--scenario", f.toString()), err.toString());
            assertTrue(err.toString().contains(f + ":"), err.toString());
        }
    }

    /** After a 2 s stall the level rises by at most 2 mA/s × the elapsed time: the report measures over that time. */
    @Test
    void rampFigureIsMeasuredOverTheElapsedTimeAfterAStall() {
        ScenarioHarness.Result r = ScenarioHarness.run(rx("", "") + "  - { at: 3s, inject: { loop: stall:80ms } }\n"
                + "  - { at: 3090ms, inject: { loop: stall:80ms } }\n  - { at: 20s, press: stop }\n");
        assertTrue(r.report().max().rampMaPerS() <= 2.0 + 1e-6, "max ramp " + r.report().max().rampMaPerS());
        assertTrue(r.report().max().rampMaPerS() >= 1.9, "the ramp is measured at all: " + r.report().max().rampMaPerS());
    }
}
