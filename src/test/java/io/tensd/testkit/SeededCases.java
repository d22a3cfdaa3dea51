package io.tensd.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The driver loop of a seeded property test: runs its cases, each from its own case seed, and turns any failure of a
 * case into an {@link AssertionError} whose message starts with the master seed, the case index, the case seed and
 * the {@code -Dtensd.seed=…} that replays it (the original failure is the cause). Why here: the loop, its replay
 * properties and its failure message were copied into each property test and had drifted apart.
 *
 * <p>Two ways to derive the case seeds:
 * <ul>
 *   <li>{@link #fromMaster}: case seeds are drawn from {@code new Random(master)}. {@code -Dtensd.seed=N} sets the
 *       master and reruns the whole run.</li>
 *   <li>{@link #sequential}: case {@code i} has seed {@code mix(base + i)}. {@code -Dtensd.seed=N} runs the one case
 *       whose seed is N (the meaning it always had in these tests).</li>
 * </ul>
 * System properties (they apply to every converted test of the JVM: replay with {@code -Dtest=TheClass}):
 * <ul>
 *   <li>{@code -Dtensd.case=N}: new — run only the case with seed N, in either derivation.</li>
 *   <li>{@code -Dtensd.seed=N}: as above, unchanged.</li>
 *   <li>{@code -Dtensd.cases=N}: unchanged — read only by tests that read it before, through {@link #casesProperty}.</li>
 * </ul>
 * When one case is replayed, {@link #replaying()} is true: checks over the whole run (counts, worst cases) do not
 * apply to it. A replayed case has index 0, so a case may use {@link Case#index()} to name things but must draw its
 * inputs from its seed alone, or the replay is a different case.
 */
public final class SeededCases {
    /** One case: its index in the run and its seed. */
    public record Case(int index, long seed) {
        /** A fresh generator from the case seed. */
        public Random random() {
            return new Random(seed);
        }
    }

    /** A case that yields a result for the test's checks over the whole run. */
    @FunctionalInterface
    public interface Body<T> {
        T run(Case c) throws Exception;
    }

    /** A case with nothing to report but its failure. */
    @FunctionalInterface
    public interface Check {
        void run(Case c) throws Exception;
    }

    private final boolean fromMaster;
    private final long master;
    private final int cases;
    private final Long only;

    private SeededCases(boolean fromMaster, long master, int cases, Long only) {
        this.fromMaster = fromMaster;
        this.master = master;
        this.cases = cases;
        this.only = only;
    }

    /** Case seeds drawn from {@code new Random(master)}; {@code -Dtensd.seed} overrides the master. */
    public static SeededCases fromMaster(long defaultMaster, int cases) {
        return new SeededCases(true, Long.getLong("tensd.seed", defaultMaster), cases, Long.getLong("tensd.case"));
    }

    /**
     * Case {@code i} has seed {@code mix(base + i)}; {@code -Dtensd.seed=N} (or {@code -Dtensd.case=N}) runs the case
     * with seed N alone. Mixed because {@code new Random(s).nextDouble()} over consecutive {@code s} spans only ~8 % of
     * [0, 1): each test's first random parameter was nearly the same in every case.
     */
    public static SeededCases sequential(long base, int cases) {
        Long one = Long.getLong("tensd.case", Long.getLong("tensd.seed"));
        return new SeededCases(false, base, cases, one);
    }

    /** SplitMix64's finaliser: consecutive inputs give unrelated outputs. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** {@code -Dtensd.cases}, for the tests whose case count it always set. */
    public static int casesProperty(int defaultCases) {
        return Integer.getInteger("tensd.cases", defaultCases);
    }

    /** True when a single case was asked for by its seed. */
    public boolean replaying() {
        return only != null;
    }

    /** How many cases a run makes: 1 when replaying. */
    public int size() {
        return replaying() ? 1 : cases;
    }

    public long master() {
        return master;
    }

    /** Runs every case; the results in case order. */
    public <T> List<T> map(Body<T> body) {
        List<T> out = new ArrayList<>(size());
        if (replaying()) {
            out.add(runOne(new Case(0, only), body));
            return out;
        }
        Random seeds = new Random(master);
        for (int i = 0; i < cases; i++) {
            out.add(runOne(new Case(i, fromMaster ? seeds.nextLong() : mix(master + i)), body));
        }
        return out;
    }

    /** Runs every case. */
    public void run(Check check) {
        map(c -> {
            check.run(c);
            return null;
        });
    }

    private <T> T runOne(Case c, Body<T> body) {
        try {
            return body.run(c);
        } catch (AssertionError | Exception e) {
            String what = e instanceof AssertionError ? e.getMessage() : e.toString();
            throw new AssertionError(header(c) + ": " + what, e);
        }
    }

    /** Names the seeds and the exact property that replays the case. */
    String header(Case c) {
        if (replaying()) {
            return "replayed case, seed " + c.seed() + " (-Dtensd.case=" + c.seed() + ")";
        }
        String replay = fromMaster
                ? "-Dtensd.seed=" + master + " reruns the run, -Dtensd.case=" + c.seed() + " this case alone"
                : "-Dtensd.seed=" + c.seed() + " reruns this case alone";
        return "master " + master + ", case " + c.index() + ", seed " + c.seed() + " (replay: " + replay + ")";
    }
}
