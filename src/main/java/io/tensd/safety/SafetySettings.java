package io.tensd.safety;

/**
 * Engineering thresholds of the supervisor's plausibility, watch and runaway checks. Each default is
 * justified in docs/hazards.md; none of them can be changed remotely.
 *
 * @param tempValidMinCelsius       below this a temperature channel is open/failed (an open NTC reads very cold)
 * @param tempValidMaxCelsius       above this a channel is shorted/failed
 * @param tempMaxStepCelsius        largest plausible change between two consecutive samples (rate check)
 * @param stuckMillis               a reading bit-identical for this long is frozen
 * @param padMaxAboveSkinCelsius    pad hotter than skin by more than this: pad off the body, or runaway
 * @param skinMaxAbovePadCelsius    skin hotter than the pad that heats it by more than this (while heating)
 * @param idleAgreementCelsius      without heat the two channels settle together; beyond this they disagree
 * @param idleSettleMillis          how long without heat before the idle agreement applies
 * @param padMaxCelsius             hard ceiling for the pad itself
 * @param watchPeriodMillis         Marlin-style watch: heating at ≥ watchMinDuty must raise the skin …
 * @param watchRiseCelsius          … by this much within watchPeriodMillis, unless already near setpoint
 * @param watchMinDuty              duty that counts as "heating" for the watch
 * @param runawayWindowMillis       heater commanded off this long while the pad keeps rising …
 * @param runawayRiseCelsius        … by more than this → runaway
 * @param runawayAboveSetpointCelsius skin above setpoint by this much …
 * @param runawayAboveSetpointMillis  … for this long → runaway
 * @param heaterDutyCap             maximum duty the controller may command (pad power budget)
 * @param outputMismatchMilliAmps   measured current above commanded by more than this (and 10 %) …
 * @param outputMismatchFrames      … in this many consecutive status frames → fault
 * @param stimStartupGraceMillis    the first status frame may take this long after start
 * @param heatModel                 pad-on-body model and tolerance of the channel cross-check ({@link HeatObserver})
 */
public record SafetySettings(double tempValidMinCelsius, double tempValidMaxCelsius, double tempMaxStepCelsius,
                             long stuckMillis, double padMaxAboveSkinCelsius, double skinMaxAbovePadCelsius,
                             double idleAgreementCelsius, long idleSettleMillis, double padMaxCelsius,
                             long watchPeriodMillis, double watchRiseCelsius, double watchMinDuty,
                             long runawayWindowMillis, double runawayRiseCelsius,
                             double runawayAboveSetpointCelsius, long runawayAboveSetpointMillis,
                             double heaterDutyCap, double outputMismatchMilliAmps, int outputMismatchFrames,
                             long stimStartupGraceMillis, HeatModel heatModel) {

    /** The original form, with the default {@link HeatModel}. */
    public SafetySettings(double tempValidMinCelsius, double tempValidMaxCelsius, double tempMaxStepCelsius,
                          long stuckMillis, double padMaxAboveSkinCelsius, double skinMaxAbovePadCelsius,
                          double idleAgreementCelsius, long idleSettleMillis, double padMaxCelsius,
                          long watchPeriodMillis, double watchRiseCelsius, double watchMinDuty,
                          long runawayWindowMillis, double runawayRiseCelsius,
                          double runawayAboveSetpointCelsius, long runawayAboveSetpointMillis,
                          double heaterDutyCap, double outputMismatchMilliAmps, int outputMismatchFrames,
                          long stimStartupGraceMillis) {
        this(tempValidMinCelsius, tempValidMaxCelsius, tempMaxStepCelsius, stuckMillis, padMaxAboveSkinCelsius,
                skinMaxAbovePadCelsius, idleAgreementCelsius, idleSettleMillis, padMaxCelsius, watchPeriodMillis,
                watchRiseCelsius, watchMinDuty, runawayWindowMillis, runawayRiseCelsius, runawayAboveSetpointCelsius,
                runawayAboveSetpointMillis, heaterDutyCap, outputMismatchMilliAmps, outputMismatchFrames,
                stimStartupGraceMillis, HeatModel.defaults());
    }

    /** Defaults for a body-worn pad; each heater default is justified in docs/hazards-therapy.md. */
    public static SafetySettings defaults() {
        return new SafetySettings(10.0, 55.0, 1.0, 60_000, 9.0, 1.5, 1.5, 180_000, 46.0,
                90_000, 0.5, 0.3, 15_000, 0.5, 0.75, 30_000, 0.8, 2.0, 3, 1_000, HeatModel.defaults());
    }
}
