package io.tensd.cli;

import io.tensd.bench.FaultBench;
import io.tensd.bench.Footprint;
import io.tensd.bench.LoopBench;
import io.tensd.bench.SimBench;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;
import io.tensd.bench.MachineInfo;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tensd bench}: programs that print figures (docs/benchmarks.md says how each was run). They are
 * measurements, not pass/fail tests: each prints the machine it ran on and its numbers.
 * Also runnable before registration in Main: {@code java -cp target/tensd.jar io.tensd.cli.BenchCommand loop}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure the control loop, fault reaction, simulation speed and footprint (figures only).",
                "See docs/benchmarks.md for the figures on the reference machine and how to reproduce them."},
        subcommands = {BenchCommand.Loop.class, BenchCommand.Faults.class, BenchCommand.Sim.class, BenchCommand.Footprint.class,
                HeatTuneBenchCommand.class, BenchCommand.StimFuzzBench.class, BenchCommand.StimBurstBench.class,
                CommandLine.HelpCommand.class})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new BenchCommand());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        System.exit(cl.execute(args));
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** A bench whose session was not live prints no figure: one line saying why, exit 1. */
    static <T> T refuseUnlessLive(java.util.function.Supplier<T> bench) {
        try {
            return bench.get();
        } catch (io.tensd.bench.LiveSession.NotLive e) {
            throw new UserError("refused: " + e.getMessage(), "a figure of an idle or faulted device measures something else", 1, e);
        }
    }

    static void requireRange(String what, double v, double min, double max) {
        if (!(v >= min && v <= max)) {
            throw new UserError(what + " must be between " + min + " and " + max + ", got " + v, null, 2, null);
        }
    }

    /**
     * {@code --rate} of the benches on the real loop (loop, faults): one option, so their help and default cannot drift
     * apart. sim's {@code --rate} (the simulation's rate) has its own help and stays its own.
     */
    static final class LoopRate {
        @Option(names = "--rate", paramLabel = "HZ", defaultValue = "100", description = "loop rate: 100 or 1000 (default ${DEFAULT-VALUE})")
        int hz;
    }

    /**
     * {@code --seed} of the stimulator-board benches (stim-fuzz, stim-burst); the field name gives the help's
     * {@code <seed>} label. The other benches' seeds differ in default or help and stay their own.
     */
    static final class StimSeed {
        @Option(names = "--seed", defaultValue = "17", description = "seed (default ${DEFAULT-VALUE})")
        long seed;
    }

    @Command(name = "loop", mixinStandardHelpOptions = true,
            description = {"Run the real control loop on the real clock with the simulated hardware and a session running;",
                    "print wake-up latency percentiles, overruns, bytes allocated per iteration, GC and loop-thread CPU."})
    static final class Loop implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        LoopRate rate;

        @Option(names = "--seconds", paramLabel = "N", defaultValue = "30", description = "measured seconds after warm-up (default ${DEFAULT-VALUE})")
        double seconds;

        @Option(names = "--warmup", paramLabel = "N", defaultValue = "15", description = "warm-up seconds, excluded from every figure (default ${DEFAULT-VALUE})")
        double warmup;

        @Option(names = "--spin-us", paramLabel = "US", defaultValue = "-1",
                description = "spin this long before each deadline instead of parking (default: the loop's own, min(200 us, period/4))")
        long spinMicros;

        @Option(names = "--fifo", paramLabel = "PRIO", defaultValue = "0",
                description = "give the loop thread SCHED_FIFO at this priority (chrt; needs CAP_SYS_NICE). 0: leave SCHED_OTHER")
        int fifo;

        @Option(names = "--cpu", paramLabel = "LIST", description = "pin the loop thread to these CPUs (taskset list, e.g. 1)")
        String cpus;

        @Option(names = "--timer-slack-ns", paramLabel = "NS", defaultValue = "-1",
                description = "set the loop thread's timer slack (what systemd TimerSlackNSec= does). Default: kernel's 50000")
        long timerSlack;

        @Option(names = "--seed", defaultValue = "1", description = "simulator seed")
        long seed;

        @Option(names = "--prewarm", paramLabel = "N", defaultValue = "5",
                description = "JIT warm-up first: N one-minute sessions at 1 kHz in virtual time on a throwaway controller (0: none; default ${DEFAULT-VALUE})")
        int prewarm;

        @Override
        public Integer call() {
            int rateHz = rate.hz;
            if (rateHz != 100 && rateHz != 1000) {
                throw new UserError("--rate must be 100 or 1000, got " + rateHz, "the loop supports 100 Hz and 1 kHz", 2, null);
            }
            requireRange("--seconds", seconds, 0.1, 86_400);
            requireRange("--warmup", warmup, 0, 3_600);
            PrintWriter out = spec.commandLine().getOut();
            out.println(MachineInfo.describe());
            out.flush();
            LoopBench.Result r = refuseUnlessLive(() -> LoopBench.run(new LoopBench.Options(rateHz, seconds, warmup,
                    spinMicros < 0 ? -1 : spinMicros * 1000, fifo, cpus, timerSlack, seed, prewarm)));
            if (prewarm > 0) {
                out.println("JIT prewarm: " + prewarm + " virtual sessions in " + r.prewarmMs() + " ms");
            }
            r.tuning().forEach(t -> out.println("loop thread: " + t));
            out.println("loop thread settings: " + r.threadSettings());
            out.println("session state at the end: " + r.sessionState() + " (stimulating and heating on every tick of the window)");
            r.events().forEach(e -> out.printf("  event %.3f s %s %s%n", e.atNanos() / 1e9, e.type(), e.data()));
            out.println(r.row());
            out.println(r.machineRow());
            return 0;
        }
    }

    static String pct(Histogram h) {
        return String.format("p50 %8.3f  p99 %8.3f  p99.9 %8.3f  max %8.3f ms (n=%d)", h.getValueAtPercentile(50) / 1e6,
                h.getValueAtPercentile(99) / 1e6, h.getValueAtPercentile(99.9) / 1e6, h.getMaxValue() / 1e6, h.getTotalCount());
    }

    @Command(name = "faults", mixinStandardHelpOptions = true,
            description = {"Fault reaction on the real clock: inject faults through the simulated hardware at random phases;",
                    "print injection -> outputs safe and detection -> safe percentiles per fault and over all."})
    static final class Faults implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        LoopRate rate;

        @Option(names = "--trials", paramLabel = "N", defaultValue = "200", description = "trials per fault kind (default ${DEFAULT-VALUE})")
        int trials;

        @Option(names = "--fifo", paramLabel = "PRIO", defaultValue = "0", description = "SCHED_FIFO for the loop (and PRIO-1 for the hardware thread)")
        int fifo;

        @Option(names = "--seed", defaultValue = "1", description = "random seed for the injection times")
        long seed;

        @Override
        public Integer call() {
            int rateHz = rate.hz;
            if (rateHz != 100 && rateHz != 1000) {
                throw new UserError("--rate must be 100 or 1000, got " + rateHz, null, 2, null);
            }
            requireRange("--trials", trials, 1, 100_000);
            PrintWriter out = spec.commandLine().getOut();
            out.println(MachineInfo.describe());
            out.flush();
            FaultBench.Result r = refuseUnlessLive(() -> FaultBench.run(rateHz, trials, seed, fifo, line -> {
                out.println(line);
                out.flush();
            }));
            out.printf("loop %d Hz (period %.1f ms)%n", rateHz, 1000.0 / rateHz);
            for (FaultBench.KindResult k : r.kinds()) {
                out.printf("%-24s injection->safe %s%n", k.name(), pct(k.injectToSafeNanos()));
                out.printf("%-24s detection->safe %s%s%n", "", pct(k.detectToSafeNanos()), k.missed() > 0 ? "  MISSED " + k.missed() : "");
            }
            out.printf("%-24s injection->safe %s%n", "all", pct(r.allInjectToSafe()));
            out.printf("%-24s detection->safe %s%n", "", pct(r.allDetectToSafe()));
            double p999 = r.allDetectToSafe().getValueAtPercentile(99.9) / 1e6;
            out.printf("RESULT faults rate_hz=%d detect_to_safe_p999_ms=%.3f period_ms=%.1f within_one_period=%s%n", rateHz, p999,
                    1000.0 / rateHz, p999 <= 1000.0 / rateHz);
            return 0;
        }
    }

    @Command(name = "sim", mixinStandardHelpOptions = true,
            description = {"Simulation speed: virtual session-minutes per wall-second for a scenario run in virtual time",
                    "(default: a 60-minute session with heat)."})
    static final class Sim implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--scenario", paramLabel = "FILE", description = "scenario YAML (default: built-in 60-minute session with heat)")
        Path scenario;

        @Option(names = "--runs", paramLabel = "N", defaultValue = "5", description = "repetitions; the first is reported apart as cold (default ${DEFAULT-VALUE})")
        int runs;

        @Option(names = "--rate", paramLabel = "HZ", defaultValue = "100", description = "loop rate in the simulation (default ${DEFAULT-VALUE})")
        int rateHz;

        @Override
        public Integer call() throws Exception {
            requireRange("--runs", runs, 1, 1000);
            PrintWriter out = spec.commandLine().getOut();
            out.println(MachineInfo.describe());
            var sc = scenario == null ? SimBench.defaultScenario() : io.tensd.sim.scenario.ScenarioParser.parse(scenario);
            SimBench.Result r = refuseUnlessLive(() -> SimBench.run(sc, runs, rateHz));
            out.print(r.table());
            out.println(r.machineRow());
            return 0;
        }
    }

    @Command(name = "footprint", mixinStandardHelpOptions = true,
            description = {"Start-up time to safe outputs and to the first tick, then RSS and heap after GC through a full",
                    "session (virtual time). Run it under the heap you deploy with: scripts/footprint.sh uses -Xmx32m."})
    static final class Footprint implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--minutes", paramLabel = "N", defaultValue = "60", description = "session length (default ${DEFAULT-VALUE})")
        int minutes;

        @Override
        public Integer call() {
            requireRange("--minutes", minutes, 1, 60);
            PrintWriter out = spec.commandLine().getOut();
            io.tensd.bench.Footprint.Result r = io.tensd.bench.Footprint.run(minutes);
            out.println(MachineInfo.describe());
            out.print(r.text());
            out.flush();
            return 0;
        }
    }

    @Command(name = "stim-fuzz", mixinStandardHelpOptions = true,
            description = {"Fuzz the reference stimulator board through its wire protocol (every message, both versions,",
                    "damaged frames and garbage) and check its rules after every frame; print the counts."})
    static final class StimFuzzBench implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--frames", paramLabel = "N", defaultValue = "200000", description = "frames to send (default ${DEFAULT-VALUE})")
        int frames;

        @Mixin
        StimSeed stimSeed;

        @Override
        public Integer call() {
            requireRange("--frames", frames, 1_000, 100_000_000);
            PrintWriter out = spec.commandLine().getOut();
            long t0 = System.nanoTime();
            io.tensd.stim.StimFuzz.Result r = io.tensd.stim.StimFuzz.run(stimSeed.seed, frames);
            out.print(r.text());
            out.printf(java.util.Locale.ROOT, "  %.1f s wall%n", (System.nanoTime() - t0) / 1e9);
            out.flush();
            return r.violations() == 0 && r.sinkFailures() == 0 && r.boardFrameErrors() == 0 && r.damagedAccepted() == 0 ? 0 : 1;
        }
    }

    @Command(name = "stim-burst", mixinStandardHelpOptions = true,
            description = {"A burst session (2 trains/s of 8 pulses at 80 Hz) driven by the real loop through the real serial",
                    "stack (socat ptys) to the emulated board, v2 (board-timed) and v1 (host-gated); print the train-edge",
                    "errors from the board's pulse timeline and when the board cut after the loop stopped. Needs socat."})
    static final class StimBurstBench implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--seconds", defaultValue = "30", description = "stimulating window per board (default ${DEFAULT-VALUE})")
        int seconds;

        @Mixin
        StimSeed stimSeed;

        @Override
        public Integer call() throws java.io.IOException {
            requireRange("--seconds", seconds, 5, 3_600);
            PrintWriter out = spec.commandLine().getOut();
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("tensd-stim-burst");
            for (int version : new int[]{2, 1}) {
                java.nio.file.Path d = java.nio.file.Files.createDirectories(dir.resolve("v" + version));
                io.tensd.bench.BurstEdgeRig.Result r = io.tensd.bench.BurstEdgeRig.run(d, version, seconds * 1000L, stimSeed.seed);
                // the precondition of every figure: the session stimulated, fault-free, on every tick of the window
                refuseUnlessLive(() -> {
                    if (!r.live() || r.trains().isEmpty()) {
                        throw new io.tensd.bench.LiveSession.NotLive("stim-burst v" + version + ": the session was not"
                                + " stimulating throughout (" + r.badTicks() + " ticks off, faults "
                                + (r.faults() == 0 ? "none" : io.tensd.safety.FaultCode.join(r.faults(), ",")) + "; "
                                + r.describe() + "): no figure");
                    }
                    return r;
                });
                out.println(r.describe());
                out.flush();
            }
            return 0;
        }
    }
}
