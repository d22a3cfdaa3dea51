package io.tensd.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small inline-SVG line/bar chart: fixed 760×240 viewBox (scales to the page width), nice ticks,
 * polylines split at missing values. No script, no external resource.
 */
final class SvgChart {
    static final int W = 760;
    static final int H = 240;
    private static final int L = 56;
    private static final int R = 16;
    private static final int T = 28;
    private static final int B = 38;

    private final double x0;
    private final double x1;
    private final double y0;
    private final double y1;
    private final StringBuilder body = new StringBuilder();
    private final List<String[]> legend = new ArrayList<>();
    private final String title;
    private boolean minuteTicks;

    /** The x axis is minutes: ticks at whole minutes (1, 2, 5, 10, 15, 30 or 60 apart) once the span allows. */
    SvgChart minuteTicks() {
        this.minuteTicks = true;
        return this;
    }

    /** Whole-minute tick spacing for a span of {@code minutes}, about eight ticks; 0 below two minutes. */
    static double minuteStep(double minutes) {
        if (minutes < 2) {
            return 0;
        }
        for (double m : new double[] {1, 2, 5, 10, 15, 30, 60}) {
            if (minutes / m <= 10) {
                return m;
            }
        }
        return 120;
    }

    SvgChart(String title, double xMin, double xMax, double yMin, double yMax) {
        this.title = title;
        this.x0 = xMin;
        this.x1 = xMax > xMin ? xMax : xMin + 1;
        this.y0 = yMin;
        this.y1 = yMax > yMin ? yMax : yMin + 1;
    }

    double x(double v) { return L + (v - x0) / (x1 - x0) * (W - L - R); }

    double y(double v) { return H - B - (v - y0) / (y1 - y0) * (H - T - B); }

