package io.tensd.heat.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tensd.sim.PadPlant;
import io.tensd.sim.SimDevice;
import io.tensd.sim.ThermalModel;
import org.junit.jupiter.api.Test;

/**
 * The fit on data of the model itself, noise-free: it must give the plant back. Before the integral form, central
 * differences against trapezoid means biased W and C_p low by 2 % (4-min step) to 6 % (20 s step, a step cut by the
 * cross-check residual) on exactly this data.
 */
class ThermalFitTest {
    private static final double REST_S = 60;
    private static final double COOL_S = 480;
    private static final double SAMPLE_S = 0.1;

    @Test
    void noiseFreeDataOfTheModelGivesThePlantBack() {
        PadPlant[] plants = {new PadPlant(1.2, 0.8, 1.1), new PadPlant(0.8, 1.2, 0.9), new PadPlant(1.1, 1.0, 1.0),
                PadPlant.NOMINAL};
        for (PadPlant p : plants) {
            for (double heatSeconds : new double[] {20, 240}) {
                ThermalFit.Result f = ThermalFit.fit(experiment(p, heatSeconds), REST_S - 5, 2.0);
                String what = p + ", " + heatSeconds + " s step: " + f;
                assertEquals(SimDevice.HEATER_WATTS * p.gainScale(), f.heaterWatts().value(), 0.003 * 8 * p.gainScale(), what);
                assertEquals(60 * p.tauScale(), f.padJoulesPerKelvin().value(), 0.003 * 60 * p.tauScale(), what);
                assertEquals(40 * p.tauScale(), f.skinJoulesPerKelvin().value(), 0.003 * 40 * p.tauScale(), what);
                assertEquals(2 * p.couplingScale(), f.padSkinKelvinPerWatt().value(), 0.003 * 2 * p.couplingScale(), what);
                assertEquals(10, f.padAirKelvinPerWatt().value(), 0.01 * 10, what);
                assertEquals(SimDevice.AMBIENT_CELSIUS, f.airCelsius().value(), 0.05, what);
            }
        }
    }

    /** Rest, a step of duty 0.5, cooling; 10 Hz samples, each with the duty applied since the previous one. */
    static TuneExperiment.Samples experiment(PadPlant p, double heatSeconds) {
        ThermalModel m = p.thermalModel(SimDevice.AMBIENT_CELSIUS);
        int on = (int) Math.round(REST_S / SAMPLE_S);
        int off = on + (int) Math.round(heatSeconds / SAMPLE_S);
        int n = off + (int) Math.round(COOL_S / SAMPLE_S);
        TuneExperiment.Samples s = new TuneExperiment.Samples(n + 1);
        double duty = 0;
        for (int i = 0; i <= n; i++) {
            s.add(i * SAMPLE_S, m.skinCelsius(), m.padCelsius(), duty);
            duty = i >= on && i < off ? 0.5 : 0;
            for (int k = 0; k < 10; k++) {
                m.step(SAMPLE_S / 10, duty);
            }
        }
        return s;
    }
}
