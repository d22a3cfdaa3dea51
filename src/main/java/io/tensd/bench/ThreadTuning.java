package io.tensd.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Linux knobs for one thread, applied from inside the JVM so the benchmark can compare "with" and "without"
 * in one command: SCHED_FIFO priority (chrt), CPU affinity (taskset) and timer slack (/proc/TID/timerslack_ns,
 * what systemd's TimerSlackNSec= sets for a whole service). Java cannot name a thread's kernel id, so it is
 * found by the thread's name in /proc/self/task/TID/comm (the JVM copies Java thread names there).
 * Every step reports what it did or why it could not, so a run in a container says what was not measured.
 */
public final class ThreadTuning {
    private ThreadTuning() { }

    /** Kernel thread id of the live thread named {@code name} in this process, or -1. */
    public static long findTid(String name) {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                String comm = Files.readString(t.resolve("comm"), StandardCharsets.UTF_8).trim();
                if (comm.equals(name.length() > 15 ? name.substring(0, 15) : name)) {
                    return Long.parseLong(t.getFileName().toString());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Applies the requested settings to {@code tid}; returns one line per setting saying what happened. */
    public static List<String> apply(long tid, int fifoPriority, String cpuList, long timerSlackNanos) {
        List<String> out = new ArrayList<>();
        if (tid < 0) {
            out.add("loop thread id not found in /proc/self/task: no thread settings applied");
            return out;
        }
        if (fifoPriority > 0) {
            out.add(run("SCHED_FIFO " + fifoPriority, "chrt", "-f", "-p", Integer.toString(fifoPriority), Long.toString(tid)));
        }
        if (cpuList != null && !cpuList.isBlank()) {
            out.add(run("CPU affinity " + cpuList, "taskset", "-p", "-c", cpuList, Long.toString(tid)));
        }
        if (timerSlackNanos >= 0) {
            Path p = Path.of("/proc/" + tid + "/timerslack_ns");
            try {
                Files.writeString(p, Long.toString(timerSlackNanos));
                out.add("timer slack " + Files.readString(p).trim() + " ns: applied");
            } catch (IOException | RuntimeException e) {
                out.add("timer slack " + timerSlackNanos + " ns: NOT applied (" + e.getMessage() + ")");
            }
        }
        return out;
    }

    /** The current scheduling policy, affinity and timer slack of {@code tid}, as the kernel reports them. */
    public static String describe(long tid) {
        if (tid < 0) {
            return "unknown thread";
        }
        StringBuilder sb = new StringBuilder();
        try {
            String[] stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat")).split("\\) ", 2)[1].split(" ");
            // fields after "comm)": index 0 is field 3 (state); rt_priority is field 40, policy field 41
            sb.append("policy ").append(policyName(Integer.parseInt(stat[38]))).append(" rtprio ").append(stat[37]);
        } catch (IOException | RuntimeException e) {
            sb.append("policy ?");
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/task/" + tid + "/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    sb.append(", cpus ").append(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        } catch (IOException e) {
            sb.append(", cpus ?");
        }
        try {
            sb.append(", timer slack ").append(Files.readString(Path.of("/proc/" + tid + "/timerslack_ns")).trim()).append(" ns");
        } catch (IOException | RuntimeException e) {
            sb.append(", timer slack ?");
        }
        return sb.toString();
    }

    private static String policyName(int p) {
        return switch (p) {
            case 0 -> "SCHED_OTHER";
            case 1 -> "SCHED_FIFO";
            case 2 -> "SCHED_RR";
            case 3 -> "SCHED_BATCH";
            case 5 -> "SCHED_IDLE";
            default -> "policy-" + p;
        };
    }

    private static String run(String what, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            int rc = p.waitFor();
            return rc == 0 ? what + ": applied" : what + ": NOT applied (" + String.join(" ", cmd) + " exit " + rc + ": " + text + ")";
        } catch (IOException e) {
            return what + ": NOT applied (" + cmd[0] + " not runnable: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return what + ": NOT applied (interrupted)";
        }
    }
}
