package io.tensd.loop;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import org.HdrHistogram.Histogram;

/**
 * Runs a tick body at a fixed rate on absolute deadlines: park until just before the deadline, then spin
 * to it. A late tick is counted as an overrun and the schedule skips to the next future deadline (never a
 * burst of catch-up ticks). Wake-up latency (actual start − deadline) goes to an HdrHistogram, which records
 * without allocating. Patient safety does not depend on meeting deadlines: the board's lease does.
 */
public final class ControlLoop implements Runnable {
    private final Clock clock;
    private final long periodNanos;
    private final long spinNanos;
    private final LongConsumer body;
    private final Histogram latencyNanos = new Histogram(10_000_000_000L, 3);
    private volatile boolean running = true;
    private volatile long overruns;
    private volatile long iterations;

    /**
     * @param spinNanos how long before each deadline to stop parking and spin (covers the OS's wake-up
     *                  jitter; 0 parks all the way)
     */
    public ControlLoop(Clock clock, long periodNanos, long spinNanos, LongConsumer body) {
        if (periodNanos < 1_000_000L) {
            throw new IllegalArgumentException("loop period below 1 ms (1 kHz) is not supported");
        }
        this.clock = clock;
        this.periodNanos = periodNanos;
        this.spinNanos = Math.min(spinNanos, periodNanos / 2);
        this.body = body;
    }

    public static long defaultSpinNanos(long periodNanos) {
        return Math.min(200_000L, periodNanos / 4);
    }

    @Override
    public void run() {
        long deadline = clock.nanos() + periodNanos;
        while (running) {
            long now;
            while ((now = clock.nanos()) < deadline - spinNanos) {
                LockSupport.parkNanos(deadline - spinNanos - now);
                if (!running) {
                    return;
                }
            }
            while ((now = clock.nanos()) < deadline) {
                Thread.onSpinWait();
            }
            latencyNanos.recordValue(Math.min(now - deadline, latencyNanos.getHighestTrackableValue()));
            body.accept(now);
            iterations++;
            long end = clock.nanos();
            deadline += periodNanos;
            if (end >= deadline) {
                overruns++;
                long missed = (end - deadline) / periodNanos + 1;
                deadline += missed * periodNanos;
            }
        }
    }

    public void stop() { running = false; }

    public long periodNanos() { return periodNanos; }

    public long overruns() { return overruns; }

    public long iterations() { return iterations; }

    /** Live histogram; copy it (from another thread) only when the loop is stopped or accept a torn read. */
    public Histogram latencyNanos() { return latencyNanos; }
}
