package io.tensd.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tensd.loop.Clock;
import io.tensd.session.SessionEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalingEventSinkTest {
    @TempDir Path tmp;

    static List<JsonNode> readAll(Journal j) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (Journal.Entry e : j.read(1, 1_000_000)) {
            JsonNode n = Wire.JSON.readTree(e.payload());
            assertEquals(e.seq(), n.get("seq").asLong(), "seq inside the payload matches the record");
            out.add(n);
        }
        return out;
    }

    @Test
    void eventsAreJournaledWithGaplessSeqAndValidPayloads() throws Exception {
        try (JournalingEventSink sink = JournalingEventSink.open(tmp.resolve("j"), "dev-1", Clock.SYSTEM)) {
            sink.runStartNanos(500_000); // monoMs counts from the run's start: (2 ms - 0.5 ms) → 1
            sink.emit(new SessionEvent("session-started", "s-1", 1_000_000, Map.of("program", "conventional")));
            sink.emit(new SessionEvent("slouch-alert", "s-1", 2_000_000, Map.of("flexionDeg", 31.5, "nan", Double.NaN,
                    "patientName", "must never leave the device")));
            sink.emit(new SessionEvent(Wire.SUMMARY_TYPE, "s-1", 3_000_000, Map.of("durationMillis", 1000)));
            assertTrue(sink.awaitIdle(Duration.ofSeconds(5)));
            List<JsonNode> all = readAll(sink.journal());
            assertEquals(3, all.size());
            for (int i = 0; i < 3; i++) assertEquals(i + 1, all.get(i).get("seq").asLong());
            assertTrue(Schemas.validate(Wire.EVENT_SCHEMA, all.get(0)).isEmpty(), Schemas.validate(Wire.EVENT_SCHEMA, all.get(0)).toString());
            assertTrue(Schemas.validate(Wire.EVENT_SCHEMA, all.get(1)).isEmpty());
            assertTrue(Schemas.validate(Wire.SUMMARY_SCHEMA, all.get(2)).isEmpty(), Schemas.validate(Wire.SUMMARY_SCHEMA, all.get(2)).toString());
            assertTrue(all.get(1).get("data").get("nan").isNull());
            assertTrue(all.get(1).get("data").get("patientName") == null, "identifying keys are stripped");
            assertEquals(1, all.get(1).get("monoMs").asLong());
        }
    }

    @Test
    void emitNeverBlocksAndDropsAreCountedAndJournaled() throws Exception {
        JournalingEventSink.Settings tiny = new JournalingEventSink.Settings(8, 10_000, Duration.ofMillis(50), 16);
        try (JournalingEventSink sink = JournalingEventSink.open(tmp.resolve("j"), Journal.Policy.defaults(), "dev-1", Clock.SYSTEM, tiny)) {
            AtomicBoolean failing = new AtomicBoolean(true);
            sink.journal().faultInjector(op -> {
                if (failing.get()) throw new IOException("disk full");
            });
            long worst = 0;
            for (int i = 0; i < 20_000; i++) {
                long t0 = System.nanoTime();
                sink.emit(new SessionEvent("electrode-lift", "s", i, Map.of("i", i)));
                if (i > 1000) worst = Math.max(worst, System.nanoTime() - t0); // after JIT warm-up
            }
            Thread.sleep(300);
            assertTrue(sink.writeFailures() > 0, "the failing disk is counted");
            assertTrue(sink.pendingEvents() > 0, "events wait in memory");
            failing.set(false);
            assertTrue(sink.awaitIdle(Duration.ofSeconds(10)));
            List<JsonNode> all = readAll(sink.journal());
            for (int i = 0; i < all.size(); i++) assertEquals(i + 1, all.get(i).get("seq").asLong(), "gapless");
            long droppedReported = all.stream().filter(n -> n.get("type").asText().equals("events-dropped"))
                    .mapToLong(n -> n.get("data").get("count").asLong()).sum();
            assertEquals(sink.droppedEvents(), droppedReported, "every drop is on record");
            long kept = all.stream().filter(n -> n.get("type").asText().equals("electrode-lift")).count();
            assertEquals(20_000, kept + sink.droppedEvents(), "every emitted event is journaled or counted as dropped");
            assertTrue(sink.droppedEvents() > 0);
            System.out.printf("emit worst case %.1f µs, dropped %d, journaled %d%n", worst / 1e3, sink.droppedEvents(), all.size());
        }
    }

    @Test
    void aSessionCutByACrashIsReportedAbortedOnRestart() throws Exception {
        Path dir = tmp.resolve("j");
        JournalingEventSink first = JournalingEventSink.open(dir, "dev-1", Clock.SYSTEM);
        first.emit(new SessionEvent("session-started", "s-1", 0, Map.of()));
        first.emit(new SessionEvent("session-completed", "s-1", 1, Map.of()));
        first.emit(new SessionEvent("session-started", "s-2", 2, Map.of()));
        first.emit(new SessionEvent("slouch-alert", "s-2", 3, Map.of()));
        assertTrue(first.awaitIdle(Duration.ofSeconds(5)));
        first.journal().close(); // no orderly shutdown: as after kill -9
        try (JournalingEventSink second = JournalingEventSink.open(dir, "dev-1", Clock.SYSTEM)) {
            assertEquals(1, second.cutSessions().size());
            List<JsonNode> all = readAll(second.journal());
            assertEquals(5, all.size());
            JsonNode abort = all.get(4);
            assertEquals("session-aborted", abort.get("type").asText());
            assertEquals("s-2", abort.get("sessionId").asText());
            assertEquals(5, abort.get("seq").asLong());
            assertEquals("daemon-restart", abort.get("data").get("reason").asText());
            assertEquals(2, abort.get("data").get("recordedEvents").asInt());
            assertEquals("slouch-alert", abort.get("data").get("lastRecordedType").asText());
            assertTrue(Schemas.validate(Wire.EVENT_SCHEMA, abort).isEmpty());
        }
        try (JournalingEventSink third = JournalingEventSink.open(dir, "dev-1", Clock.SYSTEM)) {
            assertEquals(0, third.cutSessions().size(), "reported once");
        }
    }
}
