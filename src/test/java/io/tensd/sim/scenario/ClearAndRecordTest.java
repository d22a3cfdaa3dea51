package io.tensd.sim.scenario;

import static io.tensd.sim.scenario.ScenarioHarness.run;
import static io.tensd.sim.scenario.ScenarioHarness.scenario;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.sim.scenario.ScenarioHarness.Result;
import io.tensd.sim.scenario.ScenarioHarness.Row;
import org.junit.jupiter.api.Test;

/**
 * The latch rule ("a latched fault is cleared only by a local clear asked after it latched") and the record rule
 * ("every fault that latched appears in the events, the report and the trace"), on the timelines that broke them.
 */
class ClearAndRecordTest {

    /** The 2 s stall from issue 16: eleven presses queue up, two of them clears, the loop runs again at 6010 ms. */
    @Test
    void queuedClearsFromAStallDoNotClearTheFaultThatLatchesWhenTheLoopRunsAgain() {
        Result r = run(scenario(30, false, """
                  - { at: 4010ms, inject: { loop: stall:2000ms } }
                  - { at: 4100ms, press: up }
                  - { at: 4200ms, press: pause }
                  - { at: 4300ms, press: resume }
                  - { at: 4400ms, press: start }
                  - { at: 4680ms, press: clear }
                  - { at: 4800ms, press: up }
                  - { at: 4900ms, press: down }
                  - { at: 5000ms, press: pause }
                  - { at: 5100ms, press: resume }
                  - { at: 5200ms, press: stop }
                  - { at: 5231ms, press: clear }
                  - { at: 9000ms, press: clear }
                """));
        Row back = r.at(6010);
        assertTrue(back.hasFault("loop-overrun") && back.outputsSafe(), "latched when the loop runs again: " + back);
        for (long t = 6020; t < 9000; t += 10) {
            Row row = r.at(t);
            assertTrue(row.hasFault("loop-overrun"), "no clear pressed after it latched, yet gone at " + row);
            assertEquals("FAULT", row.s("state"), row.toString());
        }
        assertTrue(r.runner().notes().stream().anyMatch(n -> n.contains("no fault latched when clear was pressed")),
                "the queued clear is refused with its reason: " + r.runner().notes());
        Row cleared = r.at(9010);
        assertFalse(cleared.hasFault("loop-overrun"), "a clear pressed after the latch clears it: " + cleared);
        assertEquals("IDLE", r.report().endState());
    }

    @Test
    void estopAndClearInTheSameTickAreBothInTheRecord() {
        Result r = run(scenario(30, false, "  - { at: 2m, press: estop }\n  - { at: 2m, press: clear }\n"));
        assertRecorded(r, "estop", 120_000);
        assertEquals("FAULT", r.at(120_000).s("state"), "the clear came before the latch: it does not apply");
    }

    @Test
    void estopAndClearDuringOneStallAreBothInTheRecord() {
        Result r = run(scenario(30, false, """
                  - { at: 2m, inject: { loop: stall:1s } }
                  - { at: 120200ms, press: estop }
                  - { at: 120500ms, press: clear }
                """));
        assertRecorded(r, "estop", 121_000);
        assertRecorded(r, "loop-overrun", 121_000);
    }

    /**
     * In-process the board's status frame for this tick is taken after the injection, so the host sees the
     * overcurrent before the clear; the race in which the clear reaches the board first is {@code ClearRaceTest}.
     */
    @Test
    void aOneShotOvercurrentInTheTickOfAClearIsInTheRecord() {
        Result r = run(scenario(30, false, """
                  - { at: 1m, press: estop }
                  - { at: 2m, inject: { stimulator: overcurrent } }
                  - { at: 2m, press: clear }
                """));
        assertRecorded(r, "estop", 60_000);
        assertRecorded(r, "stim-overcurrent", 120_000);
    }

    /** In the events (fault-raised), the report's faults and at least one trace row, at or after {@code fromMs}. */
    private static void assertRecorded(Result r, String code, long fromMs) {
        assertTrue(r.runner().events().stream().anyMatch(e -> e.type().equals("fault-raised") && code.equals(e.data().get("code"))
                        && e.atNanos() >= 0), code + " missing from the events: " + r.runner().events());
        assertTrue(r.report().faults().stream().anyMatch(f -> f.code().equals(code) && f.detectedAtMs() >= fromMs
                        && f.detectedAtMs() <= fromMs + 50), code + " missing from the report: " + r.report().faults());
        assertTrue(r.rows().stream().anyMatch(x -> x.t() >= fromMs && x.hasFault(code)), code + " in no trace row");
    }
}
