package io.tensd.heat;

import io.tensd.safety.HeatModel;
import io.tensd.safety.SafetySettings;

/**
 * What a session heats with: the pad model (the supervisor's cross-check and limits use the same one, through
 * {@code SafetySettings.heatModel}), the PID gains, the model's confidence band for the online residual report, and
 * whether heat is allowed at all with this model.
 *
 * @param model        pad-on-body model
 * @param kpPerCelsius PID gains ({@link HeatController})
 * @param bandCelsius  the cross-check residual beyond this is reported ({@code heat-model-residual} event, summary);
 *                     beyond the model's tolerance it is the {@code temp-channel-mismatch} fault, as always
 * @param source       "nominal" or where the identified model came from (pad id and date)
 * @param refusal      null when heat is allowed; otherwise why not (the session says it and runs without heat)
 */
public record HeatSetup(HeatModel model, double kpPerCelsius, double kiPerCelsiusSecond, double kdSecondsPerCelsius,
                        double bandCelsius, String source, String refusal) {
    /** Band of the nominal model: half the cross-check's tolerance. */
    public static HeatSetup nominal() {
        HeatModel m = HeatModel.defaults();
        return new HeatSetup(m, 0.35, 0.0035, 2.0, m.toleranceCelsius() / 2, "nominal", null);
    }

    /** {@code s} with this setup's model: the supervisor's cross-check and thermal limits then use it. */
    public SafetySettings applyTo(SafetySettings s) {
        return new SafetySettings(s.tempValidMinCelsius(), s.tempValidMaxCelsius(), s.tempMaxStepCelsius(),
                s.stuckMillis(), s.padMaxAboveSkinCelsius(), s.skinMaxAbovePadCelsius(), s.idleAgreementCelsius(),
                s.idleSettleMillis(), s.padMaxCelsius(), s.watchPeriodMillis(), s.watchRiseCelsius(), s.watchMinDuty(),
                s.runawayWindowMillis(), s.runawayRiseCelsius(), s.runawayAboveSetpointCelsius(),
                s.runawayAboveSetpointMillis(), s.heaterDutyCap(), s.outputMismatchMilliAmps(),
                s.outputMismatchFrames(), s.stimStartupGraceMillis(), model);
    }

    public HeatController controller(double dutyCap) {
        return new HeatController(kpPerCelsius, kiPerCelsiusSecond, kdSecondsPerCelsius, dutyCap);
    }
}
