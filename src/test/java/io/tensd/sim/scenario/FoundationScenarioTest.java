package io.tensd.sim.scenario;

import static io.tensd.sim.scenario.ScenarioHarness.run;
import static io.tensd.sim.scenario.ScenarioHarness.scenario;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.sim.scenario.ScenarioHarness.Result;
import io.tensd.sim.scenario.ScenarioHarness.Row;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The foundation's safety claims, each shown by running a scenario and reading its trace like an outside check. */
class FoundationScenarioTest {

    private static Row firstWithFault(Result r, String fault) {
        return r.first(row -> row.hasFault(fault));
    }

    private static Row previous(Result r, Row row) {
        return r.rows().get(r.rows().indexOf(row) - 1);
    }

    @Test
    void skinSensorOpenCutsHeatAndStimInTheTickItIsSeen() {
        Result r = run(scenario(30, true, "  - at: 6m\n    inject: { skin-sensor: open }\n"));
        Row seen = r.first(row -> row.t() >= 360_000 && row.s("skin_c").isEmpty());
        assertTrue(seen.hasFault("skin-sensor-fault"), "fault latched in the tick the open reading arrives: " + seen);
        assertTrue(seen.outputsSafe(), "safe in that same tick: " + seen);
        Row before = previous(r, seen);
        assertTrue(before.b("heater_enabled") && before.d("stim_ma_cmd") > 0, "was stimulating and heating before: " + before);
        assertEquals("FAULT", r.report().endState());
    }

    @Test
    void padSensorShortCutsOutputsInTheTickItIsSeen() {
        Result r = run(scenario(30, true, "  - at: 4m\n    inject: { pad-sensor: short }\n"));
        Row seen = r.first(row -> row.t() >= 240_000 && row.s("pad_c").isEmpty());
        assertTrue(seen.hasFault("pad-sensor-fault") && seen.outputsSafe(), seen.toString());
        assertTrue(previous(r, seen).d("stim_ma_cmd") > 0);
    }

    @Test
    void estopIsSafeWithinOneTick() {
        Result r = run(scenario(30, false, "  - at: 2m\n    press: estop\n"));
        Row next = r.at(120_000);
        assertTrue(next.t() - 120_000 <= 10, "the next tick");
        assertTrue(next.hasFault("estop") && next.outputsSafe(), next.toString());
        var f = r.report().faults().stream().filter(x -> x.code().equals("estop")).findFirst().orElseThrow();
        assertEquals(120_000L, f.injectedAtMs());
        assertTrue(f.safeAtMs() - f.injectedAtMs() <= 10, "safe within one 10 ms tick of the press");
    }

    @Test
    void clearAfterEstopReleaseReturnsToIdleAndNeverBefore() {
        Result r = run(scenario(30, false, "  - at: 1m\n    press: estop\n  - at: 1m30s\n    press: pause\n"
                + "  - at: 2m\n    press: clear\n"));
        assertEquals("FAULT", r.at(110_000).s("state"), "still latched before the clear");
        assertEquals("IDLE", r.at(120_100).s("state"));
        assertTrue(r.at(120_100).s("faults").isEmpty());
        assertEquals("IDLE", r.report().endState());
    }

    @Test
    void stimulatorMuteIsAFaultWithin250ms() {
        Result r = run(scenario(30, false, "  - at: 2m\n    inject: { stimulator: mute }\n"));
        Row seen = firstWithFault(r, "stim-link-lost");
        assertTrue(seen.t() - 120_000 <= 250, "detected after " + (seen.t() - 120_000) + " ms");
        assertTrue(seen.outputsSafe());
    }

    @Test
    void stimulatorDisconnectIsAFaultWithinTheLease() {
        Result r = run(scenario(30, false, "  - at: 2m\n    inject: { stimulator: disconnect }\n"));
        Row seen = firstWithFault(r, "stim-link-lost");
        assertTrue(seen.t() - 120_000 <= 100 + 20, "detected after " + (seen.t() - 120_000) + " ms");
        // the board, no longer hearing the host, silences itself within its lease
        Row boardOff = r.first(row -> row.t() > 120_000 && row.d("stim_ma_meas") == 0);
        assertTrue(boardOff.t() - 120_000 <= 100 + 20, "board output off after " + (boardOff.t() - 120_000) + " ms");
    }

