package io.tensd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The bench options shared through mixins reach each bench with their values and defaults (names are a contract). */
class BenchOptionsTest {
    private static <T> T parsed(Class<T> type, String... args) {
        CommandLine root = Main.commandLine();
        root.parseArgs(args);
        return type.cast(root.getSubcommands().get("bench").getSubcommands().get(args[1]).getCommand());
    }

    @Test
    void loopRateReachesLoopAndFaults() {
        assertEquals(1000, parsed(BenchCommand.Loop.class, "bench", "loop", "--rate", "1000").rate.hz);
        assertEquals(100, parsed(BenchCommand.Loop.class, "bench", "loop").rate.hz);
        assertEquals(1000, parsed(BenchCommand.Faults.class, "bench", "faults", "--rate", "1000").rate.hz);
        assertEquals(100, parsed(BenchCommand.Faults.class, "bench", "faults").rate.hz);
    }

    @Test
    void stimSeedReachesStimFuzzAndStimBurst() {
        assertEquals(5, parsed(BenchCommand.StimFuzzBench.class, "bench", "stim-fuzz", "--seed", "5").stimSeed.seed);
        assertEquals(17, parsed(BenchCommand.StimFuzzBench.class, "bench", "stim-fuzz").stimSeed.seed);
        assertEquals(5, parsed(BenchCommand.StimBurstBench.class, "bench", "stim-burst", "--seed", "5").stimSeed.seed);
        assertEquals(17, parsed(BenchCommand.StimBurstBench.class, "bench", "stim-burst").stimSeed.seed);
    }

    @Test
    void aLoopRateOtherThan100Or1000IsRefusedWithExit2() {
        for (String bench : new String[] {"loop", "faults"}) {
            StringWriter err = new StringWriter();
            CommandLine cl = Main.commandLine();
            cl.setErr(new PrintWriter(err, true));
            assertEquals(2, cl.execute("bench", bench, "--rate", "50"), err.toString());
            assertTrue(err.toString().startsWith("tensd: --rate must be 100 or 1000, got 50"), err.toString());
        }
    }

    @Test
    void helpShowsTheSharedOptionsAsBefore() {
        CommandLine bench = Main.commandLine().getSubcommands().get("bench");
        for (String b : new String[] {"loop", "faults"}) {
            assertTrue(usage(bench, b).contains("--rate=HZ loop rate: 100 or 1000 (default 100)"), usage(bench, b));
        }
        for (String b : new String[] {"stim-fuzz", "stim-burst"}) {
            assertTrue(usage(bench, b).contains("--seed=<seed> seed (default 17)"), usage(bench, b));
        }
    }

    private static String usage(CommandLine bench, String name) {
        StringWriter w = new StringWriter();
        bench.getSubcommands().get(name).usage(new PrintWriter(w), CommandLine.Help.Ansi.OFF);
        return w.toString().replaceAll(" +", " "); // columns differ per command
    }
}
