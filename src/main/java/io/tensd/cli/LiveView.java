package io.tensd.cli;

import io.tensd.loop.StatusSnapshot;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * The console view of a running session: one line redrawn in place on a terminal, a line every few seconds otherwise.
 * On a terminal, log lines (standard error) must not land on the end of the status line: {@link #guard} wraps the
 * error stream so that the status line is cleared before anything else is written, and redrawn after.
 */
final class LiveView {
    private final PrintWriter out;
    private final boolean tty;
    private final double ceilingCelsius;
    private long lastPrintWallNanos;
    /** A status line is on the screen without its newline (terminal only). */
    private boolean statusShown;

    LiveView(PrintWriter out, boolean tty, double ceilingCelsius) {
        this.out = out;
        this.tty = tty;
        this.ceilingCelsius = ceilingCelsius;
    }

    void maybeShow(StatusSnapshot s, String alert) {
        maybeShow(s, null, alert);
    }

    /** {@code pauseReason}: the session's wire reason while PAUSED (Session#pauseReason), else null. */
    synchronized void maybeShow(StatusSnapshot s, String pauseReason, String alert) {
        long now = System.nanoTime();
        long every = tty ? 200_000_000L : 5_000_000_000L;
        if (now - lastPrintWallNanos < every && alert == null && statusShown == tty) {
            return;
        }
        lastPrintWallNanos = now;
        String line = render(s, pauseReason, alert);
        if (tty) {
            out.print("\r\u001b[2K" + line);
            statusShown = true;
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Ends the status line so that what follows starts on a line of its own. */
    synchronized void finish() {
        if (tty && statusShown) {
            out.println();
            out.flush();
        }
        statusShown = false;
    }

    /** Clears the status line if one is shown; the next {@link #maybeShow} draws it again below what was written. */
    private synchronized void clearStatus() {
        if (statusShown) {
            out.print("\r\u001b[2K");
            out.flush();
            statusShown = false;
        }
    }

    /** {@code err} for log output while the view runs: on a terminal, nothing written to it joins the status line. */
    java.io.PrintStream guard(java.io.PrintStream err) {
        if (!tty) {
            return err;
        }
        return new java.io.PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (LiveView.this) {
                    clearStatus();
                    err.write(b, off, len);
                }
            }

            @Override
            public void flush() {
                err.flush();
            }
        }, true, java.nio.charset.StandardCharsets.UTF_8);
    }

    String render(StatusSnapshot s, String alert) {
        return render(s, null, alert);
    }

    String render(StatusSnapshot s, String pauseReason, String alert) {
        long left = Math.max(0, s.sessionDurationMillis() - s.sessionElapsedMillis());
        double frac = s.sessionDurationMillis() == 0 ? 0 : Math.min(1, (double) s.sessionElapsedMillis() / s.sessionDurationMillis());
        int filled = (int) Math.round(frac * 20);
        String bar = "[" + "#".repeat(filled) + "-".repeat(20 - filled) + "]";
        String heat = Double.isNaN(s.heatSetpointCelsius()) ? "heat off"
                : String.format(Locale.ROOT, "skin %.1f/%.1f °C (ceiling %.0f) pad %.1f °C duty %2.0f%%", s.skinCelsius(),
                        s.heatSetpointCelsius(), ceilingCelsius, s.padCelsius(), s.heaterDuty() * 100);
        String posture = s.postureClass() == null ? "posture -"
                : s.postureClass() + " " + signedDegrees(s.flexionDeg());
        String state = pauseReason == null ? s.state() : s.state() + " (" + pauseWords(pauseReason) + ")";
        return String.format(Locale.ROOT, "%-9s %s %2d:%02d left | %5.1f mA set %5.1f meas | %s | %s%s%s",
                state, bar, left / 60_000, (left / 1000) % 60, s.stimMilliAmpsSet(), s.stimMilliAmpsMeasured(), heat, posture,
                s.faults().isEmpty() ? "" : " | FAULT " + String.join(",", s.faults()), alert == null ? "" : " | " + alert);
    }

    /** Whole degrees with their sign, and a plain 0° (never -0° or +0°) for what rounds to zero. */
    static String signedDegrees(double deg) {
        long r = Math.round(deg);
        return r == 0 ? "0°" : String.format(Locale.ROOT, "%+d°", r);
    }

    /** The pause reason as the person at the console reads it. */
    static String pauseWords(String reason) {
        return switch (reason) {
            case "patient" -> "pause pressed; press pause to resume";
            case "electrode-lift" -> "electrode lifted; resumes when contact is back";
            case "electrode-lift+patient" -> "electrode lifted and pause pressed";
            default -> reason;
        };
    }
}
