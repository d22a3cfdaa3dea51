package io.tensd.heat.tune;

import io.tensd.heat.HeatSetup;
import io.tensd.safety.HeatModel;
import java.util.Locale;

/**
 * One pad's identification, as stored in its calibration file (docs/configuration.md "Heat model"): which pad, when,
 * the fitted model with 95 % confidence intervals and residual, and the PID gains derived from it.
 *
 * @param padId   the pad's serial (device config {@code heat.padId}; simulator: {@code sim-…} from the plant)
 * @param date    ISO-8601 instant of the experiment
 * @param source  "device" or "simulator"
 */
public record PadCalibration(String padId, String date, String source, ThermalFit.Result fit, PidTuning.Gains gains) {
    /** A fit whose cross-check replay error (RMS) is above this does not describe the pad: heat is refused. */
    public static final double MAX_RESIDUAL_CELSIUS = 0.15;
    /** Relative 95 % CI half-width above which the skin-side parameters are not identified: heat is refused. */
    public static final double MAX_RELATIVE_CI = 0.5;
    /** Smallest and largest reported band (°C) of the online residual. */
    static final double MIN_BAND_CELSIUS = 0.3;
    static final double MAX_BAND_CELSIUS = 0.6;

    /**
     * Why a session must not heat with this calibration on the pad {@code thisPadId}, or null. The cross-check's
     * learning stays that of {@code base} and its tolerance is never wider (see {@link MatchedTolerance}).
     */
    public String refusal(String thisPadId) {
        if (thisPadId == null || thisPadId.isBlank()) {
            return "no pad id configured (heat.padId): the heat model cannot be matched to the pad";
        }
        if (!padId.equals(thisPadId)) {
            return "heat model belongs to pad " + padId + ", this pad is " + thisPadId + ": run heat-tune on this pad";
        }
        if (!(fit.residualCelsius() <= MAX_RESIDUAL_CELSIUS)) {
            return String.format(Locale.ROOT, "heat model fit residual %.3f °C above %.2f °C: repeat heat-tune",
                    fit.residualCelsius(), MAX_RESIDUAL_CELSIUS);
        }
        double worstSkinSide = Math.max(fit.skinJoulesPerKelvin().relative(), fit.padSkinKelvinPerWatt().relative());
        if (!(worstSkinSide <= MAX_RELATIVE_CI)) {
            return String.format(Locale.ROOT, "heat model not identified (pad-skin CI ±%.0f %%): repeat heat-tune",
                    worstSkinSide * 100);
        }
        return null;
    }

    /** The session's heat setup on pad {@code thisPadId}: the identified model when it belongs, else a refusal. */
    public HeatSetup setup(String thisPadId, HeatModel base) {
        String r = refusal(thisPadId);
        HeatModel m = r == null ? crossCheckModel(base) : base;
        // the band is reported before the fault: never above half the (possibly narrowed) tolerance
        double band = Math.min(m.toleranceCelsius() / 2,
                Math.max(MIN_BAND_CELSIUS, Math.min(MAX_BAND_CELSIUS, 5 * fit.residualCelsius())));
        return new HeatSetup(m, gains.kpPerCelsius(), gains.kiPerCelsiusSecond(),
                gains.kdSecondsPerCelsius(), band, "pad " + padId + " tuned " + date, r);
    }

    /** The fit's residual, the PID gains and the cross-check tolerance on this pad, as heat-tune prints them. */
    public String fitSummary(HeatModel base) {
        return String.format(Locale.ROOT, "fit residual %.3f °C RMS (max %.3f); PID kp %.3f /°C, ki %.5f /°C·s, kd %.2f s/°C%n"
                + "cross-check tolerance on this pad %.2f °C (nominal %.2f: narrowed so its faults are caught as soon)",
                fit.residualCelsius(), fit.residualMaxCelsius(), gains.kpPerCelsius(), gains.kiPerCelsiusSecond(),
                gains.kdSecondsPerCelsius(), crossCheckModel(base).toleranceCelsius(), base.toleranceCelsius());
    }

    /** The supervisor's model of this pad: the fit, with the tolerance that catches its faults in time. */
    public HeatModel crossCheckModel(HeatModel base) {
        HeatModel m = fit.model(base);
        return m.withToleranceCelsius(MatchedTolerance.of(m, gains, base));
    }

    /** Identifies the pad from a finished experiment. Throws IllegalArgumentException when it cannot. */
    public static PadCalibration identify(String padId, String date, String source, TuneExperiment e, HeatModel base) {
        if (e.phase() != TuneExperiment.Phase.DONE) {
            throw new IllegalArgumentException("the experiment did not complete: " + e.endReason());
        }
        ThermalFit.Result fit = ThermalFit.fit(e.samples(), e.plan().restMillis() / 1000.0 - 5,
                base.skinCoreKelvinPerWatt());
        return new PadCalibration(padId, date, source, fit, PidTuning.simc(fit.model(base)));
    }
}
