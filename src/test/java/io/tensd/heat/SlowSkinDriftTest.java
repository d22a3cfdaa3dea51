package io.tensd.heat;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.sim.scenario.RunReport;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 16's single-fault case through the whole simulated device: the skin channel drifts low at 0.05 °C per
 * minute from minute 5 of a 60-minute heat session (src/test/resources/scenarios/skin-drift-slow-minus.yaml is the
 * same at 40 °C). The pad limit keeps the TRUE skin under the 41 °C ceiling, and the model plausibility check ends
 * the session with a fault.
 */
class SlowSkinDriftTest {
    @ParameterizedTest(name = "setpoint {0}")
    @ValueSource(doubles = {40.0, 39.0})
    void trueSkinStaysUnderTheCeilingAndTheDriftEndsInAFault(double setpoint) {
        RunReport r = DriftRuns.run(DriftRuns.scenario(setpoint, 60, 16, new DriftRuns.Drift("skin-sensor", -0.05, 5)), x -> { });
        System.out.printf(Locale.ROOT, "setpoint %.1f: true skin max %.3f °C, pad max %.3f °C, end %s, faults %s%n", setpoint,
                r.max().skinC(), r.max().padC(), r.endReason(), r.faults());
        assertTrue(r.max().skinC() < 41.0, "true skin reached " + r.max().skinC());
        assertFalse(r.faults().isEmpty(), "the drift is detected");
        assertTrue(r.endReason().startsWith("fault:"), r.endReason());
    }
}
