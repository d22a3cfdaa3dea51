package io.tensd.sim.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.config.Limits;
import io.tensd.safety.FaultCode;
import io.tensd.safety.SafetySettings;
import io.tensd.session.SessionEvent;
import io.tensd.session.SessionSettings;
import io.tensd.sim.scenario.RunReport;
import io.tensd.sim.scenario.Scenario;
import io.tensd.sim.scenario.ScenarioParser;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checker finds each kind of broken row it claims to find (so a clean fuzz run means something). */
class TraceRuleCheckerTest {
    private static final TraceRuleChecker CHECK = new TraceRuleChecker(Limits.defaults(), SafetySettings.defaults(),
            SessionSettings.defaults());

    private static TraceRow row(long t, String state, boolean en, double ma, boolean heat, double duty, double skin, double pad, long faults) {
        return new TraceRow(t, state, en, ma, ma, en ? 150 : 0, en ? 100 : 0, 1000, heat, duty, skin, pad, skin, faults);
    }

    private static Scenario scenario(String timeline) throws Exception {
        return ScenarioParser.parse("c.yaml", new StringReader("name: c\nseed: 1\nprescription:\n  program: conventional\n"
                + "  frequencyHz: 100\n  pulseWidthMicros: 150\n  targetMilliAmps: 20\n  durationMinutes: 1\ntimeline:\n" + timeline));
    }

    private static List<SessionEvent> started() {
        List<SessionEvent> e = new ArrayList<>();
        e.add(new SessionEvent("session-started", "s", 0, Map.of("maxMa", 20.0)));
        return e;
    }

    private static RunReport report(List<RunReport.FaultRecord> faults) {
        return new RunReport("c", "FAULT", "x", 0, 10, 0, faults, null, null, null);
    }

    private static List<String> check(String timeline, List<TraceRow> rows, List<SessionEvent> ev, RunReport rep) throws Exception {
        return CHECK.check(scenario(timeline), rows, ev, rep);
    }

    @Test
    void aCleanTraceHasNoViolation() throws Exception {
        List<TraceRow> rows = List.of(row(0, "RAMP_UP", true, 0, false, 0, 35, 33, 0), row(10, "RAMP_UP", true, 0.02, true, 0.5, 35, 33, 0),
                row(20, "RAMP_UP", true, 0.04, true, 0.5, 35, 33, 0));
        assertTrue(check("  []\n", rows, started(), report(List.of())).isEmpty());
    }

    @Test
    void eachBrokenRuleIsFound() throws Exception {
        long estop = FaultCode.ESTOP.bit();
        List<TraceRow> rows = List.of(
                row(0, "RAMP_UP", true, 0, false, 0, 35, 33, 0),
                row(10, "RAMP_UP", true, 5.0, false, 0, 35, 33, 0),          // F3 step
                row(20, "FAULT", true, 5.0, false, 0, 35, 33, estop),         // F4 unsafe while faulted
                row(30, "FAULT", false, 0, false, 0, 35, 33, 0),              // F5 gone without a clear
                row(40, "COMPLETE", true, 0, false, 0, 35, 33, 0),            // F21 enabled after the session
                row(50, "ACTIVE", true, 30.0, false, 0, 35, 33, 0),           // F1 above the session maximum
                row(60, "ACTIVE", true, 0, true, 0.5, 41.2, 44.0, 0));        // F16 ceiling not latched, H-HEAT-09 pad
        List<String> v = check("  []\n", rows, started(), report(List.of()));
        for (String id : List.of("F3 ", "F4 ", "F5 ", "F21 ", "F1 ", "F16 ", "H-HEAT-09 ", "F20 ")) {
            assertTrue(v.stream().anyMatch(x -> x.startsWith(id)), id + "not found in " + v);
        }
    }

    @Test
    void aClearPressedBeforeTheLatchDoesNotExcuseTheFaultGoing() throws Exception {
        long f = FaultCode.LOOP_OVERRUN.bit();
        List<TraceRow> rows = List.of(row(6000, "FAULT", false, 0, false, 0, 35, 33, f), row(6010, "IDLE", false, 0, false, 0, 35, 33, 0));
        List<SessionEvent> ev = started();
        ev.add(new SessionEvent("fault-raised", "s", 6000, Map.of("code", "loop-overrun")));
        RunReport rep = report(List.of(new RunReport.FaultRecord("loop-overrun", null, 6000, 6000L)));
        assertTrue(check("  - { at: 5231ms, press: clear }\n", rows, ev, rep).stream().anyMatch(x -> x.startsWith("F5 ")));
        assertTrue(check("  - { at: 6005ms, press: clear }\n", rows, ev, rep).isEmpty());
    }
}
