package io.tensd.heat.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.config.HeatModelFile;
import io.tensd.telemetry.JournalLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * heat-tune without --simulate: the device path ({@code --hardware sim}: the simulated device's ports, virtual time)
 * writes a calibration file for the configured pad that check-config accepts; it refuses without heat.padId, and
 * while a daemon holds the journal (it would drive the same heater).
 */
class DeviceHeatTuneCliTest {
    @TempDir
    Path dir;

    private Path config(String heat) throws Exception {
        Files.copy(Path.of("config/limits.yaml"), dir.resolve("limits.yaml"), StandardCopyOption.REPLACE_EXISTING);
        String base = Files.readString(Path.of("config/tensd.yaml"))
                .replace("dir: /var/lib/tensd/journal", "dir: " + dir.resolve("journal"));
        Path cfg = dir.resolve("tensd.yaml");
        Files.writeString(cfg, base + heat);
        return cfg;
    }

    @Test
    void withoutAPadIdItRefusesAndNamesTheKey() throws Exception {
        Path cfg = config("");
        Path out = dir.resolve("pad.yaml");
        String[] r = HeatTuneCliTest.run("heat-tune", "--hardware", "sim", "--config", cfg.toString(), "--out", out.toString());
        assertEquals("2", r[0], r[1] + r[2]);
        assertTrue(r[2].contains(cfg + ": heat.padId: not set"), r[2]);
        assertFalse(Files.exists(out));
    }

    @Test
    void refusesWhileTheDaemonHoldsTheDevice() throws Exception {
        Path cfg = config("\nheat:\n  padId: PAD-0042\n");
        Path out = dir.resolve("pad.yaml");
        try (JournalLock held = JournalLock.acquire(dir.resolve("journal"))) {
            String[] r = HeatTuneCliTest.run("heat-tune", "--hardware", "sim", "--config", cfg.toString(), "--out", out.toString());
            assertEquals("3", r[0], r[1] + r[2]);
            assertTrue(r[2].contains("daemon") && r[2].contains("systemctl stop tensd"), r[2]);
        }
        assertFalse(Files.exists(out));
    }

    @Test
    void onASimulatedDeviceItIdentifiesTheConfiguredPadAndCheckConfigAcceptsTheFile() throws Exception {
        Path cfg = config("\nheat:\n  padId: PAD-0042\n");
        Path out = dir.resolve("pad.yaml");
        String[] r = HeatTuneCliTest.run("heat-tune", "--hardware", "sim", "--plant-seed", "11", "--config", cfg.toString(),
                "--out", out.toString());
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains(" HEAT ") && r[1].contains("skin ") && r[1].contains("heater off"), r[1]);
        assertTrue(r[1].matches("(?s).*heater power +[0-9.]+ ± [0-9.]+ W \\(95 % CI\\).*PID kp .*"), r[1]);
        PadCalibration c = HeatModelFile.read(out).calibration();
        assertEquals("PAD-0042", c.padId());
        assertEquals("simulator", c.source());
        Files.writeString(cfg, Files.readString(cfg) + "  model: pad.yaml\n");
        String[] check = HeatTuneCliTest.run("check-config", "--config", cfg.toString());
        assertEquals("0", check[0], check[2]);
        assertFalse(JournalLockHeld.isHeld(dir.resolve("journal")), "the journal lock is released at the end");
    }

    @Test
    void onAPiWithoutItsHardwareItSaysWhichPartAndReleasesTheJournal() throws Exception {
        Path cfg = config("\nheat:\n  padId: PAD-0042\n");
        String text = Files.readString(cfg).replaceFirst("stimulatorPort: \\S+", "stimulatorPort: " + dir.resolve("no-uart"));
        Files.writeString(cfg, text);
        Path out = dir.resolve("pad.yaml");
        String[] r = HeatTuneCliTest.run("heat-tune", "--config", cfg.toString(), "--out", out.toString());
        assertEquals("3", r[0], r[1] + r[2]);
        assertTrue(r[2].contains("no-uart does not exist"), r[2]);
        assertFalse(Files.exists(out));
        assertFalse(JournalLockHeld.isHeld(dir.resolve("journal")), "the journal lock is released after a refusal");
    }

    /** The lock is free again when a second acquire succeeds. */
    private static final class JournalLockHeld {
        static boolean isHeld(Path journal) {
            try (JournalLock l = JournalLock.acquire(journal)) {
                return false;
            } catch (Exception e) {
                return true;
            }
        }
    }
}
