package io.tensd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tensd.config.ConfigPaths;
import io.tensd.config.LoadedConfig;
import io.tensd.posture.PostureStats;
import io.tensd.session.CommandOutcome;
import io.tensd.session.SessionCommand;
import io.tensd.telemetry.EmbeddedBroker;
import io.tensd.therapy.Prescription;
import io.tensd.therapy.Screening;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's session record carries the session's posture statistics, as simulate's does. */
class DaemonPostureSummaryTest {

    @Test
    void aSessionSummaryOfTheDaemonHasItsPostureStatistics(@TempDir Path dir) throws Exception {
        Path cfgFile = DaemonFixture.config(dir, "dev-posture", "tcp://127.0.0.1:" + EmbeddedBroker.freePort(), null, "/dev/serial0");
        LoadedConfig cfg = LoadedConfig.load(ConfigPaths.resolve(cfgFile, null));
        Daemon daemon = Daemon.start(new Daemon.Options(cfg, Daemon.Hardware.SIM, null, new SystemdNotify(Map.of(), a -> true), 9));
        String sessionId;
        try {
            Prescription rx = new Prescription("conventional", 100, 150, 5.0, 5.0, 5, Optional.empty(), Screening.clear("clinic"));
            CommandOutcome outcome = null;
            for (int attempt = 0; attempt < 5 && (outcome == null || outcome.status() == CommandOutcome.Status.REJECTED); attempt++) {
                if (outcome != null) {
                    // a loaded machine can starve the simulated board past its lease: a latched link fault, cleared
                    // locally as a technician would (this test is about the summary, not the scheduler)
                    System.out.println("NOTE: start refused (" + outcome.reasons() + "); clearing locally and retrying");
                    daemon.controller().submit(new SessionCommand.Press(io.tensd.hw.Button.CLEAR, SessionCommand.Source.LOCAL), o -> { });
                    Thread.sleep(1_000);
                }
                CompletableFuture<CommandOutcome> started = new CompletableFuture<>();
                daemon.controller().submit(new SessionCommand.StartSession(rx, SessionCommand.Source.LOCAL), started::complete);
                outcome = started.get(5, TimeUnit.SECONDS);
            }
            assertEquals(CommandOutcome.Status.ACCEPTED, outcome.status(), outcome.reasons().toString());
            Thread.sleep(1_500);
            sessionId = daemon.controller().snapshot().sessionId();
        } finally {
            daemon.stop(); // ends the session: summary journaled and recorded
        }
        JsonNode summary = DaemonFixture.JSON.readTree(Files.readString(dir.resolve("sessions").resolve(sessionId).resolve("summary.json")));
        JsonNode posture = summary.path("posture");
        assertTrue(posture.has("monitoredMillis") && posture.has("millisByClass") && posture.has("slouchAlerts")
                && posture.path("flexionHistogram").size() == PostureStats.HISTOGRAM_BINS, summary.toString());
    }

    @Test
    void theSessionShareIsTheDifferenceOfTwoSnapshots() {
        PostureStats before = new PostureStats(1000, Map.of("upright", 800L, "flexed", 200L), List.of(0L, 1000L), 1, 2, 300, 10,
                List.of(), 4);
        PostureStats ex = new PostureStats(0, Map.of(), List.of(), 0, 0, 0, 0, List.of(), 0);
        PostureStats after = new PostureStats(4000, Map.of("upright", 2800L, "flexed", 1200L), List.of(500L, 3500L), 3, 3, 900, 25,
                List.of(new PostureStats.ExerciseStats("flexion", 1, 5, 30, 1, 5, 0, List.of(31.0))), 4);
        PostureStats s = after.since(before);
        assertEquals(3000, s.monitoredMillis());
        assertEquals(Map.of("upright", 2000L, "flexed", 1000L), s.millisByClass());
        assertEquals(List.of(500L, 2500L), s.flexionHistogramMillis());
        assertEquals(2, s.slouchAlerts());
        assertEquals(15, s.steps());
        assertEquals(1, s.exercises().size());
        assertEquals(after, after.since(ex));
    }
}