    /** Grid, ticks and axis titles. */
    SvgChart axes(String xTitle, String yTitle, boolean xIntegerLabels) {
        double xs = minuteTicks && minuteStep(x1 - x0) > 0 ? minuteStep(x1 - x0) : niceStep(x1 - x0, 8);
        for (double v = Math.ceil(x0 / xs) * xs; v <= x1 + 1e-9; v += xs) {
            body.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>",
                    x(v), T, x(v), H - B));
            body.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                    x(v), H - B + 14, label(v, xs, xIntegerLabels)));
        }
        double ys = niceStep(y1 - y0, 5);
        for (double v = Math.ceil(y0 / ys) * ys; v <= y1 + 1e-9; v += ys) {
            body.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>",
                    L, y(v), W - R, y(v)));
            body.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
                    L - 6, y(v) + 4, label(v, ys, false)));
        }
        body.append(String.format(Locale.ROOT, "<rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>",
                L, T, W - L - R, H - T - B));
        body.append(String.format(Locale.ROOT, "<text class=\"axis\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                L + (W - L - R) / 2, H - 6, HtmlReport.esc(xTitle)));
        body.append(String.format(Locale.ROOT,
                "<text class=\"axis\" transform=\"translate(14 %d) rotate(-90)\" text-anchor=\"middle\">%s</text>",
                T + (H - T - B) / 2, HtmlReport.esc(yTitle)));
        return this;
    }

    /** A line through (xs[i], ys[i]); NaN values break it into separate polylines. */
    SvgChart line(double[] xs, double[] ys, String cssClass, String legendText) {
        StringBuilder pts = new StringBuilder();
        for (int i = 0; i <= xs.length; i++) {
            boolean gap = i == xs.length || Double.isNaN(ys[i]);
            if (gap) {
                if (pts.length() > 0) {
                    body.append("<polyline class=\"").append(cssClass).append("\" points=\"").append(pts).append("\"/>");
                    pts.setLength(0);
                }
                continue;
            }
            double v = Math.max(y0, Math.min(y1, ys[i]));
            if (pts.length() > 0) {
                pts.append(' ');
            }
            pts.append(String.format(Locale.ROOT, "%.1f,%.1f", x(xs[i]), y(v)));
        }
        legend.add(new String[] {cssClass, legendText});
        return this;
    }

    /** A horizontal reference line across the plot. */
    SvgChart hline(double v, String cssClass, String legendText) {
        if (v >= y0 && v <= y1) {
            body.append(String.format(Locale.ROOT, "<line class=\"%s\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>",
                    cssClass, L, y(v), W - R, y(v)));
        }
        legend.add(new String[] {cssClass, legendText});
        return this;
    }

    /** A shaded vertical band from xa to xb (e.g. a slouch episode). */
    SvgChart vband(double xa, double xb, String cssClass) {
        body.append(String.format(Locale.ROOT, "<rect class=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"/>",
                cssClass, x(xa), T, Math.max(0.8, x(xb) - x(xa)), H - T - B));
        return this;
    }

    /** A vertical line across the plot at {@code xv} (e.g. a fault), with a tooltip. */
    SvgChart vline(double xv, String cssClass, String tooltip) {
        if (xv >= x0 && xv <= x1) {
            body.append(String.format(Locale.ROOT, "<line class=\"%s\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"><title>%s</title></line>",
                    cssClass, x(xv), T, x(xv), H - B, HtmlReport.esc(tooltip)));
        }
        return this;
    }

    /** A small triangle on the top edge at {@code xv} (e.g. a button press), with a tooltip. */
    SvgChart tick(double xv, String cssClass, String tooltip) {
        if (xv >= x0 && xv <= x1) {
            double px = x(xv);
            body.append(String.format(Locale.ROOT, "<path class=\"%s\" d=\"M%.1f %d l-4 -7 h8 z\"><title>%s</title></path>",
                    cssClass, px, T, HtmlReport.esc(tooltip)));
        }
        return this;
    }

    SvgChart legendBox(String cssClass, String legendText) {
        legend.add(new String[] {"box " + cssClass, legendText});
        return this;
    }

    /** A bar from (xa, 0) to (xb, v). */
    SvgChart bar(double xa, double xb, double v, String cssClass, String label) {
        double top = y(Math.min(v, y1));
        body.append(String.format(Locale.ROOT, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
                cssClass, x(xa) + 1, top, Math.max(0, x(xb) - x(xa) - 2), y(y0) - top));
        if (label != null) {
            body.append(String.format(Locale.ROOT, "<text class=\"barlabel\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>",
                    (x(xa) + x(xb)) / 2, top - 3, HtmlReport.esc(label)));
        }
        return this;
    }

    /** A message in the middle of the plot area (no data). */
    SvgChart message(String text) {
        body.append(String.format(Locale.ROOT, "<text class=\"nodata\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                W / 2, H / 2, HtmlReport.esc(text)));
        return this;
    }

    String render(String id) {
        StringBuilder s = new StringBuilder();
        s.append("<svg id=\"").append(id).append("\" viewBox=\"0 0 ").append(W).append(' ').append(H)
                .append("\" role=\"img\" aria-labelledby=\"").append(id).append("-t\">");
        s.append("<title id=\"").append(id).append("-t\">").append(HtmlReport.esc(title)).append("</title>");
        s.append(body);
        double lx = L + 4;
        for (String[] item : legend) {
            String cls = item[0];
            if (cls.startsWith("box ")) {
                s.append(String.format(Locale.ROOT, "<rect class=\"lg %s\" x=\"%.1f\" y=\"6\" width=\"18\" height=\"10\"/>", cls.substring(4), lx));
            } else {
                s.append(String.format(Locale.ROOT, "<line class=\"%s\" x1=\"%.1f\" y1=\"11\" x2=\"%.1f\" y2=\"11\"/>", cls, lx, lx + 18));
            }
            s.append(String.format(Locale.ROOT, "<text class=\"legend\" x=\"%.1f\" y=\"15\">%s</text>", lx + 22, HtmlReport.esc(item[1])));
            lx += 30 + item[1].length() * 6.2;
        }
        s.append("</svg>");
        return s.toString();
    }

    static double niceStep(double range, int targetTicks) {
        double raw = range / Math.max(1, targetTicks);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * mag >= raw) {
                return m * mag;
            }
        }
        return 10 * mag;
    }

    private static String label(double v, double step, boolean integer) {
        if (Math.abs(v) < step * 1e-6) {
            v = 0; // no "-0"
        }
        if (integer || step >= 1) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, step >= 0.1 ? "%.1f" : "%.2f", v);
    }
}
