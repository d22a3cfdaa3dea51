package io.tensd.config;

import java.math.BigDecimal;

/** Numbers as a technician writes them, for messages and summaries. */
final class Fields {
    private Fields() { }

    /** Shortest plain decimal: 80.0 → "80", 0.5 → "0.5"; never exponent notation. */
    static String plain(double v) {
        if (v == 0) {
            return "0"; // also maps -0.0 to "0"
        }
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
