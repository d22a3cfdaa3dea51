package io.tensd.clinic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.clinic.store.ClinicDb;
import io.tensd.clinic.store.ClinicStore;
import io.tensd.telemetry.Journal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store on a real PostgreSQL (the embedded one). */
class ClinicStoreTest {
    @TempDir
    Path tmp;
    private ClinicDb db;
    private ClinicStore store;

    @BeforeEach
    void open() throws Exception {
        db = ClinicDb.open(TestPg.freshDatabase(), 4);
        store = new ClinicStore(db.dataSource());
    }

    @AfterEach
    void close() {
        db.close();
    }

    private List<Inbound> messages(String device, String session, Path dir) throws Exception {
        List<Inbound> out = new ArrayList<>();
        for (Journal.Entry e : DevicePayloads.journal(dir, device, DevicePayloads.session(session, 0, 2, 3))) {
            out.add(InboundParser.parse(DevicePayloads.topic("site-a", device, e.payload()), e.payload()));
        }
        return out;
    }

    @Test
    void duplicatesBecomeOneRowAndTheSessionIsAssembled() throws Exception {
        List<Inbound> msgs = messages("dev-1", "s-1", tmp.resolve("j"));
        ClinicStore.BatchResult first = store.write(msgs, Instant.now());
        assertEquals(10, first.inserted());
        List<Inbound> again = new ArrayList<>(msgs);
        again.addAll(msgs.subList(2, 5));
        ClinicStore.BatchResult second = store.write(again, Instant.now());
        assertEquals(0, second.inserted());
        assertEquals(13, second.duplicates());
        ClinicStore.Totals t = store.totals();
        assertEquals(10, t.events());
        assertEquals(1, t.sessions());
        assertEquals(0, t.openGaps());
        List<SessionRecord> sessions = store.sessions("dev-1", Instant.EPOCH, Instant.now().plusSeconds(60), 100);
        assertEquals(1, sessions.size());
        SessionRecord s = sessions.get(0);
        assertTrue(s.complete());
        assertEquals(9.0, s.minutes(), 1e-9);
        assertEquals(2, s.slouchAlerts());
        ClinicStore.DeviceRow d = store.devices().get(0);
        assertEquals(10, d.contiguousSeq());
        assertEquals("idle", d.state());
    }

    /** Gap repair claims: once per interval per gap (whichever collector asks first), slower once reported, counted. */
    @Test
    void aGapIsClaimedForRepairOncePerIntervalAndCounted() throws Exception {
        List<Inbound> msgs = messages("dev-r", "s-r", tmp.resolve("j"));
        List<Inbound> withoutFour = new ArrayList<>(msgs);
        withoutFour.remove(3);
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
        store.write(withoutFour, t0);
        Duration every = Duration.ofSeconds(20);
        Duration timeout = Duration.ofSeconds(600);
        assertTrue(store.claimGapRepairs(t0.plusSeconds(19), every, timeout).isEmpty(), "not open long enough");
        List<ClinicStore.RepairRequest> first = store.claimGapRepairs(t0.plusSeconds(20), every, timeout);
        assertEquals(List.of(new ClinicStore.RepairRequest("dev-r", "site-a", 4, 4, 1)), first);
        assertTrue(store.claimGapRepairs(t0.plusSeconds(21), every, timeout).isEmpty(), "a second collector finds it claimed");
        assertEquals(2, store.claimGapRepairs(t0.plusSeconds(40), every, timeout).get(0).attempt(), "asked again after the interval");
        assertEquals(1, store.reportOverdueGaps(t0.plusSeconds(600), timeout).size());
        assertTrue(store.claimGapRepairs(t0.plusSeconds(620), every, timeout).isEmpty(), "reported: asked every gap timeout only");
        assertEquals(3, store.claimGapRepairs(t0.plusSeconds(640), every, timeout).get(0).attempt());
        assertEquals(3, store.devices().get(0).resendRequests());
        assertEquals(3, store.totals().resendRequests());
        store.write(List.of(msgs.get(3)), t0.plusSeconds(650)); // the resend arrives
        assertEquals(0, store.totals().openGaps());
        assertTrue(store.claimGapRepairs(t0.plusSeconds(2000), every, timeout).isEmpty());
    }

    @Test
    void aMissingSeqIsAnOpenGapUntilItArrivesAndIsReportedOnceWhenOverdue() throws Exception {
        List<Inbound> msgs = messages("dev-2", "s-2", tmp.resolve("j"));
        List<Inbound> withoutFourAndFive = new ArrayList<>(msgs);
        withoutFourAndFive.remove(4);
        withoutFourAndFive.remove(3);
        Instant t0 = Instant.now();
        store.write(withoutFourAndFive, t0);
        assertEquals(1, store.totals().openGaps());
        assertEquals(3, store.devices().get(0).contiguousSeq());
        assertTrue(store.reportOverdueGaps(t0.plusSeconds(10), Duration.ofSeconds(30)).isEmpty());
        List<ClinicStore.ReportedGap> reported = store.reportOverdueGaps(t0.plusSeconds(31), Duration.ofSeconds(30));
        assertEquals(List.of(new ClinicStore.ReportedGap("dev-2", 4, 5, reported.get(0).openedAt())), reported);
        assertTrue(store.reportOverdueGaps(t0.plusSeconds(60), Duration.ofSeconds(30)).isEmpty(), "reported once");
        assertEquals(1, store.devices().get(0).reportedGaps());
        store.write(List.of(msgs.get(3), msgs.get(4)), t0.plusSeconds(61));
        assertEquals(0, store.totals().openGaps());
        assertEquals(10, store.devices().get(0).contiguousSeq());
    }

    @Test
    void rejectsAreStoredWithTheirTopic() throws Exception {
        Inbound bad = InboundParser.parse("tensd/v1/site-a/dev-3/event", "{oops".getBytes(StandardCharsets.UTF_8));
        ClinicStore.BatchResult r = store.write(List.of(bad), Instant.now());
        assertEquals(1, r.rejected());
        assertEquals(1, store.totals().rejects());
        assertEquals(0, store.totals().devices());
    }

    @Test
    void concurrentWritersInAnyOrderConvergeToExactlyOnceRowsAndTheSameSession() throws Exception {
        List<Inbound> all = new ArrayList<>();
        for (int d = 0; d < 4; d++) all.addAll(messages("dev-c" + d, "s-c" + d, tmp.resolve("j" + d)));
        long seed = Long.getLong("tensd.seed", 4242L);
        Random rnd = new Random(seed);
        List<Inbound> delivered = new ArrayList<>(all);
        delivered.addAll(all.subList(0, 15)); // redeliveries
        Collections.shuffle(delivered, rnd);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < delivered.size(); i += 3) {
                List<Inbound> batch = delivered.subList(i, Math.min(delivered.size(), i + 3));
                fs.add(pool.submit(() -> store.write(batch, Instant.now())));
            }
            for (Future<?> f : fs) f.get();
        } finally {
            pool.shutdown();
        }
        ClinicStore.Totals t = store.totals();
        assertEquals(40, t.events(), "seed " + seed);
        assertEquals(4, t.sessions());
        assertEquals(0, t.openGaps());
        for (SessionRecord s : store.sessions(null, Instant.EPOCH, Instant.now().plusSeconds(60), 100)) {
            assertTrue(s.complete(), s.toString());
            assertEquals(10, s.events(), s.toString());
            assertEquals(3, s.exerciseReps());
        }
        for (ClinicStore.DeviceRow d : store.devices()) {
            assertEquals(10, d.contiguousSeq(), d.toString());
            assertFalse(d.openGaps() > 0);
        }
    }
}
