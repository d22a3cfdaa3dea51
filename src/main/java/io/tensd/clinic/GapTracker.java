package io.tensd.clinic;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Completeness of one device's journaled stream. Pure: time is an argument. {@code contiguousSeq} is the highest
 * seq up to which every seq is stored (seq counts from 1 on a device); the seqs stored above it (out of order
 * arrivals, usual with several collectors) leave holes, which are the open gaps. A hole keeps the time it was
 * first seen while it is only partly filled, so the timeout runs from its first sighting.
 */
public final class GapTracker {
    private GapTracker() { }

    public record Result(long contiguousSeq, List<Gap> open) {
        public Result {
            open = List.copyOf(open);
        }
    }

    /**
     * @param contiguousSeq the previous contiguous prefix (0 before anything is stored)
     * @param storedAbove   every stored seq above {@code contiguousSeq}, ascending, no duplicates
     * @param openBefore    the gaps open before this update
     */
    public static Result update(long contiguousSeq, long[] storedAbove, List<Gap> openBefore, Instant now) {
        return update(contiguousSeq, storedAbove, openBefore, now, 0);
    }

    /**
     * @param knownLastSeq a seq the device says it has journaled (its birth's {@code journal.lastSeq}); the seqs
     *                     above everything stored up to it are a gap too, so a lost tail is seen without a later event
     */
    public static Result update(long contiguousSeq, long[] storedAbove, List<Gap> openBefore, Instant now, long knownLastSeq) {
        long contiguous = contiguousSeq;
        int i = 0;
        while (i < storedAbove.length && storedAbove[i] == contiguous + 1) {
            contiguous++;
            i++;
        }
        List<Gap> open = new ArrayList<>();
        long next = contiguous + 1;
        for (; i < storedAbove.length; i++) {
            long s = storedAbove[i];
            if (s <= contiguousSeq || (i > 0 && s <= storedAbove[i - 1])) {
                throw new IllegalArgumentException("storedAbove must be ascending and above " + contiguousSeq);
            }
            if (s > next) open.add(new Gap(next, s - 1, firstSeen(next, s - 1, openBefore, now)));
            next = s + 1;
        }
        if (knownLastSeq >= next) open.add(new Gap(next, knownLastSeq, firstSeen(next, knownLastSeq, openBefore, now)));
        return new Result(contiguous, open);
    }

    /** The earliest opening time of the old gaps overlapping {@code from..to}, or {@code now} for a new hole. */
    private static Instant firstSeen(long from, long to, List<Gap> openBefore, Instant now) {
        Instant t = now;
        for (Gap g : openBefore) {
            if (g.fromSeq() <= to && g.toSeq() >= from && g.openedAt().isBefore(t)) t = g.openedAt();
        }
        return t;
    }
}
