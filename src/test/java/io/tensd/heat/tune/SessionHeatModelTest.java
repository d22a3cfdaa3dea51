package io.tensd.heat.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.config.Limits;
import io.tensd.heat.HeatSetup;
import io.tensd.safety.FaultCode;
import io.tensd.safety.HeatModel;
import io.tensd.safety.SafetySettings;
import io.tensd.session.SessionEvent;
import io.tensd.session.SessionSummary;
import io.tensd.sim.PadPlant;
import io.tensd.sim.SimDevice;
import io.tensd.sim.SimHeatTune;
import io.tensd.sim.scenario.RunReport;
import io.tensd.sim.scenario.ScenarioParser;
import io.tensd.sim.scenario.ScenarioRunner;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A session with an identified pad model: refused (event + summary) on another pad, and the online residual: a skin
 * channel drifting −2 °C is reported (heat-model-residual) before the cross-check's fault, which still comes.
 */
class SessionHeatModelTest {
    static final PadPlant PLANT = new PadPlant(1.2, 0.8, 1.1);
    static PadCalibration cal;

    @BeforeAll
    static void tune() {
        cal = SimHeatTune.run(PLANT, SimDevice.AMBIENT_CELSIUS, 3, Limits.defaults(), SafetySettings.defaults(),
                "2026-12-02T00:00:00Z").calibration();
    }

    static ScenarioRunner runner(String timeline, HeatSetup setup) throws Exception {
        String yaml = """
                name: tuned
                seed: 4
                prescription:
                  program: conventional
                  frequencyHz: 100
                  pulseWidthMicros: 150
                  targetMilliAmps: 10.0
                  durationMinutes: 20
                  heat:
                    setpointCelsius: 40
                    plant: { gainScale: 1.2, tauScale: 0.8, couplingScale: 1.1 }
                timeline:
                """ + timeline;
        return new ScenarioRunner(ScenarioParser.parse("t.yaml", new StringReader(yaml)),
                ScenarioRunner.Options.defaults(Limits.defaults()).withHeat(setup));
    }

    @Test
    void aModelOfAnotherPadIsRefusedAndTheSessionSaysWhy() throws Exception {
        HeatSetup other = cal.setup("sim-g1.000-t1.000-c1.000", HeatModel.defaults());
        ScenarioRunner r = runner("  []\n", other);
        RunReport rep = r.run();
        SessionEvent refused = r.events().stream().filter(e -> e.type().equals("heat-refused")).findFirst().orElseThrow();
        assertTrue(String.valueOf(refused.data().get("reason")).contains("belongs to pad " + PLANT.padId()), refused.toString());
        SessionSummary sum = r.controller().session().lastSummary();
        assertEquals("heat-model-refused", sum.heatEndReason());
        assertEquals(0, sum.heatMillis(), "no heat at all");
        assertEquals("completed", rep.endReason(), "stimulation still runs");
    }

    @Test
    void onItsPadTheModelHeatsAndASkinDriftIsReportedBeforeTheFault() throws Exception {
        HeatSetup own = cal.setup(PLANT.padId(), HeatModel.defaults());
        assertEquals(null, own.refusal());
        ScenarioRunner clean = runner("  []\n", own);
        RunReport ok = clean.run();
        assertEquals("completed", ok.endReason(), ok.faults().toString());
        assertTrue(clean.controller().session().lastSummary().heatMillis() > 10 * 60_000);
        assertFalse(clean.events().stream().anyMatch(e -> e.type().equals("heat-model-residual")), "no report on a clean run");

        ScenarioRunner drift = runner("  - { at: 12m, inject: { skin-sensor: \"drift:-2.0\" } }\n", own);
        RunReport rep = drift.run();
        List<SessionEvent> ev = drift.events();
        SessionEvent reported = ev.stream().filter(e -> e.type().equals("heat-model-residual")).findFirst().orElseThrow();
        RunReport.FaultRecord fault = rep.faults().get(0);
        assertEquals(FaultCode.TEMP_CHANNEL_MISMATCH.wireName(), fault.code());
        assertTrue(reported.atNanos() < ev.stream().filter(e -> e.type().equals("fault-raised")).findFirst().orElseThrow().atNanos(),
                "reported before the fault: " + ev);
    }
}
