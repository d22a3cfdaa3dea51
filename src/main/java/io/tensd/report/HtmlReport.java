package io.tensd.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The session report for the physiotherapist: one self-contained HTML page (inline CSS and SVG, no script,
 * no external resource) that reads on screen and prints on A4. Missing figures say "not recorded".
 */
public final class HtmlReport {
    private static final int MAX_EVENT_ROWS = 300;
    private static final String NOT_RECORDED = "<span class=\"nr\">not recorded</span>";

    private HtmlReport() { }

    public static String render(SessionRecord r, ReportFigures f, String generatedBy) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Session report ").append(esc(f.sessionId())).append("</title>\n")
                .append("<style>").append(CSS).append("</style>\n</head>\n<body>\n");
        header(h, r, f);
        if (!f.notes().isEmpty()) {
            h.append("<div class=\"notes\"><strong>Please note</strong><ul>");
            f.notes().forEach(n -> h.append("<li>").append(esc(n)).append("</li>"));
            h.append("</ul></div>\n");
        }
        summary(h, r, f);
        h.append("<section class=\"plots\">\n<h2>Over the session</h2>\n");
        figure(h, "Stimulation intensity", intensityChart(r, f));
        figure(h, "Skin and pad temperature", temperatureChart(r, f));
        figure(h, "Lumbar flexion", flexionChart(r, f));
        figure(h, "Time per flexion angle (10° bins)", histogramChart(f));
        h.append("</section>\n");
        events(h, r);
        h.append("<footer>").append(esc(generatedBy)).append(". Figures marked ≈ are computed from the 1 Hz samples; ")
                .append("the others come from the device's session summary (computed every control-loop tick). ")
                .append("This report holds device and session identifiers only, no patient data.</footer>\n");
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static void header(StringBuilder h, SessionRecord r, ReportFigures f) {
        h.append("<header>\n<h1>Treatment session report</h1>\n<table class=\"meta\">");
        row(h, "Session", esc(f.sessionId()));
        row(h, "Device", f.deviceId().isEmpty() ? NOT_RECORDED : esc(f.deviceId()));
        // Session time always; the wall clock only where it agrees with it (a fast simulation's does not).
        Long endMs = endMs(r);
        boolean wallAgrees = wallAgrees(f, endMs);
        row(h, "Started", esc("0:00:00 session time") + (wallAgrees && !f.startedAt().isEmpty()
                ? esc(" (" + wall(f.startedAt()) + ")") : ""));
        row(h, "Ended", endMs == null ? NOT_RECORDED : esc(Words.clock(endMs) + " session time")
                + (wallAgrees && !f.endedAt().isEmpty() ? esc(" (" + wall(f.endedAt()) + ")") : ""));
        row(h, "Outcome", f.endReason().isEmpty() ? NOT_RECORDED : esc(outcome(f.endReason())));
        h.append("</table>\n</header>\n");
    }

    /** Session time of the session's end, or null if it did not end in the record. */
    private static Long endMs(SessionRecord r) {
        Long end = null;
        for (JsonNode e : r.events()) {
            String t = e.path("type").asText();
            if (t.equals("session-completed") || t.equals("session-aborted")) {
                end = e.path("tMs").asLong();
            }
        }
        return end;
    }

