package io.tensd.posture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.sim.posture.ImuSynth;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ExerciseCountingTest {

    private record Outcome(int reps, Set<Integer> shallow, int setsDone, double minGoodRom, double maxRomError) { }

    private static Outcome run(long seed, boolean two, Exercise ex, int sets, int reps, double periodS,
                               Set<Integer> shallowReps, ImuSynth.Options options) {
        SimRun r = new SimRun(options, PostureConfig.defaults()).calibrated();
        double amplitude = 1.1 * ex.defaultTargetRomDeg();
        r.synth.startExercise(r.now, ex, sets * reps, periodS, amplitude, shallowReps);
        r.pipeline.startExercise(r.now, ExercisePrescription.of(ex, sets, reps));
        long end = r.synth.exerciseEndNanos() + 2_000_000_000L;
        while (r.now < end) {
            r.step();
        }
        Set<Integer> shallow = new TreeSet<>();
        double minGood = Double.MAX_VALUE;
        double maxErr = 0;
        int n = 0;
        for (PostureEvent.ExerciseRep e : r.events(PostureEvent.ExerciseRep.class)) {
            int overall = (e.set() - 1) * reps + e.rep();
            n++;
            double truth = shallowReps.contains(overall) ? 0.55 * amplitude : amplitude;
            maxErr = Math.max(maxErr, Math.abs(e.romDeg() - truth));
            if (e.shallow()) {
                shallow.add(overall);
            } else {
                minGood = Math.min(minGood, e.romDeg());
            }
        }
        assertEquals(shallow.size(), r.events(PostureEvent.RepTooShallow.class).size(), "seed " + seed);
        return new Outcome(n, shallow, r.events(PostureEvent.SetComplete.class).size(), minGood, maxErr);
    }

    @Test
    void everyExerciseCountedExactlyWithShallowRepsFlagged() {
        Random seeds = new Random(77);
        double worstRomError = 0;
        for (Exercise ex : Exercise.values()) {
            for (boolean two : new boolean[] {false, true}) {
                for (int i = 0; i < 3; i++) {
                    long seed = seeds.nextLong();
                    Random rnd = new Random(seed);
                    Set<Integer> shallow = new TreeSet<>();
                    for (int k = 0; k < 2; k++) {
                        shallow.add(1 + rnd.nextInt(10));
                    }
                    double period = 3 + rnd.nextDouble() * 3;
                    ImuSynth.Options o = ImuSynth.Options.realistic(seed, two);
                    if (i == 2) {
                        o = o.withNoise(0.02, 0.5); // a noisy sensor
                    }
                    Outcome out = run(seed, two, ex, 1, 10, period, shallow, o);
                    String ctx = ex.wireName() + " two=" + two + " seed " + seed + " period " + period;
                    assertEquals(10, out.reps(), ctx);
                    assertEquals(shallow, out.shallow(), ctx);
                    assertEquals(1, out.setsDone(), ctx);
                    worstRomError = Math.max(worstRomError, out.maxRomError());
                }
            }
        }
        System.out.printf("exercise counting: all reps exact, shallow flagged exactly; worst ROM error %.2f°%n", worstRomError);
        assertTrue(worstRomError < 3, "ROM error " + worstRomError);
    }

    @Test
    void threeSetsOfTenMcKenzie() {
        Outcome out = run(42, false, Exercise.MCKENZIE_EXTENSION, 3, 10, 4, Set.of(12, 25),
                ImuSynth.Options.realistic(42, false));
        assertEquals(30, out.reps());
        assertEquals(Set.of(12, 25), out.shallow());
        assertEquals(3, out.setsDone());
    }

    @Test
    void statsSummariseTheBlock() {
        SimRun r = new SimRun(ImuSynth.Options.realistic(8, true), PostureConfig.defaults()).calibrated();
        r.synth.startExercise(r.now, "bridge", 5, 4);
        r.pipeline.startExercise(r.now, ExercisePrescription.of(Exercise.BRIDGE, 1, 5));
        r.run(5000 + 5 * 4000 + 2000);
        PostureStats s = r.pipeline.stats();
        assertEquals(1, s.exercises().size());
        PostureStats.ExerciseStats e = s.exercises().get(0);
        assertEquals(5, e.reps());
        assertEquals(1, e.setsCompleted());
        assertEquals(5, e.romDeg().size());
        assertEquals(27.5, e.meanRomDeg(), 2.0);
        assertEquals(5, s.totalReps());
        assertTrue(s.millisByClass().get("lying") > 20_000, s.toString());
    }
}
