package io.tensd.telemetry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.testkit.SeededCases;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    @TempDir Path tmp;

    private static byte[] payload(long seq) {
        return ("{\"n\":" + seq + ",\"pad\":\"" + "x".repeat((int) (seq % 50)) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static void append(Journal j, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            long s = j.nextSeq();
            j.write(s, payload(s));
        }
        j.sync();
    }

    private static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().toList();
        }
    }

    @Test
    void readsInAnyOrderReturnExactlyTheRequestedRecordsWhileTheJournalGrowsAndFails() throws IOException {
        // read() resumes where the last read stopped; this checks that shortcut against the plain answer
        SeededCases.sequential(1, 20).run(c -> {
            Random rnd = c.random();
            Path dir = tmp.resolve("r" + c.seed());
            Journal.Policy small = new Journal.Policy(256 + rnd.nextInt(4096), 1 << 30, Duration.ofDays(1));
            AtomicInteger failNext = new AtomicInteger();
            try (Journal j = Journal.open(dir, small, e -> { })) {
                j.faultInjector(op -> {
                    if (failNext.get() > 0 && op.equals("force")) {
                        failNext.decrementAndGet();
                        throw new IOException("injected");
                    }
                });
                for (int step = 0; step < 400; step++) {
                    if (rnd.nextInt(10) < 3) {
                        if (rnd.nextInt(8) == 0) failNext.set(1);
                        try {
                            append(j, 1 + rnd.nextInt(20));
                        } catch (IOException injected) {
                            // the unsynced records are forgotten; the same seqs are written again later
                        }
                    }
                    long durable = j.durableSeq();
                    if (durable == 0) continue;
                    long from = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt((int) durable) : Math.min(durable, 1 + rnd.nextInt((int) durable));
                    int max = 1 + rnd.nextInt(30);
                    List<Journal.Entry> got = j.read(from, max);
                    long expectN = Math.min(max, durable - from + 1);
                    assertEquals(expectN, got.size(), "step " + step + " read(" + from + "," + max + ")");
                    for (int k = 0; k < got.size(); k++) {
                        assertEquals(from + k, got.get(k).seq());
                        assertArrayEquals(payload(from + k), got.get(k).payload());
                    }
                    // and the sequential pattern a replay uses
                    List<Journal.Entry> next = j.read(from + got.size(), max);
                    for (int k = 0; k < next.size(); k++) assertEquals(from + got.size() + k, next.get(k).seq());
                }
            }
        });
    }

    @Test
    void recordsSurviveReopenInOrderAcrossSegments() throws IOException {
        Path dir = tmp.resolve("j");
        Journal.Policy small = new Journal.Policy(512, 1 << 20, Duration.ofDays(1));
        try (Journal j = Journal.open(dir, small, e -> { })) {
            append(j, 100);
        }
        assertTrue(segments(dir).size() > 3, "small segments roll");
        List<Long> seen = new ArrayList<>();
        try (Journal j = Journal.open(dir, small, e -> seen.add(e.seq()))) {
            assertEquals(100, j.recovery().records());
            assertEquals(101, j.nextSeq());
            List<Journal.Entry> all = j.read(1, 1000);
            assertEquals(100, all.size());
            for (int i = 0; i < 100; i++) {
                assertEquals(i + 1, all.get(i).seq());
                assertArrayEquals(payload(i + 1), all.get(i).payload());
            }
            assertEquals(37, j.read(37, 1).get(0).seq());
        }
        assertEquals(100, seen.size());
    }

    @Test
    void filesAndFolderAreTheDaemonUsersAlone() throws IOException {
        Path dir = tmp.resolve("private/journal");
        try (Journal j = Journal.open(dir, Journal.Policy.defaults(), e -> { })) {
            append(j, 3);
            j.acknowledge(2);
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
            }
        }
    }

    /** Property: any torn tail (cut anywhere, or garbage appended) loses only the torn record; seqs continue. */
    @Test
    void tornTailIsTruncatedAndSeqsContinue() throws IOException {
        // a new base each run: the failure header names the seed to replay
        SeededCases.sequential(new Random().nextLong(), 200).run(c -> {
            Random rnd = c.random();
            Path dir = tmp.resolve("torn" + c.index());
            int n = 1 + rnd.nextInt(40);
            try (Journal j = Journal.open(dir, new Journal.Policy(256 + rnd.nextInt(2048), 1 << 20, Duration.ofDays(1)), e -> { })) {
                append(j, n);
            }
            Path last = segments(dir).get(segments(dir).size() - 1);
            long size = Files.size(last);
            boolean garbage = rnd.nextBoolean();
            try (RandomAccessFile f = new RandomAccessFile(last.toFile(), "rw")) {
                if (garbage) {
                    f.seek(size);
                    byte[] junk = new byte[1 + rnd.nextInt(40)];
                    rnd.nextBytes(junk);
                    f.write(junk);
                } else {
                    f.setLength(Math.max(0, size - 1 - rnd.nextInt((int) Math.max(1, size))));
                }
            }
            try (Journal j = Journal.open(dir, Journal.Policy.defaults(), e -> { })) {
                long kept = j.recovery().lastSeq();
                assertTrue(kept <= n && kept >= (garbage ? n : 0), "kept " + kept + " of " + n);
                List<Journal.Entry> all = j.read(1, 1000);
                assertEquals(kept, all.size());
                for (int i = 0; i < all.size(); i++) assertEquals(i + 1, all.get(i).seq());
                assertEquals(kept + 1, j.nextSeq());
                append(j, 2);
                assertEquals(kept + 2, j.read(1, 1000).size(), "appends after recovery are readable");
            }
        });
    }

    @Test
    void flippedBitInTheTailRecordIsDetectedByTheChecksum() throws IOException {
        Path dir = tmp.resolve("crc");
        try (Journal j = Journal.open(dir, Journal.Policy.defaults(), e -> { })) {
            append(j, 10);
        }
        Path seg = segments(dir).get(0);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.seek(f.length() - 3);
            int b = f.read();
            f.seek(f.length() - 3);
            f.write(b ^ 0x10);
        }
        try (Journal j = Journal.open(dir, Journal.Policy.defaults(), e -> { })) {
            assertEquals(9, j.recovery().lastSeq());
            assertEquals(1, j.recovery().corruptRecords());
        }
    }

    @Test
    void seqIsNeverReusedEvenWhenTheCursorIsAheadOfTheSegments() throws IOException {
        Path dir = tmp.resolve("cursor");
        try (Journal j = Journal.open(dir, Journal.Policy.defaults(), e -> { })) {
            append(j, 5);
            j.acknowledge(5);
        }
        for (Path p : segments(dir)) Files.delete(p); // e.g. an operator cleaned the folder
        try (Journal j = Journal.open(dir, Journal.Policy.defaults(), e -> { })) {
            assertEquals(5, j.ackedSeq());
            assertEquals(6, j.nextSeq());
            append(j, 1);
            assertEquals(6, j.read(1, 10).get(0).seq());
        }
    }

    @Test
    void cursorNeverMovesBackAndSurvivesReopen() throws IOException {
        Path dir = tmp.resolve("ack");
        try (Journal j = Journal.open(dir, Journal.Policy.defaults(), e -> { })) {
            append(j, 10);
            j.acknowledge(7);
            j.acknowledge(3);
            assertEquals(7, j.ackedSeq());
        }
        try (Journal j = Journal.open(dir, Journal.Policy.defaults(), e -> { })) {
            assertEquals(7, j.ackedSeq());
        }
    }

    @Test
    void retentionDeletesOnlyAcknowledgedOldSegmentsAndNeverTheActiveOne() throws IOException {
        Path dir = tmp.resolve("ret");
        Journal.Policy policy = new Journal.Policy(300, 600, Duration.ofDays(1));
        try (Journal j = Journal.open(dir, policy, e -> { })) {
            append(j, 60);
            int before = segments(dir).size();
            assertEquals(0, j.applyRetention(Instant.now()), "nothing acknowledged: nothing deleted");
            j.acknowledge(30);
            int deleted = j.applyRetention(Instant.now());
            assertTrue(deleted > 0);
            assertEquals(before - deleted, segments(dir).size());
            assertTrue(j.firstStoredSeq() <= 31, "unacknowledged records are kept: first stored " + j.firstStoredSeq());
            assertEquals(60 - j.firstStoredSeq() + 1, j.read(j.firstStoredSeq(), 1000).size());
            j.acknowledge(60);
            j.applyRetention(Instant.now().plus(Duration.ofDays(2)));
            assertEquals(1, segments(dir).size(), "the active segment stays");
            assertEquals(61, j.nextSeq());
        }
    }

    @Test
    void failedWriteOrForceKeepsTheStreamGaplessAfterRetry() throws IOException {
        Path dir = tmp.resolve("fail");
        AtomicInteger failNext = new AtomicInteger();
        try (Journal j = Journal.open(dir, Journal.Policy.defaults(), e -> { })) {
            j.faultInjector(op -> {
                if (failNext.get() > 0 && failNext.decrementAndGet() >= 0) throw new IOException("No space left on device (" + op + ")");
            });
            append(j, 3);
            // write 4 and 5, then the force fails: neither counts as recorded
            j.write(4, payload(4));
            j.write(5, payload(5));
            failNext.set(1);
            assertThrows(IOException.class, j::sync);
            assertEquals(3, j.durableSeq());
            assertEquals(4, j.nextSeq(), "the unforced records are rewritten with the same seqs");
            failNext.set(1);
            assertThrows(IOException.class, () -> j.write(4, payload(4)));
            j.write(4, payload(4));
            j.write(5, payload(5));
            j.sync();
            assertEquals(5, j.durableSeq());
        }
        try (Journal j = Journal.open(dir, Journal.Policy.defaults(), e -> { })) {
            List<Journal.Entry> all = j.read(1, 100);
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), all.stream().map(Journal.Entry::seq).toList());
            assertEquals(0, j.recovery().gaps());
        }
    }

    @Test
    void rejectsOutOfOrderAppends() throws IOException {
        try (Journal j = Journal.open(tmp.resolve("order"), Journal.Policy.defaults(), e -> { })) {
            assertThrows(IllegalArgumentException.class, () -> j.write(2, payload(2)));
        }
    }
}