    @Test
    void tenPercentCorruptFramesAreToleratedWithoutFault() {
        Result r = run(scenario(3, false, "  - at: 30s\n    inject: { stimulator: corrupt:0.1 }\n"));
        assertEquals("COMPLETE", r.report().endState(), String.valueOf(r.report().faults()));
        assertTrue(r.report().faults().isEmpty());
        assertTrue(r.runner().device().stimulator().framesDamaged() > 100);
    }

    @Test
    void boardOvercurrentAndResetAreFaults() {
        Result oc = run(scenario(30, false, "  - at: 2m\n    inject: { stimulator: overcurrent }\n"));
        Row seen = firstWithFault(oc, "stim-overcurrent");
        assertTrue(seen.t() - 120_000 <= 20 && seen.outputsSafe());
        Result reset = run(scenario(30, false, "  - at: 2m\n    inject: { stimulator: reset }\n"));
        Row seenReset = firstWithFault(reset, "stim-board-reset");
        assertTrue(seenReset.t() - 120_000 <= 20 && seenReset.outputsSafe());
    }

    @Test
    void electrodeLiftPausesAtZeroAndRestoreRampsFromZero() {
        Result r = run(scenario(30, false, "  - at: 2m\n    inject: { electrode: lift }\n"
                + "  - at: 2m20s\n    inject: { electrode: restore }\n"));
        Row lifted = r.first(row -> row.t() >= 120_000 && row.d("impedance_ohm") > 10_000);
        assertEquals("PAUSED", lifted.s("state"), "paused in the tick the lift is seen: " + lifted);
        assertEquals(0.0, lifted.d("stim_ma_cmd"));
        assertTrue(previous(r, lifted).d("stim_ma_cmd") >= 19.99);
        assertTrue(r.between(lifted.t(), 140_000).stream().allMatch(x -> x.d("stim_ma_cmd") == 0 && x.s("state").equals("PAUSED")));
        Row resumed = r.first(row -> row.t() > 140_000 && row.s("state").equals("RAMP_UP"));
        assertTrue(resumed.d("stim_ma_cmd") <= 0.02 + 1e-9, "ramp starts from zero: " + resumed);
        assertRampWithinLimit(r.between(resumed.t(), resumed.t() + 15_000), 2.0);
        assertEquals("ACTIVE", r.at(resumed.t() + 11_000).s("state"));
        assertTrue(r.report().faults().isEmpty());
    }

    @Test
    void loopStallLongerThanTheLeaseSilencesTheBoardAndLatchesWhenTheLoopRuns() {
        Result r = run(scenario(30, true, "  - at: 6m\n    inject: { loop: stall:250ms }\n"));
        List<Row> stall = r.between(360_000, 360_250);
        assertTrue(stall.stream().anyMatch(x -> x.d("stim_ma_meas") == 0),
                "the board zeroes its output by itself during the stall");
        assertTrue(stall.get(0).d("stim_ma_meas") > 19, "it was driving before");
        Row back = r.at(360_250);
        assertTrue(back.hasFault("loop-overrun"), back.toString());
        assertTrue(back.hasFault("stim-lease-expired"), back.toString());
        assertTrue(back.outputsSafe());
    }

    @Test
    void pauseAndStopGoToZeroInTheSameTick() {
        Result r = run(scenario(30, false, "  - at: 2m\n    press: pause\n  - at: 2m30s\n    press: resume\n"
                + "  - at: 3m\n    press: stop\n"));
        Row paused = r.at(120_000);
        assertEquals("PAUSED", paused.s("state"));
        assertEquals(0.0, paused.d("stim_ma_cmd"));
        assertTrue(previous(r, paused).d("stim_ma_cmd") >= 19.99);
        Row resumed = r.at(150_000);
        assertEquals("RAMP_UP", resumed.s("state"));
        assertTrue(resumed.d("stim_ma_cmd") <= 0.021);
        Row stopped = r.at(180_000);
        assertEquals("COMPLETE", stopped.s("state"));
        assertEquals(0.0, stopped.d("stim_ma_cmd"));
        assertTrue(previous(r, stopped).d("stim_ma_cmd") > 0);
        assertEquals("stopped", r.report().endReason());
    }

