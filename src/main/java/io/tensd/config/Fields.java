package io.tensd.config;

import io.tensd.config.YamlReader.Entry;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;

/** Reading of optional, bounded fields with units in the message; shared by the config loaders. */
final class Fields {
    private Fields() { }

    /** The children of {@code parent.key} (checked against {@code allowed}); empty if the section is absent. */
    static Map<String, Entry> section(Map<String, Entry> parent, String key, Set<String> allowed) {
        Entry e = parent.get(key);
        return e == null ? Map.of() : e.map(allowed);
    }

    /**
     * {@code m.key} as a number in [min, max], or {@code fallback} if absent or wrong (the error is recorded).
     * {@code why} (may be null) says where the bound comes from and is added to the range message.
     */
    static double number(Map<String, Entry> m, String key, double fallback, double min, double max, String unit, String why) {
        Entry e = m.get(key);
        if (e == null) {
            return fallback;
        }
        double v = e.number(Double.NaN, -Double.MAX_VALUE, Double.MAX_VALUE);
        if (Double.isNaN(v)) {
            return fallback;
        }
        if (v < min || v > max) {
            e.error(rangeMessage(plain(min), plain(max), plain(v), unit, why));
            return fallback;
        }
        return v;
    }

    static int integer(Map<String, Entry> m, String key, int fallback, int min, int max, String unit, String why) {
        Entry e = m.get(key);
        if (e == null) {
            return fallback;
        }
        // Parse over the whole int range first so that the range message can carry the unit.
        long v = e.integer(Integer.MIN_VALUE, Integer.MIN_VALUE + 1, Integer.MAX_VALUE);
        if (v == Integer.MIN_VALUE) {
            return fallback;
        }
        if (v < min || v > max) {
            e.error(rangeMessage(Integer.toString(min), Integer.toString(max), Long.toString(v), unit, why));
            return fallback;
        }
        return (int) v;
    }

    private static String rangeMessage(String min, String max, String got, String unit, String why) {
        String u = unit.isEmpty() ? "" : " " + unit;
        return "must be between " + min + " and " + max + u + (why == null ? "" : " (" + why + ")") + ", got " + got + u;
    }

    /** Shortest plain decimal: 80.0 → "80", 0.5 → "0.5"; never exponent notation. */
    static String plain(double v) {
        if (v == 0) {
            return "0"; // also maps -0.0 to "0"
        }
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
