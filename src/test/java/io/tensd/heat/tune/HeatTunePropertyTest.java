package io.tensd.heat.tune;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tensd.config.Limits;
import io.tensd.safety.Inputs;
import io.tensd.safety.SafetySettings;
import io.tensd.safety.SafetySupervisor;
import io.tensd.safety.Verdict;
import io.tensd.sim.PadPlant;
import io.tensd.sim.PadRig;
import io.tensd.testkit.SeededCases;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The identification experiment over random plants (each scale 0.6–1.6, ambient 16–30 °C) and a random fault of
 * every kind the heat path can see, injected at a random moment of the experiment: it always ends, the heater is off
 * at its end and stays off (enable line open) for the minute after, and the true skin never passes the ceiling nor
 * the experiment's own stop temperature by more than the lag of the skin node. Seeded: the failure names the seed;
 * rerun one case with -Dtensd.seed=N, more with -Dtensd.cases=N (default 40).
 */
class HeatTunePropertyTest {
    private static final int CASES = SeededCases.casesProperty(40);

    @Test
    void experimentAlwaysEndsWithTheHeaterOffAndTheSkinUnderTheCeiling() {
        Limits limits = Limits.defaults();
        SeededCases cases = SeededCases.sequential(1501L, CASES);
        List<Outcome> outcomes = cases.map(c -> {
            long seed = c.seed();
            Random r = c.random();
            PadPlant plant = new PadPlant(0.6 + r.nextDouble(), 0.6 + r.nextDouble(), 0.6 + r.nextDouble());
            double ambient = 16 + r.nextDouble() * 14;
            PadRig.Fault[] kinds = PadRig.Fault.values();
            PadRig.Fault fault = kinds[r.nextInt(kinds.length)];
            // within the experiment (rest 1 min, the step and 8 min of cooling: it ends after 9–24 min)
            long at = (long) (r.nextDouble() * 9 * 60_000) * PadRig.MS;
            double drift = (r.nextBoolean() ? 1 : -1) * (0.5 + r.nextDouble() * 3);
            SafetySupervisor sup = new SafetySupervisor(limits, SafetySettings.defaults());
            TunePlan plan = TunePlan.defaults(limits.skinCeilingCelsius(), sup.thermalLimits().padLimitCelsius());
            TuneRun run = new TuneRun(sup, plan);
            PadRig.Result res = new PadRig(plant, ambient, seed).run(driver(run), 40 * 60_000 * PadRig.MS,
                    60_000 * PadRig.MS, new PadRig.Injection(fault, at, drift));
            String what = String.format(Locale.ROOT, "seed %d: %s ambient %.1f, %s at %.1f min (drift %+.2f): end '%s', heat end '%s', max skin %.3f",
                    seed, plant, ambient, fault, at / 60e9, drift, run.experiment().endReason(),
                    run.experiment().heatEndReason(), res.maxTrueSkinCelsius());
            if (!run.finished()) {
                fail(what + ": the experiment did not end");
            }
            if (res.heatAfterFinish() != 0 || res.powerAtEnd() != 0) {
                fail(what + ": heater on after the end (" + res.heatAfterFinish() + " ticks, power " + res.powerAtEnd() + ")");
            }
            if (res.maxTrueSkinCelsius() >= limits.skinCeilingCelsius()
                    || res.maxTrueSkinCelsius() > plan.skinStopCelsius() + 1.0) {
                fail(what + ": skin too warm");
            }
            return new Outcome(run.experiment().phase() == TuneExperiment.Phase.ABORTED, res.maxTrueSkinCelsius());
        });
        int n = cases.size();
        long aborted = outcomes.stream().filter(Outcome::aborted).count();
        double worst = outcomes.stream().mapToDouble(Outcome::maxTrueSkinCelsius).max().orElse(0);
        System.out.printf(Locale.ROOT, "heat-tune property: %d cases, %d aborted by their fault, worst true skin %.3f °C%n",
                n, aborted, worst);
        assertTrue(n == 1 || aborted > n / 3, "the injected faults abort experiments at all: " + aborted);
    }

    private record Outcome(boolean aborted, double maxTrueSkinCelsius) { }

    static PadRig.Driver driver(TuneRun run) {
        return new PadRig.Driver() {
            @Override
            public Verdict tick(long now, Inputs in) { return run.tick(now, in); }

            @Override
            public boolean finished() { return run.finished(); }
        };
    }
}