    /** True when the wall-clock span matches the session-time span within 5 % (or 5 s): a session run in real time. */
    private static boolean wallAgrees(ReportFigures f, Long endMs) {
        if (endMs == null || f.startedAt().isEmpty() || f.endedAt().isEmpty()) {
            return false;
        }
        try {
            long wallMs = java.time.Duration.between(java.time.Instant.parse(f.startedAt()), java.time.Instant.parse(f.endedAt())).toMillis();
            return Math.abs(wallMs - endMs) <= Math.max(5_000, endMs * 0.05);
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    /** The skin ceiling the session ran under (from the samples), or NaN. */
    private static double skinCeiling(SessionRecord r) {
        return max(col(r, SessionRecord.Sample::skinCeilingC));
    }

    private static void summary(StringBuilder h, SessionRecord r, ReportFigures f) {
        ReportFigures.Prescription rx = f.prescription();
        h.append("<section class=\"summary\">\n<h2>Summary</h2>\n<div class=\"cols\">\n");

        h.append("<table class=\"kv\"><caption>Stimulation</caption>");
        row(h, "Program", f.program().isEmpty() ? NOT_RECORDED : esc(f.program()));
        row(h, "Prescription", rx.targetMa() == null ? NOT_RECORDED : esc(String.format(Locale.ROOT,
                "%s mA (max %s mA), %s µs, %s Hz", n1(rx.targetMa()), n1(rx.maxMa()), n0(rx.pulseWidthUs()), n1(rx.frequencyHz()))));
        row(h, "Duration prescribed", fig(f.prescribedMin(), HtmlReport::minutes));
        row(h, "Duration delivered", fig(f.deliveredMin(), HtmlReport::minutes));
        row(h, "Mean intensity", fig(f.meanMa(), v -> String.format(Locale.ROOT, "%.1f mA", v)));
        row(h, "Max intensity", fig(f.maxMa(), v -> String.format(Locale.ROOT, "%.1f mA", v)));
        row(h, "Charge delivered", fig(f.chargeUc(), v -> v >= 1e6 ? String.format(Locale.ROOT, "%.2f C", v / 1e6)
                : v >= 1000 ? String.format(Locale.ROOT, "%.1f mC", v / 1000) : String.format(Locale.ROOT, "%.1f µC", v)));
        h.append("</table>\n");

        h.append("<table class=\"kv\"><caption>Heat</caption>");
        row(h, "Setpoint", rx.heatSetpointC() == null ? (rx.targetMa() == null ? NOT_RECORDED : "no heat prescribed")
                : esc(String.format(Locale.ROOT, "%.1f °C", rx.heatSetpointC())));
        row(h, "Heat time", fig(f.heatMin(), HtmlReport::minutes));
        row(h, "Max skin temperature", fig(f.maxSkinC(), v -> String.format(Locale.ROOT, "%.1f °C", v)));
        double ceiling = skinCeiling(r);
        row(h, "Skin ceiling", Double.isNaN(ceiling) ? NOT_RECORDED
                : esc(String.format(Locale.ROOT, "%.1f °C (outputs off above it)", ceiling)));
        row(h, "Max pad temperature", fig(f.maxPadC(), v -> String.format(Locale.ROOT, "%.1f °C", v))
                + " <span class=\"nr\">(heater side of the pad; runs hotter than the skin)</span>");
        row(h, "Thermal dose (CEM43)", fig(f.cem43Min(), v -> String.format(Locale.ROOT, "%.3f min", v)));
        h.append("</table>\n");

        h.append("<table class=\"kv\"><caption>Interruptions</caption>");
        row(h, "Pauses", fig(f.pauses(), v -> String.format(Locale.ROOT, "%.0f", v)));
        row(h, "Electrode lifts", fig(f.electrodeLifts(), v -> String.format(Locale.ROOT, "%.0f", v)));
        row(h, "Faults", f.faults().isEmpty() ? (f.samples() == 0 && f.pauses().value() == null ? NOT_RECORDED : "none")
                : "<span class=\"fault\">" + esc(String.join(", ", f.faults())) + "</span>");
        h.append("</table>\n");

        h.append("<table class=\"kv\"><caption>Posture and exercise</caption>");
        if (f.postureMsByClass().isEmpty()) {
            row(h, "Time per posture", NOT_RECORDED);
        } else {
            long total = f.postureMsByClass().values().stream().mapToLong(Long::longValue).sum();
            for (Map.Entry<String, Long> e : new java.util.TreeMap<>(f.postureMsByClass()).entrySet()) {
                String pct = total > 0 ? String.format(Locale.ROOT, " (%.0f %%)", 100.0 * e.getValue() / total) : "";
                row(h, "Time " + esc(e.getKey()), approx("samples".equals(f.postureSource()))
                        + esc(minutes(e.getValue() / 60_000.0) + pct));
            }
        }
        row(h, String.format(Locale.ROOT, "Slouching (flexion &gt; %.0f°)", f.slouchThresholdDeg()),
                fig(f.slouchMin(), HtmlReport::minutes));
        row(h, "Exercise repetitions", fig(f.reps(), v -> String.format(Locale.ROOT, "%.0f", v)));
        for (ReportFigures.Exercise x : f.exercises()) {
            StringBuilder d = new StringBuilder();
            d.append(x.reps() == null ? "?" : x.reps()).append(" reps");
            if (x.setsCompleted() != null && x.setsPrescribed() != null) {
                d.append(", ").append(x.setsCompleted()).append('/').append(x.setsPrescribed()).append(" sets");
            }
            if (x.shallowReps() != null && x.shallowReps() > 0) {
                d.append(", ").append(x.shallowReps()).append(" shallow");
            }
            if (x.meanRomDeg() != null) {
                d.append(String.format(Locale.ROOT, ", mean range %.0f°", x.meanRomDeg()));
                if (x.targetRomDeg() != null) {
                    d.append(String.format(Locale.ROOT, " (target %.0f°)", x.targetRomDeg()));
                }
            }
            row(h, esc(x.name()), esc(d.toString()));
        }
        h.append("</table>\n</div>\n</section>\n");
    }

    // ------------------------------------------------------------------ charts

    private static double[] times(SessionRecord r) {
        List<SessionRecord.Sample> xs = r.samples();
        double[] t = new double[xs.size()];
        long t0 = xs.isEmpty() ? 0 : Math.min(0, xs.get(0).tMs());
        for (int i = 0; i < t.length; i++) {
            t[i] = (xs.get(i).tMs() - t0) / 60_000.0;
        }
        return t;
    }

    private static double[] col(SessionRecord r, java.util.function.ToDoubleFunction<SessionRecord.Sample> fn) {
        return r.samples().stream().mapToDouble(fn).toArray();
    }

    private static double tMax(double[] t) {
        return t.length == 0 ? 1 : Math.max(t[t.length - 1], 1.0 / 6);
    }

    /** The time axis spans the samples and the session's end (a fault that ends it comes after the last sample). */
    private static double tMax(double[] t, SessionRecord r) {
        Long end = endMs(r);
        return end == null || t.length == 0 ? tMax(t) : Math.max(tMax(t), end / 60_000.0);
    }

    private static String intensityChart(SessionRecord r, ReportFigures f) {
        double[] t = times(r);
        double[] set = col(r, SessionRecord.Sample::stimMaSet);
        double[] meas = col(r, SessionRecord.Sample::stimMaMeas);
        double top = Math.max(5, Math.max(max(set), max(meas)) * 1.15);
        SessionMarks marks = SessionMarks.of(r);
        SvgChart c = new SvgChart("Stimulation intensity, set and measured, mA over minutes", 0, tMax(t, r), 0, top)
                .minuteTicks().axes("minutes since start", "mA", false);
        marks.draw(c);
        // At a fault the output is 0 within one loop period: draw the drop there, not a slope to the next 1 Hz sample.
        double[][] setDrop = dropsAtFaults(t, set, marks);
        double[][] measDrop = dropsAtFaults(t, meas, marks);
        c.line(setDrop[0], setDrop[1], "s-set", "set").line(measDrop[0], measDrop[1], "s-meas", "measured");
        if (t.length == 0) {
            c.message("not recorded");
        }
        return c.render("chart-intensity");
    }

    private static String temperatureChart(SessionRecord r, ReportFigures f) {
        double[] t = times(r);
        double[] skin = col(r, SessionRecord.Sample::skinC);
        double[] pad = col(r, SessionRecord.Sample::padC);
        double[] sp = col(r, SessionRecord.Sample::heatSetpointC);
        double[] ceil = col(r, SessionRecord.Sample::skinCeilingC);
        double lo = Math.min(30, min(skin, pad, sp)) - 1;
        double hi = Math.max(max(ceil), Math.max(max(skin), max(pad))) + 1;
        if (Double.isNaN(hi) || hi < lo + 5) {
            hi = Math.max(lo + 5, 44);
        }
        SvgChart c = new SvgChart("Skin and pad temperature with heat setpoint and skin ceiling, °C over minutes; "
                + "the pad (heater side) runs hotter than the skin by design, the ceiling applies to the skin", 0, tMax(t, r),
                Math.floor(lo), Math.ceil(hi)).minuteTicks().axes("minutes since start", "°C", false);
        SessionMarks.of(r).draw(c);
        c.line(t, skin, "t-skin", "skin").line(t, pad, "t-pad", "pad (heater side)").line(t, sp, "t-sp", "setpoint")
                .line(t, ceil, "t-ceil", "skin ceiling");
        if (Double.isNaN(max(skin)) && Double.isNaN(max(pad))) {
            c.message("not recorded");
        }
        return c.render("chart-temperature");
    }

    private static String flexionChart(SessionRecord r, ReportFigures f) {
        double[] t = times(r);
        double[] flex = col(r, SessionRecord.Sample::flexionDeg);
        SessionMarks marks = SessionMarks.of(r);
        if (marks.calibratedAtMin() != null) {
            // before the posture calibration the angle is not relative to the patient's neutral: not drawn
            for (int k = 0; k < flex.length; k++) {
                if (t[k] < marks.calibratedAtMin()) {
                    flex[k] = Double.NaN;
                }
            }
        }
        double th = f.slouchThresholdDeg();
        double lo = Math.min(-10, Math.floor(nanMin(flex) / 10) * 10);
        double hi = Math.max(Math.max(60, th + 10), Math.ceil(max(flex) / 10) * 10);
        SvgChart c = new SvgChart("Lumbar flexion in degrees over minutes; slouching shaded", 0, tMax(t, r), lo, hi)
                .minuteTicks().axes("minutes since start", "flexion °", false);
        marks.draw(c);
        // shade each run of samples above the threshold (each sample covers the second after it)
        int i = 0;
        while (i < flex.length) {
            if (flex[i] > th) {
                int j = i;
                while (j + 1 < flex.length && flex[j + 1] > th) {
                    j++;
                }
                c.vband(t[i], t[j] + 1 / 60.0, "slouch");
                i = j + 1;
            } else {
                i++;
            }
        }
        c.legendBox("slouch", "slouching");
        c.hline(th, "f-th", String.format(Locale.ROOT, "neutral + %.0f°", th));
        c.line(t, flex, "f-flex", "flexion");
        if (Double.isNaN(max(flex))) {
            c.message("not recorded (no posture sensor data)");
        }
        return c.render("chart-flexion");
    }

    private static String histogramChart(ReportFigures f) {
        List<ReportFigures.Bin> bins = f.flexionHistogram();
        if (bins.isEmpty()) {
            return new SvgChart("Time per 10° flexion bin", -10, 60, 0, 1).axes("flexion °", "minutes", true)
                    .message("not recorded (no posture sensor data)").render("chart-histogram");
        }
        // trim empty bins at both ends so the shape is readable
        int a = 0;
        int b = bins.size() - 1;
        while (a < b && bins.get(a).ms() == 0 && bins.get(a).toDeg() <= -10) {
            a++;
        }
        while (b > a && bins.get(b).ms() == 0 && bins.get(b).fromDeg() >= 60) {
            b--;
        }
        double topMin = 0;
        for (int i = a; i <= b; i++) {
            topMin = Math.max(topMin, bins.get(i).ms() / 60_000.0);
        }
        SvgChart c = new SvgChart("Time per 10° flexion bin, minutes", bins.get(a).fromDeg(), bins.get(b).toDeg(), 0,
                Math.max(0.5, topMin * 1.2)).axes("flexion ° (0 = neutral)", "minutes", true);
        for (int i = a; i <= b; i++) {
            ReportFigures.Bin bin = bins.get(i);
            double m = bin.ms() / 60_000.0;
            String label = bin.ms() == 0 ? null : m >= 10 ? String.format(Locale.ROOT, "%.0f", m) : String.format(Locale.ROOT, "%.1f", m);
            c.bar(bin.fromDeg(), bin.toDeg(), m, bin.fromDeg() >= f.slouchThresholdDeg() ? "bar slouchbar" : "bar", label);
        }
        c.legendBox("bar", "time in bin").legendBox("slouchbar", "beyond the slouch threshold");
        return c.render("chart-histogram");
    }

    private static void figure(StringBuilder h, String caption, String svg) {
        h.append("<figure>").append(svg).append("<figcaption>").append(esc(caption)).append("</figcaption></figure>\n");
    }

    // ------------------------------------------------------------------ events

    private static void events(StringBuilder h, SessionRecord r) {
        h.append("<section class=\"events\">\n<h2>Events</h2>\n");
        if (r.events().isEmpty()) {
            h.append("<p>").append(NOT_RECORDED).append("</p>\n</section>\n");
            return;
        }
        h.append("<table class=\"ev\"><thead><tr><th>time</th><th>event</th><th>details</th></tr></thead><tbody>\n");
        int n = 0;
        for (JsonNode e : r.events()) {
            String type = e.path("type").asText();
            if ("session-summary".equals(type)) {
                continue;
            }
            if (++n > MAX_EVENT_ROWS) {
                break;
            }
            String cls = type.contains("fault") || type.contains("aborted") ? " class=\"fault\"" : "";
            h.append("<tr").append(cls).append(" data-type=\"").append(esc(type)).append("\"><td>")
                    .append(esc(clock(e.path("tMs").asLong()))).append("</td><td>")
                    .append(esc(Words.event(type))).append("</td><td>").append(esc(Words.details(e.path("data"))))
                    .append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
        if (n > MAX_EVENT_ROWS) {
            h.append("<p>Only the first ").append(MAX_EVENT_ROWS).append(" events are listed; all are in events.jsonl.</p>\n");
        }
        h.append("</section>\n");
    }

    /** {@code (t, y)} with, at each fault, the last value and then 0 at the fault's time. */
    static double[][] dropsAtFaults(double[] t, double[] y, SessionMarks marks) {
        List<double[]> pts = new ArrayList<>();
        int fi = 0;
        List<SessionMarks.Point> faults = marks.faults();
        for (int i = 0; i < t.length; i++) {
            while (fi < faults.size() && faults.get(fi).atMin() <= t[i]) {
                double at = faults.get(fi).atMin();
                if (i > 0 && at > t[i - 1] && !Double.isNaN(y[i - 1])) {
                    pts.add(new double[] {at, y[i - 1]});
                    pts.add(new double[] {at, 0});
                }
                fi++;
            }
            pts.add(new double[] {t[i], y[i]});
        }
        // a fault that ended the session comes after the last 1 Hz sample
        for (; fi < faults.size() && t.length > 0; fi++) {
            if (!Double.isNaN(y[t.length - 1])) {
                pts.add(new double[] {faults.get(fi).atMin(), y[t.length - 1]});
                pts.add(new double[] {faults.get(fi).atMin(), 0});
            }
        }
        double[][] out = new double[2][pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            out[0][i] = pts.get(i)[0];
            out[1][i] = pts.get(i)[1];
        }
        return out;
    }

    private static String details(JsonNode data) {
        List<String> parts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            String s = v.isDouble() || v.isFloat() ? String.format(Locale.ROOT, "%.2f", v.asDouble()).replaceAll("\\.?0+$", "")
                    : v.isValueNode() ? v.asText() : v.toString();
            parts.add(e.getKey() + " " + s);
        }
        return String.join(", ", parts);
    }

    // ------------------------------------------------------------------ formatting

    private static void row(StringBuilder h, String key, String valueHtml) {
        h.append("<tr><th>").append(key).append("</th><td>").append(valueHtml).append("</td></tr>");
    }

    private static String fig(ReportFigures.Figure x, java.util.function.DoubleFunction<String> fmt) {
        if (!x.present()) {
            return NOT_RECORDED;
        }
        return approx(!"device".equals(x.source()) && !"prescription".equals(x.source())) + esc(fmt.apply(x.value()));
    }

    private static String approx(boolean derived) {
        return derived ? "<span class=\"approx\" title=\"computed from the 1 Hz samples\">≈ </span>" : "";
    }

    static String minutes(double min) {
        long s = Math.round(min * 60);
        if (s < 60) {
            return s + " s";
        }
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        return (h > 0 ? h + " h " : "") + m + " min" + (sec > 0 && h == 0 ? " " + sec + " s" : "");
    }

    private static String clock(long ms) {
        long s = Math.max(0, ms) / 1000;
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
    }

    private static String wall(String iso) {
        return iso.replace('T', ' ').replaceAll("\\.\\d+Z$", "Z").replace("Z", " UTC");
    }

    static String outcome(String reason) {
        if (reason.equals("completed")) {
            return "completed as prescribed";
        }
        if (reason.equals("stopped")) {
            return "stopped at the device before the end";
        }
        if (reason.startsWith("fault:")) {
            return "ended by a safety fault (" + reason.substring(6) + ")";
        }
        if (reason.startsWith("precheck-failed")) {
            return "did not start: " + reason.substring(reason.indexOf(':') + 1).trim();
        }
        if (reason.equals("electrode-lift-timeout")) {
            return "ended: electrode contact was not restored in time";
        }
        return reason;
    }

    private static String n0(Double v) { return v == null ? "?" : String.format(Locale.ROOT, "%.0f", v); }

    private static String n1(Double v) { return v == null ? "?" : String.format(Locale.ROOT, "%.1f", v); }

    private static double max(double[] xs) {
        double m = Double.NaN;
        for (double x : xs) {
            if (!Double.isNaN(x)) {
                m = Double.isNaN(m) ? x : Math.max(m, x);
            }
        }
        return m;
    }

    private static double nanMin(double[] xs) {
        double m = Double.NaN;
        for (double x : xs) {
            if (!Double.isNaN(x)) {
                m = Double.isNaN(m) ? x : Math.min(m, x);
            }
        }
        return Double.isNaN(m) ? 0 : m;
    }

    private static double min(double[]... arrays) {
        double m = Double.POSITIVE_INFINITY;
        for (double[] xs : arrays) {
            for (double x : xs) {
                if (!Double.isNaN(x)) {
                    m = Math.min(m, x);
                }
            }
        }
        return m;
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static final String CSS = """
            :root{--ink:#1b1f24;--muted:#5b6470;--line:#d4d9df}
            *{box-sizing:border-box}
            body{font-family:"DejaVu Sans","Segoe UI",Helvetica,Arial,sans-serif;color:var(--ink);margin:24px auto;max-width:1000px;padding:0 16px;font-size:14px;line-height:1.4}
            h1{font-size:22px;margin:0 0 8px}
            h2{font-size:17px;border-bottom:2px solid var(--line);padding-bottom:3px;margin:22px 0 10px}
            table{border-collapse:collapse}
            .meta th,.kv th{text-align:left;font-weight:normal;color:var(--muted);padding:2px 14px 2px 0;vertical-align:top}
            .meta td,.kv td{padding:2px 0;font-weight:600;vertical-align:top}
            .kv{width:100%}.kv th{width:48%}
            .cols{display:grid;grid-template-columns:1fr 1fr;gap:6px 32px;align-items:start}
            .kv caption{text-align:left;font-weight:700;padding:6px 0 2px}
            .nr{color:var(--muted);font-style:italic;font-weight:normal}
            .approx{color:var(--muted)}
            .fault{color:#a61b1b}
            .notes{border:1px solid #e0b252;background:#fff8e6;padding:8px 12px;margin:12px 0}
            .notes ul{margin:4px 0 0 18px;padding:0}
            figure{margin:10px 0 18px;page-break-inside:avoid;break-inside:avoid}
            figcaption{color:var(--muted);font-size:12px}
            svg{width:100%;height:auto;display:block}
            svg text{font-family:inherit}
            .grid{stroke:#eceff2;stroke-width:1}
            .frame{fill:none;stroke:#9aa3ad;stroke-width:1}
            .tick{font-size:11px;fill:var(--muted)}
            .axis{font-size:12px;fill:var(--ink)}
            .legend{font-size:11px;fill:var(--ink)}
            .nodata{font-size:15px;fill:var(--muted);font-style:italic}
            polyline,svg line{fill:none;stroke-linejoin:round}
            .s-set{stroke:#1f5fa8;stroke-width:2}
            .s-meas{stroke:#e07b00;stroke-width:1.5;stroke-dasharray:5 3}
            .t-skin{stroke:#c0392b;stroke-width:2}
            .t-pad{stroke:#8e44ad;stroke-width:1.5}
            .t-sp{stroke:#1e8449;stroke-width:1.5;stroke-dasharray:6 3}
            .t-ceil{stroke:#000;stroke-width:1.5;stroke-dasharray:2 2}
            .f-flex{stroke:#1f5fa8;stroke-width:1.5}
            .f-th{stroke:#b9770e;stroke-width:1.2;stroke-dasharray:6 3}
            .slouch{fill:#f5b041;fill-opacity:.35;stroke:none}
            .mark-pause{fill:#9aa3ad;fill-opacity:.22;stroke:none}
            .mark-fault{stroke:#a61b1b;stroke-width:2}
            .mark-fault-box{fill:#a61b1b}
            .mark-press,.mark-press-box{fill:#1f5fa8}
            .bar{fill:#5b8cc0}
            .slouchbar{fill:#e59866}
            .barlabel{font-size:10px;fill:var(--ink)}
            .ev{width:100%;font-size:12.5px}
            .ev th{text-align:left;border-bottom:1px solid var(--line);padding:3px 8px 3px 0}
            .ev td{border-bottom:1px solid #f0f2f4;padding:2px 8px 2px 0;vertical-align:top}
            .ev td:first-child{font-variant-numeric:tabular-nums;white-space:nowrap}
            footer{margin-top:26px;color:var(--muted);font-size:11.5px;border-top:1px solid var(--line);padding-top:6px}
            @media (max-width:700px){.cols{grid-template-columns:1fr}}
            @media print{@page{size:A4;margin:14mm}body{margin:0;max-width:none;font-size:11pt}
              h2{page-break-after:avoid;break-after:avoid}.summary,.kv{page-break-inside:avoid;break-inside:avoid}
              .ev tr{page-break-inside:avoid}}
            """;
}
