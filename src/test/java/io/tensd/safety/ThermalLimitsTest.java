package io.tensd.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The heat limits follow from the ceiling and the pad model (so an identified model gives identified limits). */
class ThermalLimitsTest {
    @Test
    void defaultsFromTheNominalModelAndA41DegreeCeiling() {
        ThermalLimits t = ThermalLimits.derive(HeatModel.defaults(), 41.0);
        assertEquals(43.7, t.padLimitCelsius(), 1e-9, "41 + 0.75·(41 − 37) − 0.3");
        assertEquals(40.83, ThermalLimits.steadySkinCelsius(t.padLimitCelsius(), 0.75, 37), 0.005, "exact pad channel, weakest coupling");
        assertEquals(41.0, t.skinBoundCelsius(), 1e-9, "pad channel at its worst reading error: exactly the ceiling");
        assertEquals(0.7167, t.dutyBound(40.0), 5e-4, "(1.5 W + 2.8 W) / (8 W · 0.75)");
        assertEquals(0, t.dutyBound(Double.NaN));
        assertEquals(1.0, t.padLimitFactor(43.0));
        assertEquals(0.5, t.padLimitFactor(43.45), 1e-9);
        assertEquals(0.0, t.padLimitFactor(43.7));
        assertEquals(1.0, t.padLimitFactor(Double.NaN), "no pad reading: the pad-sensor fault acts instead");
    }

    @Test
    void anIdentifiedModelMovesTheLimits() {
        HeatModel d = HeatModel.defaults();
        HeatModel stiffer = new HeatModel(10.0, d.padJoulesPerKelvin(), d.skinJoulesPerKelvin(), 3.0, d.padAirKelvinPerWatt(),
                2.0, d.toleranceCelsius(), d.learnSeconds(), d.maxLearnedCelsius(), d.settleMillis());
        ThermalLimits t = ThermalLimits.derive(stiffer, 41.0);
        assertEquals(41 + 1.5 * 0.75 * 4 - 0.3, t.padLimitCelsius(), 1e-9, "k = R_ps / R_sc = 1.5");
        assertEquals(0.5933, t.dutyBound(40.0), 5e-4, "pad 44.5 °C: (4.5/3 W + 29.5/10 W) / (10 W · 0.75)");
        for (double ceiling = 38; ceiling <= 43; ceiling += 0.5) {
            assertEquals(ceiling, ThermalLimits.derive(stiffer, ceiling).skinBoundCelsius(), 1e-9);
        }
    }
}
