package io.tensd.clinic.web;

import java.util.Locale;

/** The live view's cell texts, the same for the first render (server) and every update (script). */
final class Cells {
    private Cells() { }

    static String online(DeviceView d) {
        if (d.online() == null) return "unknown";
        if (d.online()) return "online";
        return d.offlineReason() == null ? "offline" : "offline (" + d.offlineReason() + ")";
    }

    static String text(String s) {
        return s == null || s.isEmpty() ? "–" : s;
    }

    static String milliAmps(DeviceView d) {
        return num(d.setMilliAmps(), 1) + " / " + num(d.measuredMilliAmps(), 1) + " mA";
    }

    static String skin(DeviceView d) {
        return num(d.skinCelsius(), 1) + " °C / " + num(d.skinCeilingCelsius(), 1) + " °C";
    }

    /** Within 1 °C of the ceiling (or above): shown in red. */
    static boolean skinNearCeiling(DeviceView d) {
        return d.skinCelsius() != null && d.skinCeilingCelsius() != null && d.skinCelsius() >= d.skinCeilingCelsius() - 1.0;
    }

    static String duty(Double duty) {
        return duty == null ? "–" : Math.round(duty * 100) + " %";
    }

    /** A figure of the device page's tables with one decimal, "–" when unknown. */
    static String oneDecimal(Double v) {
        return num(v, 1);
    }

    private static String num(Double v, int decimals) {
        return v == null ? "–" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
