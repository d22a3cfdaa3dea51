package io.tensd.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.cli.Main;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The HTML report of a simulated session with a patient press, a pause and a fault, read as a browser would:
 * each plot's SVG through a real XML parser, the page's rows by their cells.
 */
class ReportMarksTest {
    static final String SCENARIO = """
            name: press, pause and a fault
            seed: 11
            prescription:
              program: conventional
              frequencyHz: 100
              pulseWidthMicros: 150
              targetMilliAmps: 10.0
              maxMilliAmps: 14.0
              durationMinutes: 6
              heat: { setpointCelsius: 40.0 }
            timeline:
              - at: 30s
                press: up
              - at: 60s
                press: pause
              - at: 80s
                press: resume
              - at: 3m
                inject: { skin-sensor: open }
            """;

    @TempDir
    static Path tmp;
    static String html;
    static final Map<String, Document> svg = new HashMap<>();

    @BeforeAll
    static void simulate() throws Exception {
        Path scenario = Files.writeString(tmp.resolve("s.yaml"), SCENARIO);
        var cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        assertEquals(0, cl.execute("simulate", "--scenario", scenario.toString(), "--out", tmp.resolve("out").toString()),
                out.toString());
        Path sessions = tmp.resolve("out/sessions");
        try (var s = Files.list(sessions)) {
            html = Files.readString(s.findFirst().orElseThrow().resolve("report.html"), StandardCharsets.UTF_8);
        }
        Matcher m = Pattern.compile("<svg id=\"([a-z-]+)\".*?</svg>", Pattern.DOTALL).matcher(html);
        var f = DocumentBuilderFactory.newInstance();
        while (m.find()) {
            svg.put(m.group(1), f.newDocumentBuilder().parse(new InputSource(new StringReader(m.group()))));
        }
    }

    static List<Element> byClass(Document d, String tag, String cls) {
        List<Element> out = new ArrayList<>();
        NodeList nl = d.getElementsByTagName(tag);
        for (int i = 0; i < nl.getLength(); i++) {
            Element e = (Element) nl.item(i);
            List<String> classes = List.of(e.getAttribute("class").split(" "));
            if (classes.contains(cls) && !classes.contains("lg")) {   // not the legend's sample
                out.add(e);
            }
        }
        return out;
    }

    static List<double[]> points(Element polyline) {
        List<double[]> pts = new ArrayList<>();
        for (String p : polyline.getAttribute("points").split(" ")) {
            String[] xy = p.split(",");
            pts.add(new double[] {Double.parseDouble(xy[0]), Double.parseDouble(xy[1])});
        }
        return pts;
    }

    @Test
    void everyTimePlotMarksThePauseAndTheFault() {
        for (String id : List.of("chart-intensity", "chart-temperature", "chart-flexion")) {
            Document d = svg.get(id);
            assertEquals(1, byClass(d, "rect", "mark-pause").size(), id + ": one pause band");
            assertEquals(1, byClass(d, "line", "mark-fault").size(), id + ": one fault line");
            assertTrue(byClass(d, "line", "mark-fault").get(0).getTextContent().contains("skin-sensor"), id);
        }
    }

    @Test
    void thePatientsPressIsMarkedAndListed() {
        assertEquals(1, byClass(svg.get("chart-intensity"), "path", "mark-press").size());
        assertTrue(html.contains("data-type=\"intensity-button\"><td>0:00:30</td><td>Patient changed the intensity</td>"
                + "<td>button up, from 10 mA, to 11 mA</td>"), "press row");
    }

    @Test
    void theIntensityDropsToZeroAtTheFault() {
        Element fault = byClass(svg.get("chart-intensity"), "line", "mark-fault").get(0);
        double fx = Double.parseDouble(fault.getAttribute("x1"));
        double bottom = SvgChart.H - 38;
        boolean drop = false;
        for (Element pl : byClass(svg.get("chart-intensity"), "polyline", "s-set")) {
            List<double[]> pts = points(pl);
            for (int i = 1; i < pts.size(); i++) {
                if (pts.get(i)[0] == fx && pts.get(i - 1)[0] == fx && pts.get(i)[1] == bottom && pts.get(i - 1)[1] < bottom) {
                    drop = true;
                }
            }
        }
        assertTrue(drop, "a vertical drop to 0 mA at x=" + fx);
    }

    @Test
    void timeTicksAreWholeMinutes() {
        for (String id : List.of("chart-intensity", "chart-temperature", "chart-flexion")) {
            List<String> xLabels = byClass(svg.get(id), "text", "tick").stream()
                    .filter(t -> t.getAttribute("text-anchor").equals("middle")).map(Element::getTextContent).toList();
            assertTrue(xLabels.size() >= 3, id + " " + xLabels);
            for (String l : xLabels) {
                assertTrue(l.matches("\\d+"), id + ": tick '" + l + "' is not a whole minute");
            }
        }
    }

    @Test
    void noFlexionIsDrawnBeforeThePostureCalibration() {
        double firstSet = points(byClass(svg.get("chart-intensity"), "polyline", "s-set").get(0)).get(0)[0];
        List<Element> flex = byClass(svg.get("chart-flexion"), "polyline", "f-flex");
        assertFalse(flex.isEmpty(), "flexion drawn after calibration");
        double firstFlex = points(flex.get(0)).get(0)[0];
        assertTrue(firstFlex > firstSet, "first flexion point at x=" + firstFlex + " is before calibration (first sample x=" + firstSet + ")");
    }

    @Test
    void eventsReadInWordsAndSeconds() {
        Matcher rows = Pattern.compile("<tr[^>]*data-type=\"([a-z-]+)\"><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>").matcher(html);
        int n = 0;
        while (rows.find()) {
            n++;
            assertFalse(rows.group(3).equals(rows.group(1)), "raw event key shown: " + rows.group(3));
            assertFalse(rows.group(4).matches(".*\\b[a-z]+[A-Z][A-Za-z]* .*"), "raw key in details: " + rows.group(4));
            assertFalse(rows.group(4).matches(".*\\d{4,} ?ms.*") || rows.group(4).contains("Ms "), "milliseconds: " + rows.group(4));
        }
        assertTrue(n >= 5, "event rows: " + n);
        assertTrue(html.contains("<td>Paused</td><td>reason pause button</td>"), "pause in words");
    }

    @Test
    void theSummaryStatesTheSkinCeilingAndThePadCurveIsLabelled() {
        assertTrue(html.contains("<th>Skin ceiling</th><td>41.0 °C"), "skin ceiling row");
        assertTrue(byClass(svg.get("chart-temperature"), "text", "legend").stream()
                .anyMatch(t -> t.getTextContent().equals("pad (heater side)")), "pad legend");
    }

    @Test
    void startAndEndAreInSessionTimeNotTheWallClockOfAFastSimulation() {
        assertTrue(html.contains("<th>Started</th><td>0:00:00 session time</td>"), "started");
        Matcher ended = Pattern.compile("<th>Ended</th><td>([^<]*)</td>").matcher(html);
        assertTrue(ended.find());
        assertTrue(ended.group(1).matches("0:0\\d:\\d\\d session time"), ended.group(1));
    }
}
