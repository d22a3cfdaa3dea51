package io.tensd.sim.scenario;

import static io.tensd.sim.scenario.ScenarioHarness.run;
import static io.tensd.sim.scenario.ScenarioHarness.scenario;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.sim.scenario.ScenarioHarness.Result;
import io.tensd.sim.scenario.ScenarioHarness.Row;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stimulator's enable line is down whenever no output is intended (trace column {@code stim_enabled}): while the
 * patient has paused, after the session and in the tick it completes. The one exception is the board's
 * sub-sensory impedance probe (precheck, and a pause for a lifted electrode), which needs the output stage on at
 * 0 mA; docs/hazards.md says why.
 */
class StimEnableLineTest {

    @Test
    void enableDropsWhilePausedByThePatientAndFromTheTickTheSessionCompletes() {
        Result r = run(scenario(3, false, "  - { at: 60s, press: pause }\n  - { at: 90s, press: resume }\n"));
        List<Row> paused = r.rows().stream().filter(x -> x.s("state").equals("PAUSED")).toList();
        assertTrue(paused.size() >= 2_900, "paused ~30 s: " + paused.size());
        assertTrue(paused.stream().noneMatch(x -> x.b("stim_enabled")), "enabled while paused: "
                + paused.stream().filter(x -> x.b("stim_enabled")).findFirst().orElse(null));
        List<Row> complete = r.rows().stream().filter(x -> x.s("state").equals("COMPLETE")).toList();
        assertFalse(complete.isEmpty());
        assertTrue(complete.stream().noneMatch(x -> x.b("stim_enabled")), "enabled after completion: " + complete.get(0));
        assertEquals("COMPLETE", r.report().endState());
        Row resumed = r.at(90_000);
        assertEquals("RAMP_UP", resumed.s("state"));
        assertTrue(resumed.b("stim_enabled") && resumed.d("stim_ma_cmd") <= 0.021, "resume ramps from zero: " + resumed);
        assertTrue(r.rows().stream().filter(x -> x.s("state").equals("PRECHECK")).allMatch(x -> x.d("stim_ma_cmd") == 0),
                "the precheck probe is at 0 mA");
    }

    @Test
    void aPauseForALiftedElectrodeKeepsOnlyTheZeroMilliampProbe() {
        Result r = run(scenario(3, false, "  - { at: 60s, inject: { electrode: lift } }\n  - { at: 70s, inject: { electrode: restore } }\n"));
        List<Row> paused = r.rows().stream().filter(x -> x.s("state").equals("PAUSED")).toList();
        assertFalse(paused.isEmpty());
        assertTrue(paused.stream().allMatch(x -> x.d("stim_ma_cmd") == 0), "0 mA while the electrode is lifted");
        assertTrue(r.rows().stream().anyMatch(x -> x.t() > 71_000 && x.s("state").equals("ACTIVE")), "contact seen again, resumed");
    }
}
