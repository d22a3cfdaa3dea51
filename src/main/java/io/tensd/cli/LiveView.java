package io.tensd.cli;

import io.tensd.loop.StatusSnapshot;
import java.io.PrintWriter;
import java.util.Locale;

/** The console view of a running session: one line redrawn in place on a terminal, a line every few seconds otherwise. */
final class LiveView {
    private final PrintWriter out;
    private final boolean tty;
    private final double ceilingCelsius;
    private long lastPrintWallNanos;

    LiveView(PrintWriter out, boolean tty, double ceilingCelsius) {
        this.out = out;
        this.tty = tty;
        this.ceilingCelsius = ceilingCelsius;
    }

    void maybeShow(StatusSnapshot s, String alert) {
        long now = System.nanoTime();
        long every = tty ? 200_000_000L : 5_000_000_000L;
        if (now - lastPrintWallNanos < every && alert == null) {
            return;
        }
        lastPrintWallNanos = now;
        String line = render(s, alert);
        if (tty) {
            out.print("\r\u001b[2K" + line);
        } else {
            out.println(line);
        }
        out.flush();
    }

    void finish() {
        if (tty) {
            out.println();
        }
    }

    String render(StatusSnapshot s, String alert) {
        long left = Math.max(0, s.sessionDurationMillis() - s.sessionElapsedMillis());
        double frac = s.sessionDurationMillis() == 0 ? 0 : Math.min(1, (double) s.sessionElapsedMillis() / s.sessionDurationMillis());
        int filled = (int) Math.round(frac * 20);
        String bar = "[" + "#".repeat(filled) + "-".repeat(20 - filled) + "]";
        String heat = Double.isNaN(s.heatSetpointCelsius()) ? "heat off"
                : String.format(Locale.ROOT, "skin %.1f/%.1f °C (ceiling %.0f) pad %.1f °C duty %2.0f%%", s.skinCelsius(),
                        s.heatSetpointCelsius(), ceilingCelsius, s.padCelsius(), s.heaterDuty() * 100);
        String posture = s.postureClass() == null ? "posture -" : String.format(Locale.ROOT, "%s %+.0f°", s.postureClass(), s.flexionDeg());
        return String.format(Locale.ROOT, "%-9s %s %2d:%02d left | %5.1f mA set %5.1f meas | %s | %s%s%s",
                s.state(), bar, left / 60_000, (left / 1000) % 60, s.stimMilliAmpsSet(), s.stimMilliAmpsMeasured(), heat, posture,
                s.faults().isEmpty() ? "" : " | FAULT " + String.join(",", s.faults()), alert == null ? "" : " | " + alert);
    }
}
