package io.tensd.session;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a session delivered, for the clinician (report, MQTT {@code session/summary}).
 *
 * @param chargeMicroCoulombs total charge delivered per electrode phase polarity (Σ I·pw over all pulses)
 * @param cem43Minutes        cumulative equivalent minutes at 43 °C of the skin (thermal dose)
 */
public record SessionSummary(String sessionId, String program, String endReason, long prescribedMillis,
                             long deliveredMillis, double meanMilliAmps, double maxMilliAmps,
                             double chargeMicroCoulombs, long heatMillis, double maxSkinCelsius,
                             double cem43Minutes, int pauses, int electrodeLifts, List<String> faults) {
    public SessionSummary {
        faults = List.copyOf(faults);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("program", program);
        m.put("endReason", endReason);
        m.put("prescribedMs", prescribedMillis);
        m.put("deliveredMs", deliveredMillis);
        m.put("meanMa", round(meanMilliAmps, 2));
        m.put("maxMa", round(maxMilliAmps, 2));
        m.put("chargeUc", round(chargeMicroCoulombs, 1));
        m.put("heatMs", heatMillis);
        if (!Double.isNaN(maxSkinCelsius)) {
            m.put("maxSkinC", round(maxSkinCelsius, 2));
        }
        m.put("cem43Min", round(cem43Minutes, 4));
        m.put("pauses", pauses);
        m.put("electrodeLifts", electrodeLifts);
        m.put("faults", faults);
        return m;
    }

    private static double round(double v, int places) {
        double f = Math.pow(10, places);
        return Math.round(v * f) / f;
    }
}
