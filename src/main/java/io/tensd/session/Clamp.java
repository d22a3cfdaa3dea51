package io.tensd.session;

import java.math.BigDecimal;
import java.util.Map;

/**
 * One value a clamp changed: what was asked, what is applied, and why (a wire name such as
 * {@code limit-max-amplitude}). {@link #text} is what people read: {@code targetMilliAmps 120 → 80 (limits max)}.
 */
public record Clamp(String field, double requested, double applied, String reason) {
    private static final Map<String, String> WORDS = Map.of(
            "limit-max-amplitude", "limits max",
            "charge-per-phase", "charge per phase limit",
            "prescription-max-amplitude", "prescribed max",
            "max-session-minutes", "limits max session",
            "heat-setpoint-ceiling", "skin ceiling less margin",
            "min-intensity", "one intensity step at least");

    /** The reason in words ("limits max"), or the wire name when it has none. */
    public String reasonWords() {
        return WORDS.getOrDefault(reason, reason);
    }

    public String text() {
        return field + " " + plain(requested) + " → " + plain(applied) + " (" + reasonWords() + ")";
    }

    /** 120, 80, 12.5, 0.33: no trailing zeros, at most two decimals. */
    static String plain(double v) {
        return BigDecimal.valueOf(Math.round(v * 100) / 100.0).stripTrailingZeros().toPlainString();
    }

    /** For JSON (MQTT answers, events): field, requested, applied, reason, text. */
    public Map<String, Object> toMap() {
        return Map.of("field", field, "requested", requested, "applied", applied, "reason", reason, "text", text());
    }

    @Override
    public String toString() {
        return text();
    }
}
