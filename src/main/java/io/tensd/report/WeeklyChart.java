package io.tensd.report;

import java.util.List;
import java.util.Locale;

/** The report's inline-SVG bar chart for other pages (the clinic dashboard's weekly trends): one bar per labelled slot. */
public final class WeeklyChart {
    private WeeklyChart() { }

    /**
     * @param labels one per bar (shown under it), e.g. the week's Monday
     * @param values one per bar, NaN for "no data" (no bar)
     */
    public static String bars(String id, String title, String yTitle, List<String> labels, double[] values) {
        if (labels.size() != values.length) throw new IllegalArgumentException(labels.size() + " labels for " + values.length + " values");
        double top = 0;
        for (double v : values) if (!Double.isNaN(v)) top = Math.max(top, v);
        SvgChart c = new SvgChart(title, 0, Math.max(1, values.length), 0, Math.max(1, top * 1.2)).axes("", yTitle, true);
        for (int i = 0; i < values.length; i++) {
            if (!Double.isNaN(values[i])) {
                c.bar(i, i + 1, values[i], "bar", values[i] == 0 ? null : String.format(Locale.ROOT, values[i] >= 10 ? "%.0f" : "%.1f", values[i]));
            }
        }
        String svg = c.render(id);
        // the week labels replace the numeric x ticks: one under each bar
        StringBuilder xl = new StringBuilder();
        for (int i = 0; i < labels.size(); i++) {
            xl.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                    (c.x(i) + c.x(i + 1)) / 2, SvgChart.H - 4, HtmlReport.esc(labels.get(i))));
        }
        return svg.replaceAll("<text class=\"tick\" x=\"[0-9.]+\" y=\"" + (SvgChart.H - 38 + 14) + "\" text-anchor=\"middle\">[^<]*</text>", "")
                .replace("</svg>", xl + "</svg>");
    }
}
