package io.tensd.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Human durations as used in scenario and config files: {@code 500ms}, {@code 90s}, {@code 2m}, {@code 1m30s}, {@code 1h}. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(h|ms|m|s)");

    private Durations() { }

    /** Milliseconds in {@code text}; IllegalArgumentException with a readable message otherwise. */
    public static long parseMillis(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        Matcher m = PART.matcher(t);
        int pos = 0;
        double total = 0;
        while (pos < t.length()) {
            if (!m.find(pos) || m.start() != pos) {
                throw new IllegalArgumentException("'" + text + "' is not a duration (examples: 500ms, 90s, 2m, 1m30s, 1h)");
            }
            double n = Double.parseDouble(m.group(1));
            total += switch (m.group(2)) {
                case "h" -> n * 3_600_000;
                case "m" -> n * 60_000;
                case "s" -> n * 1000;
                default -> n;
            };
            pos = m.end();
        }
        return Math.round(total);
    }
}
