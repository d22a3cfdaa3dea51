package io.tensd.safety;

/**
 * Nominal thermal parameters of the heat pad on the body, for the supervisor's channel cross-check
 * ({@link HeatObserver}). On hardware they come from the pad's bench identification; the tolerance covers
 * the spread between pads, bodies and clothing (docs/hazards-therapy.md, H-HEAT-03).
 * <pre>
 *   heater ─▶ [pad, C_pad] ──R_ps── [skin, C_skin] ──R_sc── core
 *                  └──R_pa── ambient
 * </pre>
 *
 * @param heaterWatts            heater power at duty 1
 * @param padJoulesPerKelvin     pad heat capacity
 * @param skinJoulesPerKelvin    heat capacity of the skin volume under the pad
 * @param padSkinKelvinPerWatt   pad → skin thermal resistance
 * @param padAirKelvinPerWatt    pad → ambient thermal resistance (through clothing)
 * @param skinCoreKelvinPerWatt  skin → body core (perfusion)
 * @param toleranceCelsius       allowed |measured − predicted| of either channel, after learning
 * @param learnSeconds           time constant of the slow offset learning (ambient, perfusion)
 * @param maxLearnedCelsius      learned offsets are bounded: a channel cannot be "learned away" further
 * @param settleMillis           the cross-check starts this long after the first pair of readings
 */
public record HeatModel(double heaterWatts, double padJoulesPerKelvin, double skinJoulesPerKelvin,
                        double padSkinKelvinPerWatt, double padAirKelvinPerWatt, double skinCoreKelvinPerWatt,
                        double toleranceCelsius, double learnSeconds, double maxLearnedCelsius, long settleMillis) {

    /** This model with another cross-check tolerance. */
    public HeatModel withToleranceCelsius(double tol) {
        return new HeatModel(heaterWatts, padJoulesPerKelvin, skinJoulesPerKelvin, padSkinKelvinPerWatt,
                padAirKelvinPerWatt, skinCoreKelvinPerWatt, tol, learnSeconds, maxLearnedCelsius, settleMillis);
    }

    public static HeatModel defaults() {
        return new HeatModel(8.0, 60.0, 40.0, 2.0, 10.0, 2.0, 1.0, 600.0, 1.5, 60_000);
    }
}
