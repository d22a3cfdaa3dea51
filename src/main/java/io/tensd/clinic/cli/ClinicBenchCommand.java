package io.tensd.clinic.cli;

import io.tensd.cli.UserError;
import io.tensd.clinic.bench.ClinicBench;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tensd bench clinic}: the clinic figures of docs/benchmarks.md (needs Debian's mosquitto). */
@Command(name = "clinic", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Devices → mosquitto → tensd clinic → PostgreSQL: the acceptance run (N devices, two collector JVMs,",
                "two broker restarts, one kill -9), stored events/s with 1, 2 and 4 collectors, and a 24 h backlog replay."})
public final class ClinicBenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--devices", defaultValue = "50", description = "devices in the acceptance run (default ${DEFAULT-VALUE})")
    int devices;

    @Option(names = "--minutes", defaultValue = "10", description = "session minutes per device (default ${DEFAULT-VALUE})")
    long minutes;

    @Option(names = "--speed", defaultValue = "1", description = "play sessions this many times faster than real time (default ${DEFAULT-VALUE})")
    double speed;

    @Option(names = "--events", defaultValue = "20000", description = "events per throughput run (default ${DEFAULT-VALUE})")
    int events;

    @Option(names = "--only", paramLabel = "PART", description = "acceptance, throughput or backlog (default: all three)")
    String only;

    @Option(names = "--db", paramLabel = "JDBC_URL", description = "a PostgreSQL server to create the bench databases in (default: embedded)")
    String db;

    @Option(names = "--work", paramLabel = "DIR", description = "working folder (default: a new temporary folder)")
    Path work;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (devices < 1 || minutes < 1 || !(speed > 0) || events < 100) {
            throw new UserError("--devices ≥ 1, --minutes ≥ 1, --speed > 0, --events ≥ 100", null, 2, null);
        }
        if (only != null && !only.matches("acceptance|throughput|backlog")) {
            throw new UserError("--only " + only + ": acceptance, throughput or backlog", null, 2, null);
        }
        Path dir = work != null ? work : Files.createTempDirectory("tensd-bench-clinic-");
        out.println("tensd bench clinic: work folder " + dir + ", " + Runtime.getRuntime().availableProcessors() + " CPUs");
        int exit = 0;
        try (ClinicBench bench = new ClinicBench(dir, db, out)) {
            if (only == null || only.equals("acceptance")) {
                out.printf("acceptance: %d devices × one %d-minute session (speed %.1f×), 2 collector JVMs, 2 broker restarts, 1 kill -9%n",
                        devices, minutes, speed);
                out.flush();
                ClinicBench.AcceptanceResult r = bench.acceptance(devices, minutes, speed);
                out.printf("  journaled %d events, stored %d (exactly once: %s), sessions %d stored / %d complete, open gaps %d%n",
                        r.journaled(), r.stored(), r.journaled() == r.stored(), r.sessionsStored(), r.sessionsComplete(), r.openGaps());
                out.printf("  gap repair: %d resend requests, %d answered by the devices, %d entries published again%n",
                        r.resendRequests(), r.resendAnswers(), r.eventsResent());
                r.problems().forEach(p -> out.println("  PROBLEM: " + p));
                if (r.ok()) {
                    out.printf("  publish → row committed (live events, n=%d): p50 %.1f ms, p99 %.1f ms%n", r.liveEvents(), r.p50Ms(), r.p99Ms());
                    out.printf("  fleet cost per device (devices' JVM): CPU %.2f %%, heap %.2f MB%n", r.cpuPercentPerDevice(), r.heapMbPerDevice());
                    out.printf("  rows per session %.1f, bytes per event row (table + indexes) %.0f%n", r.rowsPerSession(), r.bytesPerEventRow());
                } else {
                    out.println("  FAILED: no figures printed for a run that lost or duplicated data");
                    exit = 1;
                }
                out.flush();
            }
            if (only == null || only.equals("throughput")) {
                for (int n : new int[] {1, 2, 4}) {
                    ClinicBench.ThroughputResult t = bench.throughput(n, events);
                    if (t.events() < (events / 20) * 20L) {
                        out.printf("throughput %d collector(s): only %d of %d stored: no figure%n", n, t.events(), events);
                        exit = 1;
                        continue;
                    }
                    out.printf("throughput %d collector(s): %d events in %.2f s = %.0f events/s (%.0f per collector), p50 %.0f ms p99 %.0f ms%n",
                            n, t.events(), t.seconds(), t.eventsPerSecond(), t.perCollector(), t.p50Ms(), t.p99Ms());
                    out.flush();
                }
            }
            if (only == null || only.equals("backlog")) {
                ClinicBench.BacklogResult b = bench.backlog();
                out.printf("24 h backlog of one device (16 × 30-minute sessions, %d events, %d sessions): stored in %.2f s = %.0f events/s; "
                        + "%d bytes (events + sessions, with indexes) for the day%n", b.events(), b.sessions(), b.seconds(),
                        b.eventsPerSecond(), b.bytesPerDayRows());
            }
        }
        return exit;
    }
}
