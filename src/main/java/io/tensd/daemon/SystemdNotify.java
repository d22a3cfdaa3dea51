package io.tensd.daemon;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sd_notify protocol through systemd's own {@code systemd-notify} (Java 17 cannot send AF_UNIX datagrams;
 * config/tensd.service explains why and why NotifyAccess=all). Nothing is sent when {@code NOTIFY_SOCKET} is
 * unset (run by hand).
 *
 * <p>The watchdog thread proves the control loop, not the JVM: every WatchdogSec/3 (from {@code WATCHDOG_USEC};
 * 3 s if systemd did not say) it reads the loop's iteration count and sends {@code WATCHDOG=1} only if the count
 * moves within one second. A stalled loop therefore stops the pings and systemd restarts the daemon. The loop
 * thread itself never sends, spawns or waits for anything here.
 */
public final class SystemdNotify implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SystemdNotify.class);
    static final long LOOP_PROOF_NANOS = 1_000_000_000L;

    /** How a message reaches systemd; tests record it instead. */
    @FunctionalInterface
    public interface Sender {
        /** Returns true when the message was delivered. */
        boolean send(List<String> args);
    }

    private final boolean enabled;
    private final long watchdogPeriodMillis;
    private final Sender sender;
    private volatile boolean running;
    private volatile long pings;
    private volatile long withheld;
    private Thread watchdog;

    SystemdNotify(Map<String, String> env, Sender sender) {
        this.enabled = env.get("NOTIFY_SOCKET") != null && !env.get("NOTIFY_SOCKET").isBlank();
        long usec = parseLong(env.get("WATCHDOG_USEC"), 0);
        this.watchdogPeriodMillis = usec > 0 ? Math.max(200, usec / 3_000) : 3_000;
        this.sender = sender;
    }

    /** From the process environment, sending with {@code systemd-notify}. */
    public static SystemdNotify fromEnvironment() {
        return new SystemdNotify(System.getenv(), SystemdNotify::runSystemdNotify);
    }

    public boolean enabled() { return enabled; }

    public long watchdogPeriodMillis() { return watchdogPeriodMillis; }

    /** READY=1 with a status line ({@code systemctl status} shows it). */
    public void ready(String status) {
        if (enabled) {
            sender.send(List.of("--ready", "--status=" + status));
        }
    }

    public void status(String status) {
        if (enabled) {
            sender.send(List.of("--status=" + status));
        }
    }

    public void stopping(String status) {
        if (enabled) {
            sender.send(List.of("--stopping", "--status=" + status));
        }
    }

    /** Starts the watchdog thread (only when systemd listens); {@code loopIterations} is read, never written. */
    public synchronized void startWatchdog(LongSupplier loopIterations) {
        if (!enabled || running) {
            return;
        }
        running = true;
        watchdog = new Thread(() -> watch(loopIterations), "tensd-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private void watch(LongSupplier loopIterations) {
        boolean stalledLogged = false;
        while (running) {
            long before = loopIterations.getAsLong();
            long end = System.nanoTime() + LOOP_PROOF_NANOS;
            boolean ticked = false;
            while (running && System.nanoTime() < end) {
                if (loopIterations.getAsLong() != before) {
                    ticked = true;
                    break;
                }
                sleep(20);
            }
            if (!running) {
                return;
            }
            if (ticked) {
                sender.send(List.of("WATCHDOG=1"));
                pings++;
                stalledLogged = false;
            } else {
                withheld++;
                if (!stalledLogged) {
                    log.error("control loop has not ticked for 1 s: not petting the systemd watchdog (systemd restarts "
                            + "the daemon; the stimulator board has already cut its output)");
                    stalledLogged = true;
                }
            }
            sleep(watchdogPeriodMillis);
        }
    }

    long pings() { return pings; }

    long withheld() { return withheld; }

    @Override
    public synchronized void close() {
        running = false;
        if (watchdog != null) {
            watchdog.interrupt();
            try {
                watchdog.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            watchdog = null;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long parseLong(String s, long fallback) {
        try {
            return s == null ? fallback : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    static boolean runSystemdNotify(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("systemd-notify");
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                log.warn("systemd-notify {} did not finish within 5 s", String.join(" ", args));
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            log.warn("cannot run systemd-notify ({}): systemd will not see the daemon as ready", e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
