package io.tensd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensd.hw.ImuSample;
import io.tensd.hw.PostureReading;
import io.tensd.posture.PostureCalibration;
import io.tensd.posture.PostureConfig;
import io.tensd.posture.PostureEvent;
import io.tensd.posture.PosturePipeline;
import io.tensd.posture.PostureStats;
import io.tensd.sim.posture.ImuCsvWriter;
import io.tensd.sim.posture.ImuSynth;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PostureCommandTest {
    private static final long STEP = 10_000_000L;

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) { }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new PostureCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** A scripted 2-minute session: neutral standing, a long slouch, bending, walking, lying. */
    private static List<ImuSample[]> session(ImuSynth synth, long t0) {
        List<ImuSample[]> rows = new ArrayList<>();
        long t = t0;
        long[] marks = {12_000, 45_000, 55_000, 70_000, 90_000, 100_000, 120_000};
        int m = 0;
        while (t < t0 + 120_000_000_000L) {
            long rel = (t - t0) / 1_000_000L;
            if (m < marks.length && rel == marks[m]) {
                switch (m) {
                    case 0 -> synth.setPosture(t, 35, 5, 1500);
                    case 1 -> synth.setPosture(t, 0, 0, 1500);
                    case 2 -> synth.startBending(t, 20, 0.8, 10_000);
                    case 3 -> synth.startWalking(t, 110);
                    case 4 -> synth.stopWalking(t);
                    case 5 -> synth.setBase(t, ImuSynth.Base.SUPINE, 2000);
                    default -> { }
                }
                m++;
            }
            rows.add(synth.sample(t));
            t += STEP;
        }
        return rows;
    }

    private Path record(List<ImuSample[]> rows, long t0, int sensors, String name) throws IOException {
        Path f = dir.resolve(name);
        try (Writer w = Files.newBufferedWriter(f, StandardCharsets.UTF_8);
             ImuCsvWriter csv = new ImuCsvWriter(w, sensors, t0)) {
            for (ImuSample[] r : rows) {
                csv.write(r);
            }
        }
        return f;
    }

    @Test
    void replayGivesTheSameAnglesAsTheLivePathSampleBySample() throws Exception {
        for (boolean two : new boolean[] {false, true}) {
            long t0 = 5_000_000_000L;
            ImuSynth synth = new ImuSynth(ImuSynth.Options.realistic(31, two));
            List<ImuSample[]> rows = session(synth, t0);
            Path csv = record(rows, t0, two ? 2 : 1, "rec" + two + ".csv");

            // live: the device captures neutral for the first 10 s, stores it, and a session runs with it
            PostureConfig cfg = PostureConfig.defaults().withSlouch(20, 30_000);
            PosturePipeline fitting = new PosturePipeline(cfg, two, e -> { });
            fitting.startNeutralCapture(0, 10_000);
            for (int i = 0; i < 1100; i++) {
                fitting.update(i * STEP, rows.get(i)[0], two ? rows.get(i)[1] : null);
            }
            PostureCalibration cal = fitting.calibration().orElseThrow();
            List<PostureEvent> liveEvents = new ArrayList<>();
            PosturePipeline live = new PosturePipeline(cfg, two, liveEvents::add);
            live.setCalibration(cal);

            Path outCsv = dir.resolve("out" + two + ".csv");
            Path sum = dir.resolve("sum" + two + ".json");
            Run r = run("--imu-csv", csv.toString(), "--out", outCsv.toString(), "--summary", sum.toString(),
                    "--slouch-delay", "30s");
            assertEquals(0, r.exit(), r.err());
            List<String> lines = Files.readAllLines(outCsv);
            assertEquals("t_ms,flexion_deg,lateral_deg,posture", lines.get(0));
            assertEquals(rows.size() + 1, lines.size());
            for (int i = 0; i < rows.size(); i++) {
                long t = rows.get(i)[0].sampledAtNanos() - t0;
                PostureReading p = live.update(t, rows.get(i)[0], two ? rows.get(i)[1] : null);
                String expected = (t / 1_000_000L) + "," + PostureCommand.fmt(p.flexionDeg()) + ","
                        + PostureCommand.fmt(p.lateralDeg()) + "," + (p.postureClass() == null ? "" : p.postureClass());
                assertEquals(expected, lines.get(i + 1), "row " + (i + 1) + " two=" + two);
            }
            PostureStats stats = live.stats();
            JsonNode json = new ObjectMapper().readTree(sum.toFile());
            assertEquals(stats.slouchAlerts(), json.get("slouchAlerts").asInt());
            assertEquals(1, stats.slouchAlerts());
            assertEquals(stats.steps(), json.get("steps").asLong());
            assertTrue(stats.steps() > 30, "steps " + stats.steps());
            assertEquals(stats.millisByClass().get("lying"), json.get("millisByClass").get("lying").asLong());
            assertEquals(stats.millisByClass().get("flexed"), json.get("millisByClass").get("flexed").asLong());
            assertEquals("slouch-alert", json.get("events").get(0).get("type").asText());
            assertEquals(two ? 2 : 1, json.get("sensors").asInt());
            assertEquals(liveEvents.size(), json.get("events").size());
        }
    }

    @Test
    void axesRemapRestoresTheDocumentedAxes() throws Exception {
        long t0 = 0;
        ImuSynth synth = new ImuSynth(ImuSynth.Options.realistic(32, false));
        List<ImuSample[]> rows = session(synth, t0).subList(0, 4000);
        // the recording sensor was mounted turned: its x is the body's y (left), its y the body's −x (down)
        List<ImuSample[]> turned = rows.stream().map(r -> new ImuSample[] {new ImuSample(r[0].sampledAtNanos(),
                r[0].ayG(), -r[0].axG(), r[0].azG(), r[0].gyDps(), -r[0].gxDps(), r[0].gzDps(), r[0].status())}).toList();
        Path plain = record(rows, t0, 1, "plain.csv");
        Path rot = record(turned, t0, 1, "turned.csv");
        Run a = run("--imu-csv", plain.toString());
        Run b = run("--imu-csv", rot.toString(), "--axes=-y,x,z");
        assertEquals(0, a.exit(), a.err());
        assertEquals(0, b.exit(), b.err());
        assertEquals(a.out(), b.out());
        Run unmapped = run("--imu-csv", rot.toString());
        assertEquals(2, unmapped.exit(), "a sensor worn 90° off must be refused at calibration: " + unmapped.err());
        assertTrue(unmapped.err().contains("tilted"), unmapped.err());
    }

    @Test
    void neutralWindowCanBeNamed() throws Exception {
        long t0 = 0;
        ImuSynth synth = new ImuSynth(ImuSynth.Options.realistic(33, true));
        synth.startBending(0, 20, 0.7, 20_000); // moving during the first 20 s
        List<ImuSample[]> rows = new ArrayList<>();
        for (long t = 0; t < 45_000_000_000L; t += STEP) {
            rows.add(synth.sample(t));
        }
        Path csv = record(rows, t0, 2, "late.csv");
        Run first = run("--imu-csv", csv.toString());
        assertEquals(2, first.exit());
        assertTrue(first.err().contains(csv + ": neutral window 0.0s-10.0s: "), first.err());
        assertTrue(first.err().contains("moved"), first.err());
        Run later = run("--imu-csv", csv.toString(), "--neutral", "30s-40s");
        assertEquals(0, later.exit(), later.err());
        String last = later.out().strip().lines().reduce((x, y) -> y).orElseThrow();
        assertTrue(last.endsWith(",upright"), last);
    }

    @Test
    void inputErrorsNameFileAndLine() throws Exception {
        Path badHeader = dir.resolve("h.csv");
        Files.writeString(badHeader, "t_ms,ax_g,ay_g,az_g,gx_dps,gy_dps\n0,0,0,1,0,0\n");
        Run r = run("--imu-csv", badHeader.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith(badHeader + ":1: missing column(s) gz_dps"), r.err());

        Path badNumber = dir.resolve("n.csv");
        Files.writeString(badNumber, "t_ms,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps\n0,1,0,0,0,0,0\n10,1,0,0,0,0,0\n20,1,zero,0,0,0,0\n");
        r = run("--imu-csv", badNumber.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith(badNumber + ":4: column ay_g: 'zero' is not a number"), r.err());

        Path backwards = dir.resolve("b.csv");
        Files.writeString(backwards, "t_ms,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps\n0,1,0,0,0,0,0\n\n10,1,0,0,0,0,0\n10,1,0,0,0,0,0\n");
        r = run("--imu-csv", backwards.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith(backwards + ":5: t_ms 10 does not increase"), r.err());

        Path shortRow = dir.resolve("s.csv");
        Files.writeString(shortRow, "t_ms,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps\n0,1,0,0,0,0\n");
        r = run("--imu-csv", shortRow.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith(shortRow + ":2: expected 7 values, got 6"), r.err());

        Path half = dir.resolve("half.csv");
        Files.writeString(half, "t_ms,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps,ax_g_2\n");
        r = run("--imu-csv", half.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains(":1: missing column(s) ay_g_2"), r.err());

        Path missing = dir.resolve("nope.csv");
        r = run("--imu-csv", missing.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith(missing + ":0: cannot read file"), r.err());

        Path ok = dir.resolve("ok.csv");
        Files.writeString(ok, "t_ms,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps\n0,1,0,0,0,0,0\n10,1,0,0,0,0,0\n");
        r = run("--imu-csv", ok.toString(), "--axes=y,x,z");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("mirror image"), r.err());
        r = run("--imu-csv", ok.toString(), "--axes=x,x,z");
        assertEquals(2, r.exit());
        r = run("--imu-csv", ok.toString(), "--neutral", "5s");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--neutral: expected FROM-TO"), r.err());
        r = run("--imu-csv", ok.toString(), "--mode", "nag");
        assertEquals(2, r.exit());
        r = run("--imu-csv", ok.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("neutral window 0.0s-10.0s ends after the recording"), r.err());
    }

    @Test
    void trackingModeReplayHasNoAlerts() throws Exception {
        long t0 = 0;
        ImuSynth synth = new ImuSynth(ImuSynth.Options.realistic(34, false));
        Path csv = record(session(synth, t0), t0, 1, "track.csv");
        Path cfgFile = dir.resolve("tensd.yaml");
        Files.writeString(cfgFile, "posture:\n  mode: tracking\n  slouchDelay: 20s\n");
        Path sum = dir.resolve("track.json");
        Run r = run("--imu-csv", csv.toString(), "--config", cfgFile.toString(), "--summary", sum.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode json = new ObjectMapper().readTree(sum.toFile());
        assertEquals(0, json.get("slouchAlerts").asInt());
        assertEquals(1, json.get("slouchEpisodes").asInt());
        assertEquals("tracking", json.get("mode").asText());

        Files.writeString(cfgFile, "posture:\n  mode: tracking\n  slouchDelay: 1s\n");
        r = run("--imu-csv", csv.toString(), "--config", cfgFile.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith(cfgFile + ":3: posture.slouchDelay: must be between"), r.err());
    }
}