    @Test
    void sessionEndsOnTimeWithARampDown() {
        Result r = run(scenario(3, false, ""));
        Row complete = r.first(row -> row.s("state").equals("COMPLETE"));
        assertTrue(Math.abs(complete.t() - 180_000 - 500) <= 600, "complete at " + complete.t() + " ms (precheck 0.5 s + 3 min)");
        List<Row> down = r.rows().stream().filter(x -> x.s("state").equals("RAMP_DOWN")).toList();
        assertFalse(down.isEmpty());
        assertTrue(down.get(0).d("stim_ma_cmd") > 19, "ramp-down starts from the intensity");
        for (int i = 1; i < down.size(); i++) {
            assertTrue(down.get(i).d("stim_ma_cmd") <= down.get(i - 1).d("stim_ma_cmd"));
        }
        assertTrue(down.size() * 10 >= 9_000, "a gentle ramp-down of about 10 s, got " + down.size() * 10 + " ms");
        assertEquals("COMPLETE", r.report().endState());
        assertEquals("completed", r.report().endReason());
        assertNotNull(r.report().summary());
    }

    @Test
    void startRampsFromZeroAtTheLimitRate() {
        Result r = run(scenario(3, false, ""));
        assertEquals(0.0, r.rows().get(0).d("stim_ma_cmd"));
        assertRampWithinLimit(r.rows(), 2.0);
        assertTrue(r.report().max().rampMaPerS() <= 2.0 + 1e-6);
    }

    @Test
    void stuckSkinSensorIsDetected() {
        Result r = run(scenario(30, false, "  - at: 2m\n    inject: { skin-sensor: stuck }\n"));
        Row seen = firstWithFault(r, "skin-sensor-stuck");
        assertTrue(seen.t() - 120_000 <= 61_000 && seen.outputsSafe(), seen.toString());
    }

    @Test
    void noisySkinSensorFailsTheRateCheck() {
        Result r = run(scenario(30, false, "  - at: 2m\n    inject: { skin-sensor: noise:0.5 }\n"));
        Row seen = firstWithFault(r, "skin-sensor-rate");
        assertTrue(seen.t() - 120_000 <= 5_000 && seen.outputsSafe(), seen.toString());
    }

    @Test
    void stuckOnHeaterIsCaughtBeforeTheSkinPassesTheCeiling() {
        Result r = run(scenario(30, true, "  - at: 8m\n    inject: { heater: stuck-on }\n"));
        // The model-based cross-check (pad reading vs what the duty can explain) sees it first; the runaway
        // check and the ceiling are the layers behind it.
        assertTrue(r.report().faults().stream().anyMatch(f -> f.code().equals("heater-runaway")
                || f.code().equals("temp-channel-mismatch") || f.code().equals("skin-over-ceiling")),
                String.valueOf(r.report().faults()));
        assertTrue(r.report().faults().get(0).detectedAtMs() - 480_000 <= 60_000, "caught within a minute");
        assertTrue(r.report().max().skinC() < 41.0, "true skin max " + r.report().max().skinC());
    }

    @Test
    void detachedPadIsDetected() {
        Result r = run(scenario(30, true, "  - at: 8m\n    inject: { heater: detached }\n"));
        assertEquals("FAULT", r.report().endState(), String.valueOf(r.report().faults()));
        var f = r.report().faults().get(0);
        assertTrue(f.detectedAtMs() - 480_000 <= 180_000, f.toString());
    }

    static void assertRampWithinLimit(List<Row> rows, double maPerSecond) {
        for (int i = 1; i < rows.size(); i++) {
            double up = rows.get(i).d("stim_ma_cmd") - rows.get(i - 1).d("stim_ma_cmd");
            double dt = (rows.get(i).t() - rows.get(i - 1).t()) / 1000.0;
            assertTrue(up <= maPerSecond * dt + 1e-9, "ramp " + up / dt + " mA/s at " + rows.get(i));
        }
    }
}
