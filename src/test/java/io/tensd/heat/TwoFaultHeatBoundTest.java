package io.tensd.heat;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tensd.config.Limits;
import io.tensd.heat.HeatLoopSim.Drift;
import io.tensd.heat.HeatLoopSim.Plant;
import io.tensd.heat.HeatLoopSim.Result;
import io.tensd.safety.SafetySettings;
import io.tensd.safety.ThermalLimits;
import io.tensd.testkit.SeededCases;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Two simultaneous faults (both temperature channels drifting, either way, any rates and onsets) are outside the
 * single-fault claim; this measures the true-skin bound they reach (docs/hazards.md H-HEAT-10) and checks it stays
 * under the software's analytic two-fault bound: the model duty bound on the strongest pad in the warmest room.
 * -Dtensd.cases=N for more cases (default 60), -Dtensd.seed=N to rerun one.
 */
class TwoFaultHeatBoundTest {
    private static final int CASES = SeededCases.casesProperty(60);

    @Test
    void twoDriftingChannelsStayUnderTheDutyBoundsAnalyticLimit() {
        ThermalLimits limits = ThermalLimits.derive(SafetySettings.defaults().heatModel(), Limits.defaults().skinCeilingCelsius());
        SeededCases cases = SeededCases.sequential(16_2026L, CASES);
        List<Outcome> outcomes = cases.map(c -> {
            long seed = c.seed();
            Random r = c.random();
            double sp = 37 + r.nextDouble() * 3;
            Plant plant = new Plant(0.75 + r.nextDouble() * 0.5, 0.75 + r.nextDouble() * 0.5, 0.75 + r.nextDouble() * 0.5,
                    18 + r.nextDouble() * 10);
            double rate = -Math.pow(10, -2.3 + r.nextDouble() * 2);
            Drift skin = new Drift(rate, r.nextDouble() * 30);
            // the pad channel drifts too: the same way (the case that hides best) or a random rate
            Drift pad = r.nextBoolean() ? new Drift(rate, skin.onsetMinutes()) : new Drift(-Math.pow(10, -2.3 + r.nextDouble() * 2),
                    r.nextDouble() * 30);
            Result res = HeatLoopSim.run(seed, sp, 60, plant, skin, pad);
            double bound = analyticBound(limits, sp, plant);
            String what = String.format(Locale.ROOT, "seed %d: setpoint %.2f %s skin %.4f/min@%.1f pad %.4f/min@%.1f → true skin %.3f (bound %.2f), faults %s",
                    seed, sp, plant, skin.ratePerMinute(), skin.onsetMinutes(), pad.ratePerMinute(), pad.onsetMinutes(),
                    res.maxTrueSkin(), bound, res.faults());
            if (res.maxTrueSkin() > bound) {
                fail(what);
            }
            return new Outcome(res.maxTrueSkin(), what);
        });
        // max keeps the first of equally hot cases, as the loop did
        Outcome worst = outcomes.stream().max(Comparator.comparingDouble(Outcome::maxTrueSkin)).orElseThrow();
        System.out.printf(Locale.ROOT, "two-fault drift: %d cases, worst true skin %.3f °C (%s)%n", cases.size(),
                worst.maxTrueSkin(), worst.what());
        assertTrue(worst.maxTrueSkin() > 40.0, "the cases heat beyond the setpoint at all");
    }

    private record Outcome(double maxTrueSkin, String what) { }

    /**
     * Steady skin of this plant at the duty bound for the setpoint (core 37 °C, pad–skin and skin–core resistances
     * of the model scaled as the plant scales them).
     */
    static double analyticBound(ThermalLimits limits, double setpoint, Plant plant) {
        var m = limits.model();
        double watts = limits.dutyBound(setpoint) * m.heaterWatts() * plant.gain();
        double rps = m.padSkinKelvinPerWatt() * plant.coupling();
        double rsc = m.skinCoreKelvinPerWatt();
        double rpa = m.padAirKelvinPerWatt();
        double k = rps / rsc;
        // watts = (S − 37)/R_sc + (S + k(S − 37) − T_air)/R_pa
        double s = (watts + 37 / rsc + (37 * k + plant.ambientCelsius()) / rpa) / (1 / rsc + (1 + k) / rpa);
        return s;
    }
}
