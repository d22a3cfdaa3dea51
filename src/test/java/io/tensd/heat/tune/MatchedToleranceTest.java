package io.tensd.heat.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.config.Limits;
import io.tensd.heat.HeatSetup;
import io.tensd.safety.HeatModel;
import io.tensd.safety.SafetySettings;
import io.tensd.sim.HeatedSession;
import io.tensd.sim.PadPlant;
import io.tensd.sim.PadRig;
import io.tensd.sim.SimHeatTune;
import io.tensd.testkit.SeededCases;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The identified pad's cross-check tolerance ({@link MatchedTolerance}): its faults are caught no later than on the
 * nominal pad, where the nominal tolerance was up to 8 s late; never wider than nominal, never below half; no false
 * trip from the narrower tolerance. Full figures over 1,000 pads: docs/benchmarks.md §10.
 */
class MatchedToleranceTest {
    private static final HeatModel BASE = HeatModel.defaults();
    private static final long INJECT = 15 * 60_000L * PadRig.MS;

    /** Seconds from the injection to the first fault (−1: a fault before it; NaN: none within 60 s). */
    static double detect(PadPlant plant, double ambient, HeatSetup setup, PadRig.Fault fault) {
        PadRig.Result r = new PadRig(plant, ambient, 7).run(new HeatedSession(setup, Limits.defaults(), 40, true),
                INJECT + 60_000L * PadRig.MS, 0, new PadRig.Injection(fault, INJECT, 0));
        return r.firstFaultNanos() < 0 ? Double.NaN : r.firstFaultNanos() < INJECT ? -1 : (r.firstFaultNanos() - INJECT) / 1e9;
    }

    @Test
    void theNominalTargetsAreWhatTheNominalPadShows() {
        double[] model = MatchedTolerance.nominalSeconds(BASE);
        for (int k = 0; k < MatchedTolerance.FAULTS.length; k++) {
            double rig = detect(PadPlant.NOMINAL, 22, HeatSetup.nominal(), MatchedTolerance.FAULTS[k]);
            assertEquals(rig, model[k], 0.5, MatchedTolerance.FAULTS[k] + ": model " + model[k] + " s, rig " + rig + " s");
        }
    }

    /**
     * Pads (heat-tuned where they are used) on which the nominal tolerance caught a fault 6–8 s later than the
     * nominal pad: weak heaters in a warm room, a heavy pad with a thin garment in a cool one.
     */
    @Test
    void padsTheNominalToleranceWasLateOnAreCaughtAsSoonAsTheNominalPad() {
        double[] nominal = new double[MatchedTolerance.FAULTS.length];
        for (int k = 0; k < nominal.length; k++) {
            nominal[k] = detect(PadPlant.NOMINAL, 22, HeatSetup.nominal(), MatchedTolerance.FAULTS[k]);
        }
        Object[][] pads = {{new PadPlant(1.025, 1.25, 0.849), 28.0}, {new PadPlant(0.754, 1.197, 0.911), 28.0},
            {new PadPlant(0.884, 1.219, 0.754), 18.0}};
        for (Object[] p : pads) {
            PadPlant plant = (PadPlant) p[0];
            double ambient = (double) p[1];
            HeatSetup setup = tuned(plant, ambient);
            HeatSetup nominalTolerance = withTolerance(setup, BASE.toleranceCelsius());
            double lateBefore = 0;
            for (int k = 0; k < nominal.length; k++) {
                PadRig.Fault f = MatchedTolerance.FAULTS[k];
                double now = detect(plant, ambient, setup, f);
                String what = plant.padId() + " at " + ambient + " °C, " + f + ", tolerance "
                        + setup.model().toleranceCelsius() + ": ";
                assertTrue(now >= 0 && now <= nominal[k], what + now + " s, nominal pad " + nominal[k] + " s");
                lateBefore = Math.max(lateBefore, detect(plant, ambient, nominalTolerance, f) - nominal[k]);
            }
            assertTrue(lateBefore > 3, plant.padId() + ": the nominal tolerance was not late here (precondition)");
            PadRig.Result session = new PadRig(plant, ambient, 3).run(new HeatedSession(setup, Limits.defaults(), 40, false),
                    60 * 60_000L * PadRig.MS, 0, PadRig.Injection.NONE);
            assertEquals(0, session.faultBits(), plant.padId() + ": a fault in a 60-minute session without one");
        }
    }

    @Test
    void neverWiderNeverBelowHalf() {
        SeededCases.fromMaster(15L, 24).run(c -> {
            Random r = c.random();
            HeatModel m = new HeatModel(8 * draw(r), 60 * draw(r), 40 * draw(r), 2 * draw(r), 10 * draw(r), 2, 1,
                    BASE.learnSeconds(), BASE.maxLearnedCelsius(), BASE.settleMillis());
            double t = MatchedTolerance.of(m, PidTuning.simc(m), BASE);
            assertTrue(t <= BASE.toleranceCelsius() && t >= MatchedTolerance.MIN_RATIO * BASE.toleranceCelsius(),
                    m + " → " + t);
        });
    }

    private static double draw(Random r) { return 0.7 + 0.6 * r.nextDouble(); }

    static HeatSetup tuned(PadPlant plant, double ambient) {
        SimHeatTune.Outcome o = SimHeatTune.run(plant, ambient, 1, Limits.defaults(), SafetySettings.defaults(),
                "2026-12-02T00:00:00Z");
        assertTrue(o.calibration() != null, plant.padId() + ": " + o.failure());
        HeatSetup s = o.calibration().setup(plant.padId(), BASE);
        assertEquals(null, s.refusal());
        return s;
    }

    static HeatSetup withTolerance(HeatSetup s, double tol) {
        return new HeatSetup(s.model().withToleranceCelsius(tol), s.kpPerCelsius(), s.kiPerCelsiusSecond(),
                s.kdSecondsPerCelsius(), s.bandCelsius(), s.source(), s.refusal());
    }
}
