package io.tensd.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The runner keeps each derivation's seeds (the converted tests' inputs) and names them in a failure. */
class SeededCasesTest {
    @BeforeEach
    void noReplayAsked() {
        // a -Dtensd.seed/-Dtensd.case given to replay another test's case would change these runs
        assumeTrue(System.getProperty("tensd.seed") == null && System.getProperty("tensd.case") == null);
    }

    @Test
    void fromMasterDrawsTheCaseSeedsFromTheMastersGenerator() {
        Random seeds = new Random(42);
        List<Long> want = List.of(seeds.nextLong(), seeds.nextLong(), seeds.nextLong());
        SeededCases cases = SeededCases.fromMaster(42, 3);
        assertEquals(want, cases.map(SeededCases.Case::seed));
        assertFalse(cases.replaying());
        assertEquals(3, cases.size());
    }

    @Test
    void sequentialCaseSeedsCountUpFromTheBase() {
        assertEquals(List.of(SeededCases.mix(100), SeededCases.mix(101), SeededCases.mix(102)), SeededCases.sequential(100, 3).map(SeededCases.Case::seed));
        assertEquals(List.of(0, 1, 2), SeededCases.sequential(100, 3).map(SeededCases.Case::index));
    }

    @Test
    void aFailingCaseNamesMasterIndexSeedAndTheReplay() {
        long third = new Random(7).longs(3).toArray()[2];
        AssertionError cause = new AssertionError("boom");
        AssertionError e = assertThrows(AssertionError.class, () -> SeededCases.fromMaster(7, 5).run(c -> {
            if (c.index() == 2) {
                throw cause;
            }
        }));
        assertEquals("master 7, case 2, seed " + third + " (replay: -Dtensd.seed=7 reruns the run, -Dtensd.case=" + third
                + " this case alone): boom", e.getMessage());
        assertSame(cause, e.getCause());
    }

    @Test
    void anExceptionIsAFailureOfItsCaseToo() {
        IllegalStateException cause = new IllegalStateException("bus");
        AssertionError e = assertThrows(AssertionError.class, () -> SeededCases.sequential(10, 5).run(c -> {
            if (c.seed() == SeededCases.mix(13)) {
                throw cause;
            }
        }));
        long s = SeededCases.mix(13);
        assertTrue(e.getMessage().startsWith("master 10, case 3, seed " + s + " (replay: -Dtensd.seed=" + s + " reruns this case alone): "
                + "java.lang.IllegalStateException: bus"), e.getMessage());
        assertSame(cause, e.getCause());
    }
}
