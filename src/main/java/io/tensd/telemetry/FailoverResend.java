package io.tensd.telemetry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the stream starts again after Paho switched to another broker of {@code broker.urls}: events the old
 * broker acknowledged shortly before the switch are sent again ({@link AckWindow} says why and which). Publisher
 * thread, except {@link #lost} (MQTT callback thread); time is an argument (nanos of one monotonic clock).
 */
final class FailoverResend {
    private static final Logger log = LoggerFactory.getLogger(FailoverResend.class);
    /** After a switch to another broker of {@code broker.urls}, events the old one acknowledged this recently are sent again. */
    static final long WINDOW_NANOS = 10_000_000_000L;

    private volatile long lostAtNanos;
    private AckWindow ackWindow;   // publisher thread
    private String lastServer;     // publisher thread: the broker of the last connection

    /** The publisher starts: every seq up to {@code ackedSeq} was acknowledged before. */
    void start(long nowNanos, long ackedSeq) {
        ackWindow = new AckWindow(WINDOW_NANOS, nowNanos, ackedSeq);
    }

    /** The acknowledged watermark (contiguous PUBACKs) is now {@code watermark}. */
    void acked(long nowNanos, long watermark) {
        if (ackWindow != null) ackWindow.acked(nowNanos, watermark);
    }

    /** The connection was lost (MQTT callback thread). */
    void lost(long nowNanos) { lostAtNanos = nowNanos; }

    /**
     * A (re)connection to {@code server} is being set up: the first seq to send, {@code nextToSend} or, after a
     * switch of broker, earlier (never before {@code firstStoredSeq}).
     */
    long connected(String server, long nextToSend, long firstStoredSeq, long nowNanos) {
        long next = nextToSend;
        if (lastServer != null && server != null && !lastServer.equals(server)) {
            long lost = lostAtNanos;
            long from = Math.max(ackWindow.resendFrom(lost != 0 ? lost : nowNanos), firstStoredSeq);
            if (from < next) {
                log.info("MQTT failover from {} to {}: sending seq {} to {} again (acknowledged by the old broker "
                        + "within {} s of the switch, maybe never forwarded)", lastServer, server, from, next - 1,
                        WINDOW_NANOS / 1_000_000_000L);
                next = from;
            }
        }
        lastServer = server;
        return next;
    }
}
