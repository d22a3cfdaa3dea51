package io.tensd.stim;

/**
 * When the board sent a STATUS, in host time: the host's receive stamp alone cannot tell a fresh STATUS
 * from one that sat in a buffer (a board whose UART queue lags, a stalled reader thread). The board's
 * {@code uptimeMillis} can: the smallest {@code receivedAt − uptime} seen so far is the link's best-case
 * delay, and a STATUS is as old as its uptime says on that scale. The offset may creep up by
 * {@link #DRIFT_ALLOWANCE} of elapsed time (crystal drift between board and host is ~50 ppm), so a slow
 * board clock never makes fresh frames look old. Pure; reset whenever the session or boot changes.
 */
final class StatusAge {
    /** How fast the best-case offset may grow: 1000 ppm, twenty times a cheap crystal's drift. */
    static final double DRIFT_ALLOWANCE = 1e-3;
    /** An uptime that jumps this much further than host time did is another board or a reset: start over. */
    private static final long JUMP_NANOS = 1_000_000_000L;

    private boolean have;
    private long unwrappedUptimeMillis;
    private int lastUptimeMillis;
    private long lastReceivedNanos;
    private long offsetNanos;

    void reset() { have = false; }

    /** Host time at which the board sent a STATUS that arrived at {@code receivedNanos}; never later than that. */
    long sentAt(long receivedNanos, int uptimeMillis) {
        if (have) {
            int advancedMillis = uptimeMillis - lastUptimeMillis;     // u32 difference, also across the 49-day wrap
            if (advancedMillis < 0) {       // older than a STATUS already seen (a stale copy): as old as it says
                return Math.min(receivedNanos, (unwrappedUptimeMillis + advancedMillis) * 1_000_000L + offsetNanos);
            }
            long hostAdvanced = Math.max(0, receivedNanos - lastReceivedNanos);
            if (advancedMillis * 1_000_000L > hostAdvanced + JUMP_NANOS) {
                have = false;               // the board's clock ran far ahead of ours: not a late frame, start over
            } else {
                unwrappedUptimeMillis += advancedMillis;
                offsetNanos = Math.min(receivedNanos - unwrappedUptimeMillis * 1_000_000L,
                        offsetNanos + (long) (hostAdvanced * DRIFT_ALLOWANCE));
            }
        }
        if (!have) {
            have = true;
            unwrappedUptimeMillis = uptimeMillis & 0xFFFF_FFFFL;
            offsetNanos = receivedNanos - unwrappedUptimeMillis * 1_000_000L;
        }
        lastUptimeMillis = uptimeMillis;
        lastReceivedNanos = receivedNanos;
        return Math.min(receivedNanos, unwrappedUptimeMillis * 1_000_000L + offsetNanos);
    }
}
