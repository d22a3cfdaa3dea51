package io.tensd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.config.ConfigPaths;
import io.tensd.config.LoadedConfig;
import io.tensd.telemetry.EmbeddedBroker;
import io.tensd.telemetry.JournalOwnership;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One daemon per journal, and a journal the service user cannot write is explained, not just "not permitted". */
class JournalLockTest {

    @Test
    void aSecondRunOnTheSameJournalRefusesAndNamesTheHolder(@TempDir Path dir) throws Exception {
        Path cfgFile = DaemonFixture.config(dir, "dev-lock", "tcp://127.0.0.1:" + EmbeddedBroker.freePort(), null, "/dev/serial0");
        LoadedConfig cfg = LoadedConfig.load(ConfigPaths.resolve(cfgFile, null));
        Daemon first = Daemon.start(new Daemon.Options(cfg, Daemon.Hardware.SIM, null, new SystemdNotify(Map.of(), a -> true), 1));
        String pid = Long.toString(ProcessHandle.current().pid());
        Process spawned = null;
        try {
            // the same JVM
            DaemonException e = assertThrows(DaemonException.class,
                    () -> Daemon.start(new Daemon.Options(cfg, Daemon.Hardware.SIM, null, new SystemdNotify(Map.of(), a -> true), 2)));
            assertEquals(ExitCodes.STORAGE, e.exitCode());
            assertTrue(e.getMessage().contains("another tensd (pid " + pid + ")"), e.getMessage());
            // another process: `tensd run` on the same files
            Process second = DaemonFixture.spawn(dir, false, "--config", cfgFile.toString(), "--hardware", "sim");
            spawned = second;
            assertTrue(second.waitFor(180, TimeUnit.SECONDS), "the second daemon exits"); // a JVM start: seconds, more on a loaded machine
            String log = DaemonFixture.log(dir);
            assertEquals(ExitCodes.STORAGE, second.exitValue(), log);
            assertTrue(log.contains("another tensd (pid " + pid + ") already uses the journal in " + dir.resolve("journal")), log);
            assertTrue(log.contains("kill " + pid), log);
        } finally {
            if (spawned != null) {
                spawned.destroyForcibly();
            }
            first.stop();
        }
        // released at stop: a new daemon starts on the same journal
        Daemon again = Daemon.start(new Daemon.Options(cfg, Daemon.Hardware.SIM, null, new SystemdNotify(Map.of(), a -> true), 3));
        again.stop();
    }

    @Test
    void filesOfAnotherUserAreNamedWithTheFix(@TempDir Path dir) throws Exception {
        Path journal = Files.createDirectories(dir.resolve("journal"));
        Files.writeString(journal.resolve("journal-00000000000000000001.seg"), "x");
        String me = System.getProperty("user.name");
        assertNull(JournalOwnership.problem(journal, me), "all mine: no problem");
        String msg = JournalOwnership.problem(journal, "tensd-not-" + me);
        assertTrue(msg != null && msg.startsWith("the journal files belong to " + me + ", not to tensd-not-" + me), msg);
        assertTrue(msg.endsWith("fix: sudo chown -R tensd-not-" + me + ":tensd-not-" + me + " " + journal), msg);
    }
}
