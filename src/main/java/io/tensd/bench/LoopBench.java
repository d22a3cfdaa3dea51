package io.tensd.bench;

import com.sun.management.ThreadMXBean;
import io.tensd.session.SessionEvent;
import io.tensd.session.SessionCommand;
import io.tensd.session.SessionState;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * {@code tensd bench loop}: the real loop on the real clock with a session running against the simulated
 * hardware. Figures are taken over the steady state only: after the warm-up the loop thread itself resets
 * its latency histogram (a request flag read in the tick, so the histogram is never touched by two threads),
 * and allocation, CPU time and GC counters are differences between two readings taken from the main thread.
 */
public final class LoopBench {
    private LoopBench() { }

    /**
     * @param spinNanos       -1 for the loop's default
     * @param fifoPriority    0 to leave the loop thread SCHED_OTHER
     * @param cpuList         null to leave affinity alone
     * @param timerSlackNanos -1 to leave the kernel default (50 µs)
     */
    public record Options(int rateHz, double seconds, double warmupSeconds, long spinNanos, int fifoPriority, String cpuList,
                          long timerSlackNanos, long seed, int prewarmSessions) {
        public Options {
            if (rateHz < 1 || rateHz > 1000) {
                throw new IllegalArgumentException("rate must be 1..1000 Hz");
            }
            if (!(seconds > 0) || !(warmupSeconds >= 0)) {
                throw new IllegalArgumentException("seconds must be > 0 and warm-up ≥ 0");
            }
        }
    }

    /**
     * @param latencyNanos        wake-up latency (tick start − deadline) over the steady state
     * @param bytesPerIteration   bytes the loop thread allocated per iteration over the steady state
     * @param cpuPercent          loop thread CPU time / wall time × 100 (100 = one full core)
     */
    public record Result(int rateHz, double seconds, long iterations, Histogram latencyNanos, long overruns,
                         long allocatedBytes, double bytesPerIteration, long gcCount, long gcMillis, double cpuPercent,
                         String sessionState, String threadSettings, List<String> tuning, String gcNames,
                         List<SessionEvent> events, long prewarmMs) {
        public String row() {
            return String.format("tensd loop %4d Hz %6.1f s %7d it | wake-up latency us: p50 %7.1f p99 %7.1f p99.9 %8.1f max %8.1f"
                            + " | overruns %d | %.2f B/it | GC %d (%d ms) | loop CPU %.1f %%",
                    rateHz, seconds, iterations, us(latencyNanos.getValueAtPercentile(50)), us(latencyNanos.getValueAtPercentile(99)),
                    us(latencyNanos.getValueAtPercentile(99.9)), us(latencyNanos.getMaxValue()), overruns, bytesPerIteration,
                    gcCount, gcMillis, cpuPercent);
        }

        /** One line of key=value pairs for scripts (scripts/bench-vs-cyclictest.sh reads it). */
        public String machineRow() {
            return String.format("RESULT tensd rate_hz=%d iterations=%d p50_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f overruns=%d"
                            + " bytes_per_iter=%.3f gc_count=%d gc_ms=%d cpu_pct=%.2f",
                    rateHz, iterations, us(latencyNanos.getValueAtPercentile(50)), us(latencyNanos.getValueAtPercentile(99)),
                    us(latencyNanos.getValueAtPercentile(99.9)), us(latencyNanos.getMaxValue()), overruns, bytesPerIteration,
                    gcCount, gcMillis, cpuPercent);
        }
    }

    /** Loop-thread side of the steady-state boundary. */
    private static final class Marker {
        volatile boolean resetRequested;
        volatile boolean resetDone;
        volatile long overrunsAtReset;
    }

