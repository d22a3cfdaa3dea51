package io.tensd.sim.fuzz;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The scenario fuzzer at bench size: {@code java -cp $CP io.tensd.sim.fuzz.FuzzBench [scenarios=1000] [seed=16000]}.
 * Prints scenarios run, rows checked and violations (with the first failing seed and scenario); exit 1 on a violation.
 */
public final class FuzzBench {
    private FuzzBench() { }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 16_000L;
        Path dir = Files.createTempDirectory("tensd-fuzz-");
        long t0 = System.nanoTime();
        ScenarioFuzzer.Totals t = ScenarioFuzzer.runMany(dir, seed, count);
        double wall = (System.nanoTime() - t0) / 1e9;
        Files.deleteIfExists(dir);
        if (t.scenarios - t.refused == 0 || t.rows == 0) {
            System.out.println("no scenario ran: no figure");
            System.exit(2);
        }
        System.out.printf("seed %d: %d scenarios run (%d refused by the parser), %,d trace rows checked, %d violations, %.1f s wall%n",
                seed, t.scenarios, t.refused, t.rows, t.violations, wall);
        if (t.violations > 0) {
            System.out.println(t.describeFailure());
            System.exit(1);
        }
    }
}
