package io.tensd.heat.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.safety.HeatModel;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The identified pad's cross-check tolerance: the nominal one on a nominal pad, narrower on a pad whose faults
 * show more slowly (so they are caught as soon), never wider, never below half (bench figures: docs/benchmarks.md §10).
 */
class IdentifiedToleranceTest {
    private static final HeatModel BASE = HeatModel.defaults();

    private static ThermalFit.Result pad(double watts, double padJ, double skinJ, double padSkin) {
        ThermalFit.Estimate e = new ThermalFit.Estimate(1, 0.01);
        return new ThermalFit.Result(new ThermalFit.Estimate(watts, 0.1), new ThermalFit.Estimate(padJ, 1),
                new ThermalFit.Estimate(skinJ, 0.1), new ThermalFit.Estimate(padSkin, 0.01), new ThermalFit.Estimate(10, 1),
                e, e, BASE.skinCoreKelvinPerWatt(), 0.03, 0.1, 1000);
    }

    @Test
    void nominalPadKeepsTheNominalTolerance() {
        assertEquals(BASE.toleranceCelsius(), pad(8, 60, 40, 2).toleranceCelsius(BASE), 1e-12);
        assertEquals(BASE.toleranceCelsius(), pad(8, 60, 40, 2).model(BASE).toleranceCelsius(), 1e-12);
    }

    @Test
    void aWeakHeavyPadGetsANarrowerOne() {
        // 0.75 W, 1.25 C_p: a stuck-on heater's pad residual grows at 0.6 of the nominal rate
        assertEquals(0.6 * BASE.toleranceCelsius(), pad(6, 75, 40, 2).toleranceCelsius(BASE), 1e-9);
        // a lifted pad on heavy skin side: 1/(R_ps·C_s) at 1/(1.25·1.25)
        assertEquals(0.64 * BASE.toleranceCelsius(), pad(8, 60, 50, 2.5).toleranceCelsius(BASE), 1e-9);
    }

    @Test
    void neverWiderNeverBelowHalf() {
        Random r = new Random(15);
        for (int i = 0; i < 10_000; i++) {
            double s = 0.5 + 1.5 * r.nextDouble();
            double t = pad(8 * (0.5 + 1.5 * r.nextDouble()), 60 * s, 40 * (0.5 + 1.5 * r.nextDouble()), 2 * (0.5 + 1.5 * r.nextDouble()))
                    .toleranceCelsius(BASE);
            assertTrue(t <= BASE.toleranceCelsius() + 1e-12 && t >= 0.5 * BASE.toleranceCelsius() - 1e-12, "case " + i + ": " + t);
        }
    }
}
