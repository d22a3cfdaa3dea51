package io.tensd.bench;

import io.tensd.config.ConfigException;
import io.tensd.config.Limits;
import io.tensd.sim.scenario.RunReport;
import io.tensd.sim.scenario.Scenario;
import io.tensd.sim.scenario.ScenarioParser;
import io.tensd.sim.scenario.ScenarioRunner;
import io.tensd.therapy.Prescription;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code tensd bench sim}: how fast the simulator runs a session in virtual time, as virtual session-minutes per
 * wall-second. Takes any scenario file, so it can be re-run as posture and MQTT join the simulation.
 */
public final class SimBench {
    private SimBench() { }

    public record Run(long virtualMs, long wallMs) {
        double minutesPerSecond() { return (virtualMs / 60_000.0) / Math.max(1e-3, wallMs / 1000.0); }
    }

    public record Result(String scenario, int rateHz, List<Run> runs) {
        public String table() {
            StringBuilder sb = new StringBuilder("scenario '" + scenario + "' at " + rateHz + " Hz\n");
            for (int i = 0; i < runs.size(); i++) {
                Run r = runs.get(i);
                sb.append(String.format("run %d%s: %.1f virtual min in %d ms wall = %.0f session-min per wall-s%n", i + 1,
                        i == 0 ? " (cold JIT)" : "", r.virtualMs() / 60_000.0, r.wallMs(), r.minutesPerSecond()));
            }
            return sb.toString();
        }

        /** Median over the warm runs (all runs when there is only one). */
        public double warmMedian() {
            double[] v = (runs.size() > 1 ? runs.subList(1, runs.size()) : runs).stream().mapToDouble(Run::minutesPerSecond).sorted().toArray();
            return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        }

        public String machineRow() {
            return String.format("RESULT sim rate_hz=%d cold_min_per_s=%.0f warm_median_min_per_s=%.0f", rateHz,
                    runs.get(0).minutesPerSecond(), warmMedian());
        }
    }

    /** The default: a 60-minute conventional TENS session with heat at 40 °C, no events. */
    public static Scenario defaultScenario() {
        Prescription rx = new Prescription("conventional", 100, 150, 15.0, 20.0, 60, Optional.of(new Prescription.Heat(40.0)), LiveSession.SCREENING);
        return new Scenario("(built-in)", "60-minute session with heat", 3, rx, List.of());
    }

    public static Result run(Path scenarioFile, int runs, int rateHz) throws ConfigException {
        return run(scenarioFile == null ? defaultScenario() : ScenarioParser.parse(scenarioFile), runs, rateHz);
    }

    /** Each run must time a live session ({@link #runLive}), else {@link LiveSession.NotLive}. */
    public static Result run(Scenario sc, int runs, int rateHz) {
        List<Run> out = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            RunReport r = runLive(sc, rateHz, "bench sim run " + (i + 1));
            long wall = (System.nanoTime() - t0) / 1_000_000L;
            out.add(new Run(r.durationMs(), wall));
        }
        return new Result(sc.name(), rateHz, out);
    }

    /**
     * Runs the scenario and checks it timed a live session: from its ramp-up to its ramp-down every tick stimulated
     * and heated without a fault, that covered at least 95 % of the prescribed time less the ramp-down, and the
     * session completed.
     * Otherwise {@link LiveSession.NotLive}: the run measured something other than a session.
     */
    static RunReport runLive(Scenario sc, int rateHz, String what) {
        LiveSession live = new LiveSession();
        RunReport r = new ScenarioRunner(sc, ScenarioRunner.Options.defaults(Limits.defaults()).withLoopRate(rateHz)
                .withHooks(new ScenarioRunner.Hooks() {
                    @Override
                    public void afterTick(long nowNanos, io.tensd.loop.DeviceController controller) {
                        live.observeDelivery(nowNanos, controller);
                    }
                })).run();
        live.close();
        double rampDownS = sc.prescription().targetMilliAmps() / Limits.defaults().maxRampMilliAmpsPerSecond();
        double deliveryS = sc.prescription().durationMinutes() * 60.0 - rampDownS;
        live.require(what + " ('" + sc.name() + "')", (long) (0.95 * deliveryS * rateHz));
        if (!"completed".equals(r.endReason())) {
            throw new LiveSession.NotLive(what + " ('" + sc.name() + "'): the session ended '" + r.endReason()
                    + "', not completed; no figure printed");
        }
        return r;
    }

    static double[] sorted(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c;
    }
}
