package io.tensd.telemetry;

import java.util.ArrayDeque;

/**
 * Which events to send again after a failover to another broker. A PUBACK means the broker took the event,
 * not that it reached a subscriber: a broker killed a moment later loses what it had not yet forwarded. So
 * when the device switches brokers it resends every event acknowledged within {@code windowNanos} before the
 * switch (marked {@code replayed}; receivers drop duplicates by seq). Publisher thread only; time is an
 * argument (nanos of one monotonic clock).
 */
final class AckWindow {
    private final long windowNanos;
    private final ArrayDeque<long[]> marks = new ArrayDeque<>();   // {nanos, watermark}; both rising

    /** @param startWatermark every seq up to here was acknowledged before this window was started */
    AckWindow(long windowNanos, long startNanos, long startWatermark) {
        this.windowNanos = windowNanos;
        marks.add(new long[] {startNanos - windowNanos, startWatermark});
    }

    /** The acknowledged watermark rose to {@code watermark} at {@code nowNanos}. */
    void acked(long nowNanos, long watermark) {
        if (marks.peekLast()[1] >= watermark) return;
        marks.addLast(new long[] {nowNanos, watermark});
        // keep only the newest mark at or before the window's start: the watermark as it was then
        while (marks.size() > 1 && secondNanos() <= nowNanos - windowNanos) marks.pollFirst();
    }

    /** The first seq to send again after a switch of broker at {@code switchNanos}. */
    long resendFrom(long switchNanos) {
        long before = marks.peekFirst()[1];
        for (long[] m : marks) {
            if (m[0] <= switchNanos - windowNanos) before = m[1];
        }
        return before + 1;
    }

    private long secondNanos() {
        var it = marks.iterator();
        it.next();
        return it.next()[0];
    }
}
