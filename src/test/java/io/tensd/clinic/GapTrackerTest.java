package io.tensd.clinic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import io.tensd.testkit.SeededCases;
import org.junit.jupiter.api.Test;

class GapTrackerTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void inOrderArrivalHasNoGaps() {
        GapTracker.Result r = GapTracker.update(0, new long[] {1, 2, 3}, List.of(), T0);
        assertEquals(3, r.contiguousSeq());
        assertTrue(r.open().isEmpty());
    }

    @Test
    void aHoleIsOpenUntilFilledAndKeepsItsFirstSighting() {
        GapTracker.Result r = GapTracker.update(3, new long[] {6, 9}, List.of(), T0);
        assertEquals(3, r.contiguousSeq());
        assertEquals(List.of(new Gap(4, 5, T0), new Gap(7, 8, T0)), r.open());
        Instant later = T0.plusSeconds(30);
        GapTracker.Result r2 = GapTracker.update(3, new long[] {4, 6, 8, 9}, r.open(), later);
        assertEquals(4, r2.contiguousSeq());
        assertEquals(List.of(new Gap(5, 5, T0), new Gap(7, 7, T0)), r2.open());
        GapTracker.Result r3 = GapTracker.update(4, new long[] {5, 6, 7, 8, 9}, r2.open(), later.plusSeconds(1));
        assertEquals(9, r3.contiguousSeq());
        assertTrue(r3.open().isEmpty());
    }

    @Test
    void aTailTheDeviceJournaledButNobodyStoredIsAGap() {
        GapTracker.Result r = GapTracker.update(0, new long[] {1, 2, 3, 5}, List.of(), T0, 8);
        assertEquals(3, r.contiguousSeq());
        assertEquals(List.of(new Gap(4, 4, T0), new Gap(6, 8, T0)), r.open());
        GapTracker.Result filled = GapTracker.update(3, new long[] {4, 5, 6, 7, 8}, r.open(), T0.plusSeconds(5), 8);
        assertEquals(8, filled.contiguousSeq());
        assertTrue(filled.open().isEmpty());
        assertTrue(GapTracker.update(0, new long[] {1, 2}, List.of(), T0, 2).open().isEmpty(), "nothing beyond what is stored");
    }

    @Test
    void aGapIsOverdueOnlyAfterTheTimeout() {
        Gap g = new Gap(4, 5, T0);
        assertFalse(g.overdue(T0.plusSeconds(59), Duration.ofSeconds(60)));
        assertTrue(g.overdue(T0.plusSeconds(60), Duration.ofSeconds(60)));
    }

    /** Random arrival orders with random losses: the prefix and the open gaps always equal the truth. */
    @Test
    void propertyRandomArrivalOrdersWithLosses() {
        SeededCases.sequential(20261201L, 3000).run(c -> runCase(c.seed()));
    }

    private static void runCase(long seed) {
        Random r = new Random(seed);
        int n = 1 + r.nextInt(60);
        List<Long> arrivals = new ArrayList<>();
        TreeSet<Long> lost = new TreeSet<>();
        for (long s = 1; s <= n; s++) {
            if (r.nextInt(8) == 0) lost.add(s); else arrivals.add(s);
        }
        Collections.shuffle(arrivals, r);
        long contiguous = 0;
        List<Gap> open = List.of();
        TreeSet<Long> stored = new TreeSet<>();
        Instant now = T0;
        int i = 0;
        while (i < arrivals.size()) {
            int batch = 1 + r.nextInt(5);
            for (int k = 0; k < batch && i < arrivals.size(); k++, i++) stored.add(arrivals.get(i));
            now = now.plusMillis(1 + r.nextInt(1000));
            long[] above = stored.tailSet(contiguous, false).stream().mapToLong(Long::longValue).toArray();
            GapTracker.Result res = GapTracker.update(contiguous, above, open, now);
            for (Gap g : res.open()) {
                assertFalse(g.openedAt().isAfter(now));
                for (long s = g.fromSeq(); s <= g.toSeq(); s++) assertFalse(stored.contains(s), "gap covers stored " + s);
            }
            contiguous = res.contiguousSeq();
            open = res.open();
        }
        long expectedPrefix = lost.isEmpty() ? n : lost.first() - 1;
        if (!lost.isEmpty() && arrivals.isEmpty()) expectedPrefix = 0;
        assertEquals(expectedPrefix, contiguous);
        long maxStored = stored.isEmpty() ? 0 : stored.last();
        TreeSet<Long> missing = new TreeSet<>();
        for (Gap g : open) for (long s = g.fromSeq(); s <= g.toSeq(); s++) missing.add(s);
        assertEquals(lost.headSet(maxStored, false), missing, "open gaps are exactly the lost seqs below the highest stored");
    }
}
