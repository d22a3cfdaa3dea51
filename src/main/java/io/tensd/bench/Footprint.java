package io.tensd.bench;

import io.tensd.config.Limits;
import io.tensd.loop.DeviceController;
import io.tensd.session.EventSink;
import io.tensd.sim.scenario.RunReport;
import io.tensd.sim.scenario.ScenarioRunner;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code tensd bench footprint}: (1) start-up: from the process start (the kernel's start time of this JVM) to
 * the first explicit safe command to both actuators, and to the control loop's first tick on the real clock;
 * (2) memory: resident set size and heap after a full GC, sampled every virtual minute through a full session
 * with heat in virtual time (the same tick code as on the device). Run under the deployment heap (-Xmx32m).
 */
public final class Footprint {
    private Footprint() { }

    public record Result(double processToSafeMs, double jvmToSafeMs, double processToFirstTickMs, long maxHeapAfterGcBytes,
                         long maxRssKiB, long peakRssKiB, long heapMaxBytes, String endState, int samples) {
        public String text() {
            return String.format("start-up: launch -> outputs safe %.0f ms (JVM start -> safe %.0f ms); launch -> first tick %.0f ms%n"
                            + "full session (%d samples, end %s): heap after GC max %.1f MiB (heap limit %.1f MiB); RSS max %.1f MiB, peak (VmHWM) %.1f MiB%n"
                            + "RESULT footprint process_to_safe_ms=%.0f process_to_first_tick_ms=%.0f heap_after_gc_max_mib=%.2f rss_max_mib=%.1f rss_peak_mib=%.1f heap_limit_mib=%.1f%n",
                    processToSafeMs, jvmToSafeMs, processToFirstTickMs, samples, endState, maxHeapAfterGcBytes / 1048576.0,
                    heapMaxBytes / 1048576.0, maxRssKiB / 1024.0, peakRssKiB / 1024.0, processToSafeMs, processToFirstTickMs,
                    maxHeapAfterGcBytes / 1048576.0, maxRssKiB / 1024.0, peakRssKiB / 1024.0, heapMaxBytes / 1048576.0);
        }
    }

    public static Result run(int sessionMinutes) {
        // The launcher's own clock reading just before exec (scripts/footprint.sh passes it) is exact; the kernel's
        // process start time is not (it is built on the boot time, which /proc gives in whole seconds).
        String launch = System.getProperty("tensd.launchEpochNanos");
        Instant processStart = launch != null ? Instant.ofEpochSecond(0, Long.parseLong(launch))
                : ProcessHandle.current().info().startInstant().orElse(null);
        Instant jvmStart = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
        long[] firstTick = {-1};
        RealTimeRig rig = new RealTimeRig(100, -1, 1, EventSink.NONE, now -> {
            if (firstTick[0] < 0) {
                firstTick[0] = now;
            }
        });
        // What a daemon does first: tell both actuators "off" before anything else runs.
        rig.device().heater().forceSafe();
        rig.device().stimulator().forceSafe();
        Instant safeAt = Instant.now();
        long safeNanos = System.nanoTime();
        rig.start();
        long end = System.nanoTime() + 2_000_000_000L;
        while (rig.loop().iterations() == 0 && System.nanoTime() < end) {
            LockSupport.parkNanos(100_000L);
        }
        rig.close();
        Instant firstTickAt = safeAt.plusNanos(firstTick[0] - safeNanos);
        Instant from = processStart == null ? jvmStart : processStart;

        long[] maxHeap = {0};
        long[] maxRss = {0};
        int[] samples = {0};
        ScenarioRunner.Hooks hooks = new ScenarioRunner.Hooks() {
            long t0 = Long.MIN_VALUE;
            long nextMin;

            @Override
            public void afterTick(long now, DeviceController c) {
                if (t0 == Long.MIN_VALUE) {
                    t0 = now;
                }
                if ((now - t0) / 60_000_000_000L >= nextMin) {
                    nextMin++;
                    samples[0]++;
                    maxHeap[0] = Math.max(maxHeap[0], Soak.heapAfterGc());
                    maxRss[0] = Math.max(maxRss[0], status("VmRSS:"));
                }
            }
        };
        RunReport r = new ScenarioRunner(SimBench.defaultScenario().prescription().durationMinutes() == sessionMinutes
                ? SimBench.defaultScenario() : withMinutes(sessionMinutes),
                ScenarioRunner.Options.defaults(Limits.defaults()).withHooks(hooks)).run();
        maxHeap[0] = Math.max(maxHeap[0], Soak.heapAfterGc());
        maxRss[0] = Math.max(maxRss[0], status("VmRSS:"));
        return new Result(ms(from, safeAt), ms(jvmStart, safeAt), ms(from, firstTickAt), maxHeap[0], maxRss[0], status("VmHWM:"),
                Runtime.getRuntime().maxMemory(), r.endState(), samples[0]);
    }

    private static io.tensd.sim.scenario.Scenario withMinutes(int minutes) {
        var d = SimBench.defaultScenario();
        var p = d.prescription();
        return new io.tensd.sim.scenario.Scenario(d.file(), d.name(), d.seed(), new io.tensd.therapy.Prescription(p.program(),
                p.frequencyHz(), p.pulseWidthMicros(), p.targetMilliAmps(), p.maxMilliAmps(), minutes, p.heat(),
                p.screening().orElseThrow()), d.timeline());
    }

    private static double ms(Instant a, Instant b) {
        return Duration.between(a, b).toNanos() / 1e6;
    }

    /** A kB field of /proc/self/status (VmRSS, VmHWM), in KiB; -1 if unreadable. */
    static long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
