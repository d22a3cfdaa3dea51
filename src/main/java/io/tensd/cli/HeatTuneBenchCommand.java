package io.tensd.cli;

import io.tensd.bench.HeatTuneBench;
import io.tensd.config.Limits;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tensd bench heat-tune}: identification, control and fault-detection figures over many simulated pads. */
@Command(name = "heat-tune", mixinStandardHelpOptions = true,
        description = {"Over N simulated pads drawn within ±spread on heater gain, time constants and coupling: heat-tune "
                + "each, then a 60-minute heated session with its model and PID (false trips, overshoot, settling), then "
                + "stuck-on heater, detached pad, skin drift −2 °C and pad drift ±2 °C at a random moment (detection "
                + "times), against the same faults on the nominal pad with the nominal model. Figures: docs/benchmarks.md.",
                "Exit 1 (no figures) when a session did not heat: the figures would not be about heat."})
final class HeatTuneBenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--pads", paramLabel = "N", defaultValue = "1000", description = "pads (default ${DEFAULT-VALUE})")
    int pads;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--spread", paramLabel = "F", defaultValue = "0.25", description = "relative spread of each scale (default ${DEFAULT-VALUE})")
    double spread;

    @Option(names = "--baseline-runs", paramLabel = "N", defaultValue = "200",
            description = "injections per fault on the nominal pad (default ${DEFAULT-VALUE})")
    int baselineRuns;

    @Option(names = "--ambient", paramLabel = "C",
            description = "every pad, and the nominal pad it is compared with, in a room at C °C (default: each pad in a room drawn 18–28 °C, the nominal pad at 22 °C)")
    Double ambientCelsius;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2", description = "worker threads (default ${DEFAULT-VALUE})")
    int threads;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        HeatTuneBench.Summary s = HeatTuneBench.run(pads, seed, spread, baselineRuns, threads,
                ambientCelsius == null ? Double.NaN : ambientCelsius);
        if (s.notHeating() > 0 || s.identified() == 0) {
            o.println("no figures: " + s.notHeating() + " session(s) never heated / " + s.identified() + " pads identified");
            s.problems().stream().limit(20).forEach(p -> o.println("  " + p));
            o.flush();
            return 1;
        }
        o.printf("bench heat-tune --pads %d --seed %d --spread %s --baseline-runs %d%s (%.0f s wall, %d threads)%n", pads, seed,
                spread, baselineRuns, ambientCelsius == null ? "" : " --ambient " + ambientCelsius,
                (System.nanoTime() - t0) / 1e9, threads);
        HeatTuneBench.print(s, o, Limits.defaults().skinCeilingCelsius());
        return 0;
    }
}
