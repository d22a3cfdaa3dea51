package io.tensd.sim.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded scenario fuzzing in the build: random limits files, prescriptions inside and outside them, and timelines of
 * injections, presses, stalls and remote commands; every trace row checked against docs/hazards.md. The seed of a
 * failing scenario is printed with the scenario; rerun it alone with -Dtensd.seed=N, more with -Dtensd.scenarios=N
 * (the bench: {@link FuzzBench}).
 */
class ScenarioFuzzTest {
    @Test
    void everyRowOfEveryRandomScenarioKeepsEveryHazardRule(@TempDir Path dir) {
        Long one = Long.getLong("tensd.seed");
        long seed = one != null ? one : 16_000L;
        int count = one != null ? 1 : Integer.getInteger("tensd.scenarios", 200);
        ScenarioFuzzer.Totals t = ScenarioFuzzer.runMany(dir, seed, count);
        System.out.printf("fuzz: %d scenarios (%d refused by the parser), %d rows checked, %d violations%n",
                t.scenarios, t.refused, t.rows, t.violations);
        assertEquals(0, t.violations, t.describeFailure());
        assertTrue(t.rows > 100L * (t.scenarios - t.refused), "the scenarios ran");
    }
}
