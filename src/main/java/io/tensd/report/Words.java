package io.tensd.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Events as a physiotherapist reads them: words instead of wire names, seconds instead of milliseconds. */
final class Words {
    private Words() { }

    private static final Map<String, String> EVENTS = Map.ofEntries(
            Map.entry("session-started", "Session started"),
            Map.entry("session-paused", "Paused"),
            Map.entry("session-resumed", "Resumed"),
            Map.entry("session-completed", "Session ended"),
            Map.entry("session-aborted", "Session stopped early"),
            Map.entry("fault-raised", "Safety fault: outputs off"),
            Map.entry("fault-cleared", "Fault cleared"),
            Map.entry("electrode-lift", "Electrode lifted"),
            Map.entry("electrode-restored", "Electrode contact back"),
            Map.entry("slouch-alert", "Slouch alert"),
            Map.entry("posture-calibration", "Posture calibrated"),
            Map.entry("exercise-rep", "Exercise repetition"),
            Map.entry("exercise-set-complete", "Exercise set complete"),
            Map.entry("habituation-step", "Intensity raised (habituation)"),
            Map.entry("habituation-stopped", "Habituation stopped"),
            Map.entry("intensity-button", "Patient changed the intensity"),
            Map.entry("battery-low", "Battery low"),
            Map.entry("heat-ended", "Heat ended"),
            Map.entry("command-result", "Clinic command"),
            Map.entry("start-refused", "Start refused"));

    private static final Map<String, String> REASONS = Map.of(
            "patient", "pause button",
            "electrode-lift", "electrode lifted",
            "electrode-restored", "electrode contact back",
            "completed", "completed as prescribed",
            "stopped", "stopped at the device");

    static String event(String type) {
        return EVENTS.getOrDefault(type, sentence(type.replace('-', ' ')));
    }

    /** "liftMs 11000, impedanceOhm 993" → "lift 11 s, impedance 993 Ω". */
    static String details(JsonNode data) {
        List<String> parts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode v = e.getValue();
            String unit = "";
            String value;
            if ((key.endsWith("Ms") || key.endsWith("Millis")) && v.isNumber()) {
                key = key.substring(0, key.length() - (key.endsWith("Ms") ? 2 : 6));
                value = seconds(v.asDouble() / 1000);
            } else if (key.endsWith("Ma") && v.isNumber()) {
                key = key.substring(0, key.length() - 2);
                value = number(v);
                unit = " mA";
            } else if (key.endsWith("Ohm") && v.isNumber()) {
                key = key.substring(0, key.length() - 3);
                value = number(v);
                unit = " Ω";
            } else if ((key.endsWith("Deg") || key.endsWith("C") || key.endsWith("Us") || key.endsWith("Hz") || key.endsWith("Min"))
                    && v.isNumber()) {
                String[][] units = {{"Deg", "°"}, {"C", " °C"}, {"Us", " µs"}, {"Hz", " Hz"}, {"Min", " min"}};
                for (String[] u : units) {
                    if (key.endsWith(u[0])) {
                        key = key.substring(0, key.length() - u[0].length());
                        unit = u[1];
                        break;
                    }
                }
                value = number(v);
            } else if (key.equals("reason") && v.isTextual()) {
                value = REASONS.getOrDefault(v.asText(), v.asText().replace('-', ' '));
            } else if (v.isArray()) {
                List<String> items = new ArrayList<>();
                v.forEach(x -> items.add(x.isValueNode() ? x.asText() : x.toString()));
                value = String.join("; ", items);
            } else {
                value = v.isNumber() ? number(v) : v.isValueNode() ? v.asText() : v.toString();
            }
            parts.add(camelToWords(key) + " " + value + unit);
        }
        return String.join(", ", parts);
    }

    static String seconds(double s) {
        if (s >= 120) {
            long r = Math.round(s);
            return r / 60 + " min" + (r % 60 == 0 ? "" : " " + r % 60 + " s");
        }
        return number(s) + " s";
    }

    static String number(JsonNode v) {
        return v.isNumber() ? number(v.asDouble()) : v.asText("?");
    }

    static String number(double v) {
        return BigDecimal.valueOf(Math.round(v * 100) / 100.0).stripTrailingZeros().toPlainString();
    }

    /** "heldMillis" → "held", "impedance" stays, "thresholdDeg" → "threshold", "repsPerSet" → "reps per set". */
    static String camelToWords(String key) {
        return key.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }

    private static String sentence(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** Session time as h:mm:ss. */
    static String clock(long ms) {
        long s = Math.max(0, ms) / 1000;
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
    }
}
