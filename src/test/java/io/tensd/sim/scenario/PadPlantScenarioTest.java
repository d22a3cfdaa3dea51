package io.tensd.sim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.config.ConfigException;
import io.tensd.config.Limits;
import io.tensd.sim.PadPlant;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scenario contract's {@code prescription.heat.plant}: parsed, range-checked with FILE:LINE, and it changes the pad. */
class PadPlantScenarioTest {
    private static String yaml(String plant) {
        return """
                name: plant
                seed: 3
                prescription:
                  program: conventional
                  frequencyHz: 100
                  pulseWidthMicros: 150
                  targetMilliAmps: 10.0
                  durationMinutes: 3
                  heat:
                    setpointCelsius: 40
                """ + plant + "timeline: []\n";
    }

    @Test
    void plantScalesParseAndDefaultToOne() throws Exception {
        Scenario s = ScenarioParser.parse("p.yaml", new StringReader(
                yaml("    plant: { gainScale: 1.2, tauScale: 0.8, couplingScale: 1.1 }\n")));
        assertEquals(new PadPlant(1.2, 0.8, 1.1), s.plant());
        Scenario partial = ScenarioParser.parse("p.yaml", new StringReader(yaml("    plant: { tauScale: 2 }\n")));
        assertEquals(new PadPlant(1, 2, 1), partial.plant());
        assertEquals(PadPlant.NOMINAL, ScenarioParser.parse("p.yaml", new StringReader(yaml(""))).plant());
    }

    @Test
    void outOfRangeOrUnknownScaleIsAFileLineError() {
        ConfigException ex = assertThrows(ConfigException.class, () -> ScenarioParser.parse("p.yaml", new StringReader(
                yaml("    plant:\n      gainScale: 2.5\n      tauScale: 0.4\n      coupling: 1\n"))));
        List<String> e = ex.errors().stream().map(Object::toString).toList();
        assertTrue(e.stream().anyMatch(x -> x.startsWith("p.yaml:12: prescription.heat.plant.gainScale: must be between 0.5 and 2")), e.toString());
        assertTrue(e.stream().anyMatch(x -> x.startsWith("p.yaml:13: prescription.heat.plant.tauScale: must be between 0.5 and 2")), e.toString());
        assertTrue(e.stream().anyMatch(x -> x.startsWith("p.yaml:14: prescription.heat.plant.coupling: unknown key")), e.toString());
    }

    /** Another pad gives another session (same seed, same prescription): the plant reaches the thermal model. */
    @Test
    void thePlantChangesTheSimulatedPad() throws Exception {
        double nominal = maxSkinOfShortSession("");
        double strong = maxSkinOfShortSession("    plant: { gainScale: 1.5, tauScale: 0.7 }\n");
        assertTrue(Math.abs(strong - nominal) > 0.3, "nominal " + nominal + " strong " + strong);
    }

    /** Highest true skin of a 3-minute heated session (still warming at its end). */
    private static double maxSkinOfShortSession(String plant) throws ConfigException {
        Scenario s = ScenarioParser.parse("p.yaml", new StringReader(yaml(plant)));
        return new ScenarioRunner(s, ScenarioRunner.Options.defaults(Limits.defaults())).run().max().skinC();
    }
}
