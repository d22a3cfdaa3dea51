package io.tensd.telemetry;

import io.tensd.session.CommandOutcome;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code resend} command: journal ranges a receiver asked for again. {@link #resend} runs on the answer
 * executor and only queues; the publisher thread publishes them ({@link #publishSome}) ahead of new events.
 */
final class ResendRequests {
    /** Seqs queued for resend at once: two full requests, so repeated resends cannot crowd out live events for long. */
    static final long MAX_QUEUED = 2 * CommandHandler.MAX_RESEND_SEQS;

    /** The publisher's in-flight window on one connection. */
    interface Window {
        /** Room for one more event, nothing waiting to go ahead of the stream, still the same connection. */
        boolean open();

        int freeSlots();

        /** Publishes a resent entry; false when the client refused it (window full or not connected). */
        boolean publish(Journal.Entry e) throws IOException;
    }

    private final JournalingEventSink events;
    private final Runnable signal;
    /** Ranges {from, to} the resend command asked for, published by the publisher thread ahead of new events. */
    private final ConcurrentLinkedQueue<long[]> resends = new ConcurrentLinkedQueue<>();
    private final AtomicLong resendQueued = new AtomicLong();   // seqs queued for resend and not yet published
    private final AtomicLong eventsResent = new AtomicLong();
    private long resendNext, resendTo;                          // publisher thread: the range in progress (0: none)

    /** @param signal wakes the publisher */
    ResendRequests(JournalingEventSink events, Runnable signal) {
        this.events = events;
        this.signal = signal;
    }

    /**
     * Queues {@code fromSeq..toSeq} for the publisher. Only seqs still in the journal and already journaled; the
     * rejection names the stored range so the asker knows what is gone for good.
     */
    CommandOutcome resend(long fromSeq, long toSeq) {
        Journal j = events.journal();
        long first = j.firstStoredSeq();
        long last = j.durableSeq();
        String stored = last < first ? "the journal holds no entries" : "the journal keeps seq " + first + ".." + last;
        if (fromSeq < first || last < first) return CommandOutcome.rejected("not-stored: " + stored);
        if (toSeq > last) return CommandOutcome.rejected("not-journaled: " + stored);
        long n = toSeq - fromSeq + 1;
        long queued = resendQueued.get();
        if (queued + n > MAX_QUEUED) {
            return CommandOutcome.rejected("busy: " + queued + " seq already queued for resend (at most " + MAX_QUEUED + ")");
        }
        resendQueued.addAndGet(n);
        resends.add(new long[] {fromSeq, toSeq});
        signal.run();
        return CommandOutcome.accepted();
    }

    /** Publishes queued resend ranges (older than anything live) while the in-flight window has room. Publisher thread. */
    void publishSome(Window w) throws IOException {
        while (w.open()) {
            if (resendNext == 0) {
                long[] r = resends.poll();
                if (r == null) return;
                resendNext = r[0];
                resendTo = r[1];
            }
            int want = (int) Math.min(w.freeSlots(), resendTo - resendNext + 1);
            List<Journal.Entry> batch = events.fetch(resendNext, want);
            long before = resendNext;
            for (Journal.Entry e : batch) {
                if (e.seq() > resendTo) break;
                if (!w.publish(e)) break;
                resendNext = e.seq() + 1;
            }
            // entries trimmed by retention since the command was accepted are skipped: nothing left to send for them
            if (batch.isEmpty() || batch.get(0).seq() > resendTo) resendNext = resendTo + 1;
            resendQueued.addAndGet(-(resendNext - before));
            if (resendNext > resendTo) {
                resendNext = 0;
            } else if (resendNext == before) {
                return; // window full or not connected: next wake-up
            }
        }
    }

    /** The broker acknowledged a resent entry (Paho's callback thread). */
    void acknowledged() { eventsResent.incrementAndGet(); }

    /** Journal entries published again on a {@code resend} command and acknowledged by the broker. */
    long eventsResent() { return eventsResent.get(); }
}
