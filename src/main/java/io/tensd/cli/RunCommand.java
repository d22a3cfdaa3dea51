package io.tensd.cli;

import io.tensd.config.ConfigException;
import io.tensd.config.LoadedConfig;
import io.tensd.daemon.Daemon;
import io.tensd.daemon.DaemonException;
import io.tensd.daemon.ExitCodes;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tensd run}: the device daemon (what the systemd unit starts). Runs until SIGTERM or Ctrl-C, then
 * ends a running session with the outputs at zero, publishes what it can and exits 0.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the device daemon: control loop, hardware, journal, session records and MQTT.",
                "Stops on SIGTERM or Ctrl-C: a running session ends with the outputs at 0 and its summary is journaled.",
                "Logs go to standard error, one line per event, without timestamps (journald adds them)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:stopped by SIGTERM or Ctrl-C",
                "1:unexpected internal error (report it with the log)",
                "2:bad configuration or options (FILE:LINE: messages on standard error)",
                "3:hardware missing at start (serial port, I2C part, GPIO): run `tensd hw-check`",
                "4:the journal directory cannot be written"})
public final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = "--config", paramLabel = "FILE",
            description = "device file (default: /etc/tensd/tensd.yaml if it exists, else config/tensd.yaml)")
    Path configFile;

    @Option(names = "--limits", paramLabel = "FILE", description = "limits file (default: limits.yaml beside the device file)")
    Path limitsFile;

    @Option(names = "--hardware", paramLabel = "pi|sim", defaultValue = "pi",
            description = "pi (default): the real device. sim: a simulated device for tests and demonstrations only, "
                    + "it drives nothing; never use it with a patient")
    String hardware;

    @Option(names = "--debug", description = "print stack traces of errors (read by the error handler; also TENSD_DEBUG=1)")
    boolean debug;

    @Override
    public Integer call() throws ConfigException {
        Daemon.Hardware mode = switch (hardware) {
            case "pi" -> Daemon.Hardware.PI;
            case "sim" -> Daemon.Hardware.SIM;
            default -> throw new UserError("--hardware must be pi or sim, got '" + hardware + "'", null, ExitCodes.CONFIG, null);
        };
        LoadedConfig cfg = CliConfig.required(configFile, limitsFile); // ConfigException: FILE:LINE lines, exit 2

        AtomicReference<Daemon> running = new AtomicReference<>();
        StopSignals signals = StopSignals.install(() -> {
            Daemon d = running.get();
            if (d != null) {
                d.stop();
            }
        });
        Daemon daemon;
        try {
            daemon = Daemon.start(Daemon.Options.of(cfg, mode));
        } catch (DaemonException e) {
            signals.uninstall();
            throw new UserError(e.getMessage(), e.hint(), e.exitCode(), e.getCause() != null ? e.getCause() : e);
        }
        running.set(daemon);
        if (signals.requested()) { // a signal during start-up
            daemon.stop();
        }
        try {
            daemon.awaitStopped();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            daemon.stop();
        }
        signals.uninstall();
        return ExitCodes.OK;
    }

    /**
     * SIGTERM and SIGINT handled by the daemon itself, so an orderly stop exits 0 (a JVM ended by the default
     * handler exits 143, which systemd reports as a failure). The stop runs on its own thread; a shutdown hook
     * covers other ways out of the JVM and waits for a stop already running.
     */
    static final class StopSignals {
        private final Runnable stop;
        private final Thread hook;
        private volatile boolean requested;
        private Thread stopper;

        private StopSignals(Runnable stop) {
            this.stop = stop;
            this.hook = new Thread(this::stopAndWait, "tensd-shutdown-hook");
        }

        static StopSignals install(Runnable stop) {
            StopSignals s = new StopSignals(stop);
            for (String name : new String[] {"TERM", "INT"}) {
                try {
                    sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> s.onSignal(sig.getName()));
                } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
                    log.warn("cannot handle SIG{} ({}): the shutdown hook stops the daemon instead", name, e.getMessage());
                }
            }
            Runtime.getRuntime().addShutdownHook(s.hook);
            return s;
        }

        private synchronized void onSignal(String name) {
            if (requested) {
                return;
            }
            requested = true;
            log.info("SIG{} received", name);
            stopper = new Thread(stop, "tensd-stop");
            stopper.start();
        }

        private void stopAndWait() {
            stop.run(); // idempotent: waits for nothing when already stopped
        }

        boolean requested() { return requested; }

        void uninstall() {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
        }
    }
}
