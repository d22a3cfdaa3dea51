package io.tensd.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.sim.scenario.ScenarioHarness;
import io.tensd.sim.scenario.ScenarioHarness.Row;
import io.tensd.sim.scenario.ScenarioHarness.Result;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Session flow through the real scenario runner and simulated device; assertions read the trace and report. */
class SessionScenariosTest {
    private static final double RAMP = 2.0; // limits default, mA/s

    @SuppressWarnings("unchecked")
    private static Map<String, Object> summary(Result r) { return (Map<String, Object>) r.report().summary(); }

    /** Output never rises faster than the ramp (plus one tick of slack for rounding). */
    private static void assertRamped(List<Row> rows) {
        for (int i = 1; i < rows.size(); i++) {
            double up = rows.get(i).maCmd() - rows.get(i - 1).maCmd();
            double dt = (rows.get(i).tMs() - rows.get(i - 1).tMs()) / 1000.0;
            assertTrue(up <= RAMP * dt + 1e-6, "rise of " + up + " mA in " + dt + " s at " + rows.get(i).tMs() + " ms");
        }
    }

    @Test
    void redFlagInScreeningRefusesTheStart() {
        Result r = ScenarioHarness.runFile("screening-red-flag.yaml", 100, o -> o, x -> { });
        assertEquals("IDLE", r.report().endState());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("red flag") && n.contains("pacemaker")), r.notes().toString());
        assertTrue(r.rows().stream().noneMatch(Row::stimEnabled), "stimulation enabled although refused");
        assertEquals(1, r.events("start-refused").size());
    }

    @Test
    void incompleteScreeningRefusesTheStart() {
        Result r = ScenarioHarness.runFile("screening-incomplete.yaml", 100, o -> o, x -> { });
        assertEquals("IDLE", r.report().endState());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("screening incomplete") && n.contains("bladderBowelControlLoss")),
                r.notes().toString());
        assertTrue(r.rows().stream().noneMatch(Row::stimEnabled));
    }

    @Test
    void everyPatientButton() {
        Result r = ScenarioHarness.runFile("buttons.yaml");
        assertRamped(r.rows());
        // up ×3 from 10 with max 12: 11, 12, then clamped at 12
        assertEquals(12.0, r.between(39_000, 40_000).get(0).maCmd(), 1e-9);
        // down → 11
        assertEquals(11.0, r.between(49_000, 50_000).get(0).maCmd(), 1e-9);
        // pause at 50 s → PAUSED at 0 mA; pause again at 60 s resumes (ramps from 0)
        assertTrue(r.between(50_100, 60_000).stream().allMatch(x -> x.state().equals("PAUSED") && x.maCmd() == 0));
        Row afterResume = r.between(60_500, 60_510).get(0);
        assertEquals("RAMP_UP", afterResume.state());
        assertTrue(afterResume.maCmd() <= 1.0 + 0.05, "resume must start from zero: " + afterResume);
        // pause at 80 s, the resume button at 90 s
        assertTrue(r.between(80_100, 90_000).stream().allMatch(x -> x.maCmd() == 0));
        assertTrue(r.between(96_000, 97_000).stream().allMatch(x -> x.maCmd() == 11.0));
        // stop at 120 s ends at once; START (long press of pause) at 130 s reruns the stored prescription
        assertTrue(r.between(120_100, 130_000).stream().allMatch(x -> x.state().equals("COMPLETE") && x.maCmd() == 0));
        assertEquals(2, r.events("session-started").size());
        assertTrue(r.between(130_100, 131_000).stream().anyMatch(x -> x.state().equals("RAMP_UP")));
        assertEquals(2, r.events("session-paused").size());
        assertEquals("stopped", r.report().endReason());
    }

    @Test
    void habituationRaisesIntensityButNeverAboveTheMaximum() {
        Result r = ScenarioHarness.runFile("habituation.yaml", 10, o -> o, x -> { });
        double max = r.rows().stream().mapToDouble(Row::maCmd).max().orElseThrow();
        assertEquals(13.0, max, 1e-9, "reaches the prescribed maximum");
        assertTrue(r.rows().stream().allMatch(x -> x.maCmd() <= 13.0 + 1e-9));
        assertEquals(3, r.events("habituation-step").size(), "10 → 13 in 1 mA steps, then stops");
        assertEquals(3, ((Number) summary(r).get("habituationSteps")).intValue());
        assertRamped(r.rows());
        // the first step comes one interval (60 s) after reaching ACTIVE, not before
        long active = r.firstMs(x -> x.state().equals("ACTIVE"));
        long firstAbove10 = r.firstMs(x -> x.maCmd() > 10.0 + 1e-9);
        assertTrue(firstAbove10 - active >= 59_000 && firstAbove10 - active <= 61_000, active + " → " + firstAbove10);
    }

    @Test
    void shortElectrodeLiftPausesAtZeroAndResumesFromZero() {
        Result r = ScenarioHarness.runFile("electrode-lift-short.yaml", 1, o -> o, x -> { });
        long paused = r.firstMs(x -> x.tMs() >= 60_000 && x.state().equals("PAUSED"));
        assertTrue(paused >= 60_000 && paused <= 60_100, "paused within a status frame or so: " + paused);
        assertTrue(r.between(paused, 80_000).stream().allMatch(x -> x.maCmd() == 0));
        long resumed = r.firstMs(x -> x.tMs() > 80_000 && x.state().equals("RAMP_UP"));
        assertTrue(resumed > 80_000 && resumed <= 81_200, "resumes ~1 s after contact is back: " + resumed);
        assertRamped(r.rows());
        assertEquals("completed", r.report().endReason());
        assertEquals(1, ((Number) summary(r).get("electrodeLifts")).intValue());
        assertEquals(1, r.events("electrode-lift").size());
        assertEquals(1, r.events("electrode-restored").size());
    }

    @Test
    void longElectrodeLiftEndsTheSession() {
        Result r = ScenarioHarness.runFile("electrode-lift-long.yaml", 10, o -> o, x -> { });
        assertEquals("electrode-lift-timeout", r.report().endReason());
        long ended = r.firstMs(x -> x.state().equals("COMPLETE"));
        assertTrue(ended >= 120_000 && ended <= 120_200, "ends after the 60 s lift timeout: " + ended);
        assertTrue(r.between(60_100, 200_000).stream().allMatch(x -> x.maCmd() == 0));
    }

    @Test
    void lowBatteryStopsHeatFirstThenCriticalRampsDownAndEnds() {
        Result r = ScenarioHarness.runFile("battery-low-critical.yaml", 10, o -> o, x -> { });
        assertTrue(r.between(290_000, 300_000).stream().anyMatch(x -> x.heaterEnabled() && x.duty() > 0), "heating before low");
        assertTrue(r.between(300_100, 480_000).stream().noneMatch(Row::heaterEnabled), "heat off after low battery");
        assertTrue(r.between(300_100, 480_000).stream().allMatch(x -> x.maCmd() == 20.0), "stimulation continues on low");
        assertEquals("battery-critical", r.report().endReason());
        List<Row> down = r.between(480_000, 500_000);
        assertTrue(down.stream().anyMatch(x -> x.state().equals("RAMP_DOWN")), "critical ramps down");
        for (int i = 1; i < down.size(); i++) {
            assertTrue(down.get(i).maCmd() <= down.get(i - 1).maCmd() + 1e-9, "ramp-down only goes down");
        }
        long ended = r.firstMs(x -> x.tMs() >= 480_000 && x.state().equals("COMPLETE"));
        assertTrue(ended > 489_000 && ended < 492_000, "20 mA at 2 mA/s ≈ 10 s of ramp-down: " + ended);
        assertEquals("battery-low", summary(r).get("heatEndReason"));
        assertEquals(1, r.events("battery-low").size());
    }

    @Test
    void fullSixtyMinuteSessionWithHeat() {
        Result r = ScenarioHarness.runFile("full-60min-heat.yaml", 10, o -> o, x -> { });
        assertEquals("completed", r.report().endReason());
        assertTrue(r.report().faults().isEmpty(), r.report().faults().toString());
        Map<String, Object> s = summary(r);
        assertTrue(((Number) s.get("deliveredMs")).longValue() >= 3_599_000, s.toString());
        assertTrue(((Number) s.get("heatMs")).longValue() > 3_000_000, s.toString());
        assertTrue(r.report().max().skinC() < 41.0);
        double cem = ((Number) s.get("cem43Min")).doubleValue();
        assertTrue(cem > 0.3 && cem < 1.5, "dose of about 60 min at 40 °C: " + cem);
        assertRamped(r.rows());
    }

    @Test
    void alternatingHeatNeverHeatsWhileStimulating() {
        Result r = ScenarioHarness.runFile("heat-alternating.yaml", 10, o -> o, x -> { });
        assertEquals("completed", r.report().endReason());
        for (Row x : r.rows()) {
            assertFalse(x.heaterEnabled() && x.duty() > 0 && x.maCmd() > 0, "heat and stimulation together at " + x.tMs());
        }
        assertTrue(r.rows().stream().anyMatch(x -> x.heaterEnabled() && x.duty() > 0), "heats in its phases");
        assertTrue(r.report().max().skinC() < 41.0);
    }

    @Test
    void thermalDoseBudgetEndsHeating() {
        SessionSettings d = SessionSettings.defaults();
        SessionSettings small = new SessionSettings(d.intensityStepMilliAmps(), d.minImpedanceOhms(), d.maxImpedanceOhms(),
                d.precheckMinMillis(), d.precheckTimeoutMillis(), d.electrodeRestoreMillis(), d.electrodeLiftTimeoutMillis(),
                d.heatMinSetpointCelsius(), d.heatCeilingMarginCelsius(), d.batteryLowPercent(), d.batteryCriticalPercent(),
                0.1, d.sensorFreshMillis());
        Result r = ScenarioHarness.runFile("full-60min-heat.yaml", 100,
                o -> new io.tensd.sim.scenario.ScenarioRunner.Options(o.limits(), o.safety(), small, o.loopRateHz(),
                        o.trace(), o.traceEvery(), o.events(), o.hooks()), x -> { });
        assertEquals("cem43-budget", summary(r).get("heatEndReason"));
        double cem = ((Number) summary(r).get("cem43Min")).doubleValue();
        assertTrue(cem < 0.12, "heating stopped when the budget was spent: " + cem);
        assertEquals("completed", r.report().endReason(), "stimulation continues");
    }
}
