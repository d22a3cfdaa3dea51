package io.tensd.posture;

import io.tensd.hw.ImuSample;
import io.tensd.sim.posture.ImuSynth;
import java.lang.management.ManagementFactory;

/**
 * Throughput of the whole pipeline (two sensors, calibrated, slouch and exercise logic live) on one core:
 * samples per second, and bytes allocated per sample. A program that prints figures, not a test.
 * Run: mvn -q test-compile exec:java is not configured; use
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) io.tensd.posture.PipelineBench}.
 */
public final class PipelineBench {
    public static void main(String[] args) {
        int n = 60_000; // 10 minutes at 100 Hz, replayed in a loop
        for (boolean two : new boolean[] {false, true}) {
            ImuSynth synth = new ImuSynth(ImuSynth.Options.realistic(1, two));
            ImuSample[][] samples = new ImuSample[n][];
            long t = 0;
            for (int i = 0; i < n; i++, t += 10_000_000L) {
                if (i == 1500) {
                    synth.setPosture(t, 30, 5, 1000);
                } else if (i == 20_000) {
                    synth.startBending(t, 20, 0.8, 60_000);
                } else if (i == 30_000) {
                    synth.startWalking(t, 110);
                }
                samples[i] = synth.sample(t);
            }
            PosturePipeline p = new PosturePipeline(PostureConfig.defaults(), two, e -> { });
            p.startNeutralCapture(0, 5000);
            long base = 0;
            double sink = 0;
            for (int round = 0; round < 12; round++) {
                long start = System.nanoTime();
                long bytes0 = allocated();
                for (int i = 0; i < n; i++) {
                    ImuSample[] s = samples[i];
                    sink += p.update(base + i * 10_000_000L, s[0], two ? s[1] : null).flexionDeg();
                }
                long bytes = allocated() - bytes0;
                long ns = System.nanoTime() - start;
                base += n * 10_000_000L;
                if (round >= 4) {
                    System.out.printf("%s sensor(s): %,.0f samples/s per core (%.0f ns/sample), %.1f bytes allocated/sample%n",
                            two ? "two" : "one", n / (ns * 1e-9), (double) ns / n, (double) bytes / n);
                }
            }
            if (sink == 42) {
                System.out.println();
            }
        }
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
