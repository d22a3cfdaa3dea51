package io.tensd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.config.Limits;
import io.tensd.heat.HeatSetup;
import io.tensd.safety.SafetySettings;
import io.tensd.therapy.Programs;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The warm-up only helps if it really runs the paths a first session takes: every program family, each reaching
 * stimulation (a refused or faulted warm-up session would link the refusal path only). The fresh-JVM effect itself,
 * a first session that does not fault with loop-overrun, is what {@code DaemonProcessTest} measures.
 */
class LoopWarmupTest {
    @Test
    void everyProgramFamilyStartsAndStimulates() {
        HeatSetup heat = HeatSetup.nominal();
        LoopWarmup.Result r = LoopWarmup.run(Limits.defaults(), heat.applyTo(SafetySettings.defaults()), heat);
        Set<String> programs = LoopWarmup.prescriptions(true).stream().map(p -> p.program()).collect(Collectors.toSet());
        assertEquals(Programs.WIRE_NAMES, programs, "the warm-up covers every program the loop can run");
        assertEquals(Programs.WIRE_NAMES.size(), r.sessions());
        assertEquals(r.sessions(), r.stimulated(), "every warm-up session reached stimulation: " + r);
        assertTrue(r.ticks() >= 5 * 1_000, r.toString());
        System.out.println("loop warm-up: " + r);
    }
}
