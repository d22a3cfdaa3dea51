package io.tensd.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.config.Limits;
import io.tensd.loop.DeviceController;
import io.tensd.sim.scenario.RunReport;
import io.tensd.sim.scenario.ScenarioParser;
import io.tensd.sim.scenario.ScenarioRunner;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
    private static final Pattern POLYLINE = Pattern.compile("<polyline class=\"([a-z-]+)\" points=\"([^\"]*)\"");

    @TempDir
    Path tmp;

    @Test
    void syntheticSessionRendersFourChartsWithItsKnownFigures() throws Exception {
        SessionRecord r = SessionRecord.load(SyntheticSession.write(tmp));
        ReportFigures f = ReportFigures.of(r, 20);
        String html = HtmlReport.render(r, f, "test");

        assertSelfContained(html);
        assertEquals(4, count(html, "<svg "), "four charts");
        Map<String, Integer> points = polylinePoints(html);
        assertEquals(601, points.get("s-set"), "one intensity point per recorded second");
        assertEquals(601, points.get("s-meas"));
        assertEquals(601, points.get("t-skin"));
        assertEquals(601, points.get("t-pad"));
        assertEquals(601, points.get("t-ceil"));
        assertEquals(601, points.get("f-flex"));
        assertEquals(1, count(html, "<rect class=\"slouch\""), "one slouch episode, minute 3 to 5");

        // figures from the device summary, as the clinician reads them
        assertTrue(html.contains("10 min</td>"), "prescribed");
        assertTrue(html.contains("9 min 30 s</td>"), "delivered");
        assertTrue(html.contains("19.4 mA"), "mean");
        assertTrue(html.contains("20.0 mA"), "max");
        assertTrue(html.contains("171.0 mC"), "charge");
        assertTrue(html.contains("39.4 °C"), "max skin");
        assertTrue(html.contains("0.012 min"), "CEM43");
        assertTrue(html.contains("completed as prescribed"));
        assertTrue(html.contains("tensd-test-007"));
        assertTrue(html.contains("session-paused"), "events table");
        // posture from the samples: slouching 2 of 10 minutes, flexed 120 s, upright 481 s
        assertEquals(SyntheticSession.SLOUCH_SECONDS / 60.0, f.slouchMin().value(), 1e-9);
        assertEquals("samples", f.slouchMin().source());
        assertEquals(120_000L, f.postureMsByClass().get("flexed"));
        assertEquals(481_000L, f.postureMsByClass().get("upright"));
        assertTrue(html.contains("2 min</td>"), "slouch time");
        assertTrue(html.contains("not recorded"), "exercise repetitions were not recorded");
        // histogram: all 601 seconds in the 0–10° and 30–40° bins
        long total = f.flexionHistogram().stream().mapToLong(ReportFigures.Bin::ms).sum();
        assertEquals(601_000L, total);
        assertEquals(120_000L, bin(f, 30).ms());
        assertEquals(481_000L, bin(f, 0).ms());
        assertTrue(count(html, "<rect class=\"bar") >= 2);
    }

    @Test
    void postureStatisticsFromTheDeviceWinOverTheSamples() throws Exception {
        Path dir = SyntheticSession.write(tmp);
        String json = Files.readString(dir.resolve("summary.json")).replaceFirst("\"recorder\"",
                "\"posture\": {\"millisByClass\": {\"upright\": 400000, \"flexed\": 150000, \"lying\": 0}, "
                        + "\"flexionHistogram\": [{\"fromDeg\": 0, \"toDeg\": 10, \"millis\": 400000}, "
                        + "{\"fromDeg\": 30, \"toDeg\": 40, \"millis\": 150000}], \"slouchMillis\": 150000, \"reps\": 24, "
                        + "\"exercises\": [{\"exercise\": \"mckenzie-extension\", \"reps\": 24, \"setsCompleted\": 2, "
                        + "\"setsPrescribed\": 3, \"shallowReps\": 3, \"meanRomDeg\": 14.5, \"targetRomDeg\": 15}]}, \"recorder\"");
        Files.writeString(dir.resolve("summary.json"), json);
        SessionRecord r = SessionRecord.load(dir);
        ReportFigures f = ReportFigures.of(r, 20);
        assertEquals("device", f.postureSource());
        assertEquals(150_000L, f.postureMsByClass().get("flexed"));
        assertEquals(2.5, f.slouchMin().value(), 1e-9);
        assertEquals(24, f.reps().value());
        String html = HtmlReport.render(r, f, "test");
        assertTrue(html.contains("24 reps, 2/3 sets, 3 shallow, mean range 15°"), "exercise line");
        assertEquals(4, count(html, "<svg "));
    }

    @Test
    void aSessionWithoutSummaryIsReportedFromItsSamplesWithANote() throws Exception {
        Path dir = SyntheticSession.write(tmp);
        Files.delete(dir.resolve("summary.json"));
        SessionRecord r = SessionRecord.load(dir);
        ReportFigures f = ReportFigures.of(r, 20);
        String html = HtmlReport.render(r, f, "test");
        assertTrue(html.contains("summary.json is missing"));
        assertEquals("samples", f.deliveredMin().source());
        // RAMP_UP + ACTIVE + RAMP_DOWN seconds: 601 samples minus 30 paused
        assertEquals(571 / 60.0, f.deliveredMin().value(), 1e-9);
        assertEquals("samples", f.cem43Min().source());
        assertTrue(f.cem43Min().value() > 0 && f.cem43Min().value() < 0.05, "CEM43 at ≤ 39.5 °C for 10 min is small");
        assertEquals(1.0, f.pauses().value(), "counted from the events");
        assertTrue(f.chargeUc().value() == null, "charge exists only in the device summary");
        assertTrue(html.contains("≈"), "derived figures are marked");
        assertEquals(4, count(html, "<svg "));
    }

    @Test
    void aRealSimulatedSessionInVirtualTimeIsReported() throws Exception {
        String yaml = """
                name: report check
                seed: 7
                prescription:
                  program: conventional
                  frequencyHz: 80
                  pulseWidthMicros: 200
                  targetMilliAmps: 12.0
                  durationMinutes: 3
                  heat: { setpointCelsius: 39.0 }
                timeline:
                  - at: 70s
                    press: pause
                  - at: 80s
                    press: resume
                """;
        Path base = tmp.resolve("sessions");
        RunReport report;
        String sessionId;
        try (SessionRecorder rec = new SessionRecorder(base, "sim-device", Limits.defaults().skinCeilingCelsius())) {
            long[] next = {Long.MIN_VALUE};
            ScenarioRunner.Hooks hooks = new ScenarioRunner.Hooks() {
                @Override
                public void afterTick(long nowNanos, DeviceController controller) {
                    if (nowNanos >= next[0]) {
                        next[0] = nowNanos + 1_000_000_000L;
                        rec.sample(nowNanos, controller.snapshot());
                    }
                }
            };
            ScenarioRunner runner = new ScenarioRunner(ScenarioParser.parse("report.yaml", new StringReader(yaml)),
                    ScenarioRunner.Options.defaults(Limits.defaults()).withHooks(hooks).withEvents(rec::event));
            report = runner.run();
            sessionId = runner.controller().session().sessionId();
            assertTrue(rec.flush(5000));
            assertEquals(0, rec.ioErrors(), rec.lastError());
            assertEquals(0, rec.dropped());
        }
        SessionRecord r = SessionRecord.load(base.resolve(sessionId));
        assertTrue(r.notes().isEmpty(), r.notes().toString());
        ReportFigures f = ReportFigures.of(r, 20);
        String html = HtmlReport.render(r, f, "test");
        Files.writeString(tmp.resolve("report.html"), html);

        assertSelfContained(html);
        assertEquals(4, count(html, "<svg "));
        Map<String, Integer> points = polylinePoints(html);
        assertTrue(points.get("s-set") >= 170, "about one point per second of a 3-minute session: " + points);
        assertTrue(points.get("t-skin") >= 170, points.toString());
        assertEquals("completed", report.endReason());
        assertTrue(html.contains("completed as prescribed"));
        @SuppressWarnings("unchecked")
        Map<String, Object> s = (Map<String, Object>) report.summary();
        assertTrue(html.contains(String.format(Locale.ROOT, "%.1f mA", ((Number) s.get("maxMa")).doubleValue())), "max intensity");
        assertTrue(html.contains(String.format(Locale.ROOT, "%.1f °C", ((Number) s.get("maxSkinC")).doubleValue())), "max skin");
        assertTrue(html.contains(HtmlReport.minutes(((Number) s.get("deliveredMs")).doubleValue() / 60_000.0) + "</td>"), "delivered");
        assertEquals(1.0, f.pauses().value());
        assertTrue(html.contains("12.0 mA (max 12.0 mA), 200 µs, 80.0 Hz"), "prescription from the start event");
        // the simulated device wears two IMUs through the real posture pipeline: both posture charts are drawn
        assertEquals(0, count(html, "not recorded (no posture sensor data)"));
        assertTrue(points.get("f-flex") == null || points.get("f-flex") >= 170, points.toString());
    }

    static void assertSelfContained(String html) {
        assertFalse(html.toLowerCase(Locale.ROOT).contains("http"), "no external reference");
        assertFalse(html.contains("<script"), "no script");
        assertFalse(html.contains("<link"), "no linked stylesheet");
        assertFalse(html.contains("NaN"), "no NaN leaked into the page");
        assertTrue(html.contains("@media print"));
    }

    static Map<String, Integer> polylinePoints(String html) {
        Map<String, Integer> out = new java.util.TreeMap<>();
        Matcher m = POLYLINE.matcher(html);
        while (m.find()) {
            String pts = m.group(2).trim();
            assertTrue(pts.matches("[0-9.]+,[0-9.]+( [0-9.]+,[0-9.]+)*"), "points are x,y pairs: " + pts.substring(0, Math.min(80, pts.length())));
            out.merge(m.group(1), pts.split(" ").length, Integer::sum);
        }
        return out;
    }

    static int count(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) {
            n++;
        }
        return n;
    }

    private static ReportFigures.Bin bin(ReportFigures f, double from) {
        return f.flexionHistogram().stream().filter(b -> b.fromDeg() == from).findFirst()
                .orElseThrow(() -> new AssertionError("no bin from " + from + ": " + f.flexionHistogram()));
    }

    @SuppressWarnings("unused")
    private static List<String> lines(String s) { return s.lines().toList(); }
}
