package io.tensd.heat.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.cli.Main;
import io.tensd.config.ConfigException;
import io.tensd.config.HeatModelFile;
import io.tensd.sim.PadPlant;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * heat-tune --simulate writes a calibration file that check-config validates (checksum, pad id) and that
 * simulate --heat-model heats with on its own pad and refuses (event, summary) on another pad.
 */
class HeatTuneCliTest {
    @TempDir
    static Path dir;
    static Path model;
    static String tuneOut;

    @BeforeAll
    static void tune() {
        model = dir.resolve("pad.yaml");
        String[] r = run("heat-tune", "--simulate", "--plant-seed", "11", "--out", model.toString(), "--config", "config/tensd.yaml");
        assertEquals("0", r[0], r[1] + r[2]);
        tuneOut = r[1];
    }

    static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int rc = cl.execute(args);
        return new String[] {String.valueOf(rc), out.toString(), err.toString()};
    }

    @Test
    void theFileDescribesTheDrawnPadAndItsFit() throws Exception {
        HeatModelFile.Loaded l = HeatModelFile.read(model);
        PadPlant plant = PadPlant.random(new java.util.Random(11), 0.25);
        PadCalibration c = l.calibration();
        assertEquals(plant.padId(), c.padId());
        assertEquals(plant.gainScale(), l.simulatedPlant().orElseThrow().get("gainScale"));
        assertEquals(2.0 * plant.couplingScale(), c.fit().padSkinKelvinPerWatt().value(), 0.05 * 2.0 * plant.couplingScale(), tuneOut);
        assertEquals(40.0 * plant.tauScale(), c.fit().skinJoulesPerKelvin().value(), 0.05 * 40 * plant.tauScale(), tuneOut);
        assertTrue(c.fit().padSkinKelvinPerWatt().ci95() > 0, "a confidence interval");
        assertNull(c.refusal(plant.padId()), tuneOut);
        assertTrue(c.refusal("PAD-OTHER").contains("belongs to pad " + plant.padId()));
    }

    @Test
    void anEditedFileIsRejectedWithFileAndLine() throws Exception {
        Path edited = dir.resolve("edited.yaml");
        String text = Files.readString(model);
        Files.writeString(edited, text.replaceFirst("kpPerCelsius: [0-9.E-]+", "kpPerCelsius: 0.9"));
        ConfigException e = assertThrows(ConfigException.class, () -> HeatModelFile.read(edited));
        String msg = e.errors().get(0).toString();
        assertTrue(msg.startsWith(edited + ":") && msg.contains("checksum: does not match"), msg);
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, text.replaceFirst("heaterWatts: [0-9.E-]+", "heaterWatts: 90.0"));
        ConfigException e2 = assertThrows(ConfigException.class, () -> HeatModelFile.read(bad));
        assertTrue(e2.errors().get(0).toString().matches(".*bad.yaml:\\d+: model.heaterWatts: must be between.*"), e2.errors().toString());
    }

    @Test
    void checkConfigAcceptsTheFittedPadAndRejectsAnother() throws Exception {
        Path cfg = dir.resolve("tensd.yaml");
        Files.copy(Path.of("config/limits.yaml"), dir.resolve("limits.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String base = Files.readString(Path.of("config/tensd.yaml"));
        String padId = HeatModelFile.read(model).calibration().padId();
        Files.writeString(cfg, base + "\nheat:\n  padId: " + padId + "\n  model: pad.yaml\n");
        String[] ok = run("check-config", "--config", cfg.toString());
        assertEquals("0", ok[0], ok[2]);
        Files.writeString(cfg, base + "\nheat:\n  padId: PAD-0042\n  model: pad.yaml\n");
        String[] no = run("check-config", "--config", cfg.toString());
        assertEquals("2", no[0]);
        assertTrue(no[2].contains(cfg + ":") && no[2].contains("heat.padId: sessions will not heat: heat model belongs to pad "), no[2]);
    }

    @Test
    void simulateHeatsWithTheModelOnItsPadAndRefusesOnAnother() throws Exception {
        Path report = dir.resolve("report.json");
        Path sc = dir.resolve("s.yaml");
        Files.writeString(sc, scenario(""));
        String[] own = run("simulate", "--scenario", sc.toString(), "--heat-model", model.toString(), "--report", report.toString());
        assertEquals("0", own[0], own[2]);
        assertTrue(own[1].contains("heat model: pad sim-") && !own[1].contains("heat refused"), own[1]);
        Map<?, ?> r = new com.fasterxml.jackson.databind.ObjectMapper().readValue(report.toFile(), Map.class);
        assertEquals("completed", r.get("endReason"), r.toString());
        Files.writeString(sc, scenario("    plant: { gainScale: 1.05, tauScale: 0.95, couplingScale: 1.0 }\n"));
        String[] other = run("simulate", "--scenario", sc.toString(), "--heat-model", model.toString(), "--report", report.toString());
        assertEquals("0", other[0], other[2]);
        assertTrue(other[1].contains("heat refused: heat model belongs to pad"), other[1]);
    }

    private static String scenario(String plant) {
        return """
                name: tuned pad
                seed: 5
                prescription:
                  program: conventional
                  frequencyHz: 100
                  pulseWidthMicros: 150
                  targetMilliAmps: 10.0
                  durationMinutes: 8
                  heat:
                    setpointCelsius: 40
                """ + plant + "timeline: []\n";
    }
}
