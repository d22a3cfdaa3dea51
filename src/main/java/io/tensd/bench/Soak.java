package io.tensd.bench;

import io.tensd.config.ConfigException;
import io.tensd.config.Limits;
import io.tensd.loop.DeviceController;
import io.tensd.sim.scenario.RunReport;
import io.tensd.sim.scenario.Scenario;
import io.tensd.sim.scenario.ScenarioParser;
import io.tensd.sim.scenario.ScenarioRunner;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Hours of back-to-back sessions on one controller in virtual time (what a device on a clinic shelf does over a
 * day), sampling the heap after a full GC: a leak in the loop, the session, the supervisor or the simulator shows
 * as a rising series. Each session has heat, a patient pause and an electrode lift, so every state is visited.
 */
public final class Soak {
    private Soak() { }

    /** One heap sample: virtual minutes since start, heap used after GC, sessions completed (not aborted) so far. */
    public record Sample(long virtualMinutes, long heapAfterGcBytes, int sessionsEnded) { }

    public record Result(List<Sample> samples, int sessions, String endState, long wallMs, long virtualMs) {
        public String table() {
            StringBuilder sb = new StringBuilder("virtual min | heap after GC KiB | sessions ended\n");
            for (Sample s : samples) {
                sb.append(String.format("%11d | %17d | %d%n", s.virtualMinutes(), s.heapAfterGcBytes() / 1024, s.sessionsEnded()));
            }
            return sb.toString();
        }
    }

    static final int SESSION_MINUTES = 60;
    /** Five minutes between sessions: right after heat the skin is too warm for the next precheck (≤ 38.5 °C). */
    static final int SPACING_MINUTES = 66;

    /** The soak as a scenario file: the runner starts session 1, {@code press: start} the others. */
    public static String scenarioYaml(double hours) {
        int sessions = Math.max(1, (int) Math.floor(hours * 60 / SPACING_MINUTES));
        StringBuilder y = new StringBuilder("name: soak\nseed: 11\nprescription:\n  program: conventional\n  frequencyHz: 100\n"
                + "  pulseWidthMicros: 150\n  targetMilliAmps: 12.0\n  maxMilliAmps: 20.0\n  durationMinutes: " + SESSION_MINUTES
                + "\n  heat: { setpointCelsius: 40.0 }\ntimeline:\n");
        for (int i = 0; i < sessions; i++) {
            long base = (long) i * SPACING_MINUTES * 60_000L;
            if (i > 0) {
                line(y, base, "press: start");
            }
            line(y, base + 10 * 60_000L, "press: up");
            line(y, base + 20 * 60_000L, "press: pause");
            line(y, base + 20 * 60_000L + 30_000L, "press: pause");
            line(y, base + 40 * 60_000L, "inject: { electrode: lift }");
            line(y, base + 40 * 60_000L + 5_000L, "inject: { electrode: restore }");
            line(y, base + 45 * 60_000L, "press: down");
        }
        line(y, (long) (hours * 3_600_000L), "broker: up"); // keeps the run going to the full length
        return y.toString();
    }

    private static void line(StringBuilder y, long atMillis, String action) {
        y.append("  - at: ").append(atMillis).append("ms\n    ").append(action).append('\n');
    }

    /** Runs {@code hours} of virtual time, sampling the heap every {@code sampleMinutes} virtual minutes. */
    public static Result run(double hours, int sampleMinutes) {
        Scenario sc;
        try {
            sc = ScenarioParser.parse("soak.yaml", new StringReader(scenarioYaml(hours)));
        } catch (ConfigException e) {
            throw new IllegalStateException("soak scenario does not parse: " + e.getMessage(), e);
        }
        List<Sample> samples = new ArrayList<>();
        int[] ended = {0};
        ScenarioRunner.Hooks hooks = new ScenarioRunner.Hooks() {
            long t0 = Long.MIN_VALUE;
            long nextSampleMin;

            @Override
            public void afterTick(long now, DeviceController c) {
                if (t0 == Long.MIN_VALUE) {
                    t0 = now;
                }
                long min = (now - t0) / 60_000_000_000L;
                if (min >= nextSampleMin) {
                    nextSampleMin = min + sampleMinutes;
                    samples.add(new Sample(min, heapAfterGc(), ended[0]));
                }
            }
        };
        ScenarioRunner runner = new ScenarioRunner(sc, ScenarioRunner.Options.defaults(Limits.defaults())
                .withHooks(hooks).withEvents(e -> {
                    if (e.type().equals("session-summary") && "completed".equals(e.data().get("endReason"))) {
                        ended[0]++;
                    }
                }));
        RunReport r = runner.run();
        samples.add(new Sample(r.durationMs() / 60_000L, heapAfterGc(), ended[0]));
        return new Result(samples, ended[0], r.endState(), r.wallMs(), r.durationMs());
    }

    /** Heap in use after a full collection (System.gc() is a full, stop-the-world collection with the default GCs). */
    public static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
