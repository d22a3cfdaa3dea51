package io.tensd.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensd.loop.StatusSnapshot;
import io.tensd.session.SessionEvent;
import io.tensd.session.SessionSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionRecorderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void thinsEveryTickSamplesToOneHertzAndWritesTheThreeFiles() throws Exception {
        Path dir = SyntheticSession.write(tmp.resolve("sessions"));
        List<String> lines = Files.readAllLines(dir.resolve("samples.csv"));
        assertEquals(SessionRecorder.CSV_HEADER, lines.get(0));
        // 0 s … 600 s inclusive, one row per second, out of 60 001 calls; the summary event closes the session
        assertEquals(SyntheticSession.SECONDS + 1, lines.size() - 1, "rows");
        for (int i = 1; i < lines.size(); i++) {
            String[] c = lines.get(i).split(",", -1);
            assertEquals(14, c.length, lines.get(i));
            assertEquals((i - 1) * 1000L, Long.parseLong(c[0]), "t_ms of row " + i);
            assertEquals("41.0", c[10], "skin ceiling column");
        }
        assertTrue(lines.get(1).startsWith("0,RAMP_UP,0.00,0.00,150,100.0,0.400,40.00,33.00,36.00,41.0,5.0,upright,"),
                lines.get(1));
        assertTrue(lines.get(241).startsWith("240000,ACTIVE,20.00,19.60,"), lines.get(241));
        assertTrue(lines.get(241).contains(",35.0,flexed,"), lines.get(241));

        List<String> events = Files.readAllLines(dir.resolve("events.jsonl"));
        assertEquals(5, events.size(), String.join("\n", events));
        JsonNode paused = JSON.readTree(events.get(1));
        assertEquals("session-paused", paused.get("type").asText());
        assertEquals(360_000, paused.get("tMs").asLong());
        assertEquals("patient", paused.path("data").path("reason").asText());
        assertNotNull(paused.get("at").asText());

        JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
        assertEquals(SessionRecorder.SCHEMA, summary.get("schema").asText());
        assertEquals("syn-0001", summary.get("sessionId").asText());
        assertEquals("tensd-test-007", summary.get("deviceId").asText());
        assertEquals(570_000, summary.path("summary").path("deliveredMs").asLong());
        assertEquals(601, summary.path("recorder").path("samples").asInt());
        assertEquals(0, summary.path("recorder").path("ioErrors").asInt());
    }

    @Test
    void sessionFilesArePrivateToTheDaemonUser() throws Exception {
        Path base = tmp.resolve("sessions");
        Path dir = SyntheticSession.write(base);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(base)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        for (String f : List.of("samples.csv", "events.jsonl", "summary.json")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f))), f);
        }
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void finishAfterTheSummaryEventAddsPostureToSummaryJson() throws Exception {
        Path base = tmp.resolve("s");
        try (SessionRecorder rec = new SessionRecorder(base, "dev-1", 41)) {
            SyntheticSession.feed(rec);
            SessionSummary s = new SessionSummary(SyntheticSession.ID, "conventional", "completed", 600_000, 570_000, 19.4,
                    20.0, 1.0, 600_000, 39.4, 0.01, 1, 0, List.of());
            rec.finish(s, Map.of("posture", Map.of("reps", 12, "millisByClass", Map.of("upright", 480_000, "flexed", 120_000))));
            assertTrue(rec.flush(5000));
            // samples after the end of the session are ignored, not appended
            rec.sample(SyntheticSession.START + 700_000_000_000L, snapshot(SyntheticSession.ID, "COMPLETE"));
            assertTrue(rec.flush(5000));
        }
        Path dir = base.resolve(SyntheticSession.ID);
        JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
        assertEquals(12, summary.path("posture").path("reps").asInt());
        assertEquals(601, summary.path("recorder").path("samples").asInt(), "carried over from the first write");
        assertEquals(602, Files.readAllLines(dir.resolve("samples.csv")).size());
    }

    @Test
    void ioErrorsAreCountedNeverThrown() throws Exception {
        Path notADir = tmp.resolve("file");
        Files.writeString(notADir, "x");
        try (SessionRecorder rec = new SessionRecorder(notADir, "dev-1", 41)) {
            SyntheticSession.feed(rec);
            rec.finish(new SessionSummary("syn-0001", "p", "completed", 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, List.of()));
            assertTrue(rec.flush(5000));
            assertTrue(rec.ioErrors() > 0);
            assertTrue(rec.lastError().contains(notADir.toString()), rec.lastError());
        }
    }

    @Test
    void aNewSessionIdOpensANewDirectoryAndIgnoresNullIds() throws Exception {
        Path base = tmp.resolve("s");
        try (SessionRecorder rec = new SessionRecorder(base, "dev-1", 41)) {
            rec.sample(1_000_000_000L, snapshot(null, "IDLE"));
            rec.sample(2_000_000_000L, snapshot("a/../b", "ACTIVE"));
            rec.sample(3_000_000_000L, snapshot("a/../b", "ACTIVE"));
            rec.sample(3_500_000_000L, snapshot("a/../b", "ACTIVE"));
            rec.sample(4_000_000_000L, snapshot("second", "ACTIVE"));
            assertTrue(rec.flush(5000));
            assertEquals(0, rec.ioErrors(), rec.lastError());
        }
        assertEquals(3, Files.readAllLines(base.resolve("a_.._b").resolve("samples.csv")).size(), "header + 2 rows");
        assertEquals(2, Files.readAllLines(base.resolve("second").resolve("samples.csv")).size());
        try (var dirs = Files.list(base)) {
            assertEquals(2, dirs.count());
        }
        assertFalse(Files.exists(tmp.resolve("b")), "a session id cannot escape the base directory");
    }

    @Test
    void aStalledWriterDropsSamplesButKeepsRoomForEventsAndTheSummary() throws Exception {
        Path base = tmp.resolve("s");
        SessionRecorder rec = new SessionRecorder(base, "dev-1", 41, false);
        try {
            for (int i = 0; i < 5000; i++) {
                rec.sample(i * 1_000_000_000L, snapshot("stall", "ACTIVE"));
            }
            assertEquals(5000 - (4096 - 256), rec.dropped(), "samples beyond the reserve are dropped and counted");
            rec.event(new SessionEvent("session-completed", "stall", 5000_000_000_000L, Map.of("reason", "completed")));
            rec.finish(new SessionSummary("stall", "p", "completed", 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, List.of()));
            assertEquals(5000 - (4096 - 256), rec.dropped(), "event and summary were queued");
            rec.startWriter();
            assertTrue(rec.flush(10_000));
        } finally {
            rec.close();
        }
        Path dir = base.resolve("stall");
        assertEquals(4096 - 256 + 1, Files.readAllLines(dir.resolve("samples.csv")).size());
        assertEquals(1, Files.readAllLines(dir.resolve("events.jsonl")).size());
        JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
        assertEquals(1160, summary.path("recorder").path("dropped").asLong());
    }

    private static StatusSnapshot snapshot(String id, String state) {
        return new StatusSnapshot(0, id, state, "p", false, 0, Double.NaN, 150, 100, -1, false, 0, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, null, 0, 0, Double.NaN, List.of());
    }
}
