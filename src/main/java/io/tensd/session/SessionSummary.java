package io.tensd.session;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a session delivered, for the clinician (report, MQTT {@code session/summary}).
 *
 * @param deliveredMillis     time in RAMP_UP, ACTIVE and RAMP_DOWN (the session clock; pauses do not count)
 * @param meanMilliAmps       mean output over the delivered time
 * @param chargeMicroCoulombs total charge delivered per electrode phase polarity (Σ I·pw over all pulses)
 * @param heatMillis          time the heater was driven (duty above 0)
 * @param maxSkinCelsius      highest skin reading (NaN when none)
 * @param cem43Minutes        cumulative equivalent minutes at 43 °C of the skin (thermal dose)
 * @param pausedMillis        time spent paused (patient or electrode lift)
 * @param habituationSteps    automatic intensity steps taken
 * @param finalMilliAmps      intensity (level) when the session ended
 * @param heatEndReason       why heat ended before the session did ("max-heat-minutes", "cem43-budget",
 *                            "battery-low", "clinician", "heat-model-refused"), or null
 * @param heatModelExcursions times the heat model's cross-check residual left its confidence band
 * @param heatResidualMaxCelsius largest cross-check residual while heating (NaN: no heat)
 */
public record SessionSummary(String sessionId, String program, String endReason, long prescribedMillis,
                             long deliveredMillis, double meanMilliAmps, double maxMilliAmps,
                             double chargeMicroCoulombs, long heatMillis, double maxSkinCelsius,
                             double cem43Minutes, int pauses, int electrodeLifts, List<String> faults,
                             long pausedMillis, int habituationSteps, double finalMilliAmps, String heatEndReason,
                             int heatModelExcursions, double heatResidualMaxCelsius) {
    public SessionSummary {
        faults = List.copyOf(faults);
    }

    /** The form before the heat model's residual was reported. */
    public SessionSummary(String sessionId, String program, String endReason, long prescribedMillis,
                          long deliveredMillis, double meanMilliAmps, double maxMilliAmps,
                          double chargeMicroCoulombs, long heatMillis, double maxSkinCelsius,
                          double cem43Minutes, int pauses, int electrodeLifts, List<String> faults,
                          long pausedMillis, int habituationSteps, double finalMilliAmps, String heatEndReason) {
        this(sessionId, program, endReason, prescribedMillis, deliveredMillis, meanMilliAmps, maxMilliAmps,
                chargeMicroCoulombs, heatMillis, maxSkinCelsius, cem43Minutes, pauses, electrodeLifts, faults,
                pausedMillis, habituationSteps, finalMilliAmps, heatEndReason, 0, Double.NaN);
    }

    /** The original form (no pause time, habituation, final intensity or heat end reason). */
    public SessionSummary(String sessionId, String program, String endReason, long prescribedMillis,
                          long deliveredMillis, double meanMilliAmps, double maxMilliAmps,
                          double chargeMicroCoulombs, long heatMillis, double maxSkinCelsius,
                          double cem43Minutes, int pauses, int electrodeLifts, List<String> faults) {
        this(sessionId, program, endReason, prescribedMillis, deliveredMillis, meanMilliAmps, maxMilliAmps,
                chargeMicroCoulombs, heatMillis, maxSkinCelsius, cem43Minutes, pauses, electrodeLifts, faults, 0, 0,
                Double.NaN, null);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("program", program);
        m.put("endReason", endReason);
        m.put("prescribedMs", prescribedMillis);
        m.put("deliveredMs", deliveredMillis);
        m.put("meanMa", round(meanMilliAmps, 2));
        m.put("maxMa", round(maxMilliAmps, 2));
        if (!Double.isNaN(finalMilliAmps)) {
            m.put("finalMa", round(finalMilliAmps, 2));
        }
        m.put("chargeUc", round(chargeMicroCoulombs, 1));
        m.put("heatMs", heatMillis);
        if (heatEndReason != null) {
            m.put("heatEndReason", heatEndReason);
        }
        if (!Double.isNaN(heatResidualMaxCelsius)) {
            m.put("heatResidualMaxC", round(heatResidualMaxCelsius, 3));
            m.put("heatModelExcursions", heatModelExcursions);
        }
        if (!Double.isNaN(maxSkinCelsius)) {
            m.put("maxSkinC", round(maxSkinCelsius, 2));
        }
        m.put("cem43Min", round(cem43Minutes, 4));
        m.put("pauses", pauses);
        m.put("pausedMs", pausedMillis);
        m.put("electrodeLifts", electrodeLifts);
        m.put("habituationSteps", habituationSteps);
        m.put("faults", faults);
        return m;
    }

    private static double round(double v, int places) {
        double f = Math.pow(10, places);
        return Math.round(v * f) / f;
    }
}
