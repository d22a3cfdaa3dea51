package io.tensd.fleet;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of the threads of one {@link ThreadGroup}, sampled: a thread's time is gone once it ends, so
 * the last value seen of every thread is kept and the sum is what the group has used so far.
 */
final class ThreadCpu {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private final ThreadGroup group;
    private final Map<Long, Long> lastNanos = new HashMap<>();

    ThreadCpu(ThreadGroup group) {
        this.group = group;
    }

    static boolean supported() {
        if (!MX.isThreadCpuTimeSupported()) return false;
        if (!MX.isThreadCpuTimeEnabled()) MX.setThreadCpuTimeEnabled(true);
        return true;
    }

    /** Reads every live thread of the group; returns the group's CPU nanoseconds so far. */
    synchronized long sample() {
        Thread[] live = new Thread[group.activeCount() + 16];
        int n = group.enumerate(live, true);
        for (int i = 0; i < n; i++) {
            long cpu = MX.getThreadCpuTime(live[i].getId());
            if (cpu > 0) lastNanos.merge(live[i].getId(), cpu, Math::max);
        }
        return total();
    }

    synchronized long total() {
        long sum = 0;
        for (long v : lastNanos.values()) sum += v;
        return sum;
    }

    synchronized int threadsSeen() { return lastNanos.size(); }
}