    public static Result run(Options o) {
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        mx.setThreadAllocatedMemoryEnabled(true);
        mx.setThreadCpuTimeEnabled(true);
        long prewarmMs = o.prewarmSessions() > 0 ? Prewarm.run(o.prewarmSessions()) : 0;
        Marker marker = new Marker();
        AtomicReference<RealTimeRig> rigRef = new AtomicReference<>();
        ConcurrentLinkedQueue<SessionEvent> events = new ConcurrentLinkedQueue<>();
        RealTimeRig rig = new RealTimeRig(o.rateHz(), o.spinNanos(), o.seed(), events::add, now -> {
            if (marker.resetRequested && !marker.resetDone) {
                RealTimeRig r = rigRef.get();
                r.loop().latencyNanos().reset();
                marker.overrunsAtReset = r.loop().overruns();
                marker.resetDone = true;
            }
        });
        rigRef.set(rig);
        try {
            rig.start();
            long tid = -1;
            for (int i = 0; i < 100 && tid < 0; i++) {
                tid = ThreadTuning.findTid(RealTimeRig.LOOP_THREAD);
                if (tid < 0) {
                    LockSupport.parkNanos(5_000_000L);
                }
            }
            List<String> tuning = new ArrayList<>(ThreadTuning.apply(tid, o.fifoPriority(), o.cpuList(), o.timerSlackNanos()));
            if (o.fifoPriority() > 1) {
                // The simulated hardware stands in for the acquisition threads; on a loaded machine they need real-time
                // priority too (just below the loop), or a sample goes stale and the supervisor faults, safely.
                long simTid = ThreadTuning.findTid(RealTimeRig.SIM_THREAD);
                ThreadTuning.apply(simTid, o.fifoPriority() - 1, null, -1).forEach(t -> tuning.add("sim thread: " + t));
            }
            String settings = ThreadTuning.describe(tid);
            // the session starts once the threads have their priorities: a start under load without them can
            // already latch a loop overrun, and the bench would then refuse
            rig.startSession();
            sleepSeconds(o.warmupSeconds());
            rig.live().open();
            marker.resetRequested = true;
            while (!marker.resetDone) {
                LockSupport.parkNanos(1_000_000L);
            }
            long javaTid = rig.loopThread().getId();
            long it0 = rig.loop().iterations();
            long bytes0 = mx.getThreadAllocatedBytes(javaTid);
            long cpu0 = mx.getThreadCpuTime(javaTid);
            long wall0 = System.nanoTime();
            long[] gc0 = gc();
            sleepSeconds(o.seconds());
            long it1 = rig.loop().iterations();
            long bytes1 = mx.getThreadAllocatedBytes(javaTid);
            long cpu1 = mx.getThreadCpuTime(javaTid);
            long wall1 = System.nanoTime();
            long[] gc1 = gc();
            rig.live().close();
            SessionState state = rig.controller().session().state();
            rig.loop().stop();
            try {
                rig.loopThread().join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Histogram h = rig.loop().latencyNanos().copy();
            long iterations = it1 - it0;
            rig.live().require("bench loop", iterations / 2);
            return new Result(o.rateHz(), (wall1 - wall0) / 1e9, iterations, h, rig.loop().overruns() - marker.overrunsAtReset,
                    bytes1 - bytes0, iterations == 0 ? Double.NaN : (double) (bytes1 - bytes0) / iterations,
                    gc1[0] - gc0[0], gc1[1] - gc0[1], 100.0 * (cpu1 - cpu0) / (wall1 - wall0), state.name(), settings, tuning,
                    gcNames(), List.copyOf(events), prewarmMs);
        } finally {
            rig.close();
        }
    }

    static long[] gc() {
        long n = 0;
        long ms = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, b.getCollectionCount());
            ms += Math.max(0, b.getCollectionTime());
        }
        return new long[] {n, ms};
    }

    static String gcNames() {
        List<String> names = new ArrayList<>();
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            names.add(b.getName());
        }
        return String.join(", ", names);
    }

    static void sleepSeconds(double s) {
        long end = System.nanoTime() + (long) (s * 1e9);
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    static double us(long nanos) { return nanos / 1000.0; }
}
