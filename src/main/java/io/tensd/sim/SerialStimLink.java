package io.tensd.sim;

import io.tensd.hw.Stimulator;
import io.tensd.loop.Clock;
import io.tensd.stim.BoardLogic;
import io.tensd.stim.SerialStimulator;
import io.tensd.stim.StimBoardEmulator;
import io.tensd.stim.StimLinkConfig;
import io.tensd.stim.StimLinkCounters;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The stimulator link of a simulated run through the real serial stack: {@link SerialStimulator} (the
 * daemon's own host side, jSerialComm) on one end and, with {@link #emulated}, a {@link StimBoardEmulator}
 * running the SimDevice's {@link BoardLogic} behind socat ptys on the other, so the scenario's board and
 * electrode injections still act on the board the frames reach. With {@link #port} the far end is a real
 * board or an external {@code tensd board-emulator}.
 *
 * <p>Both ends take time from the runner's clock, so the runner must pace virtual time at real time:
 * the link's threads, the pty and the board's lease all live in real time.
 */
public final class SerialStimLink implements StimLink {
    /** How long {@link Factory#open} waits for HELLO_ACK before giving up. */
    public static final long CONNECT_TIMEOUT_MILLIS = 5_000;
    /** A fresh host link is started this often while waiting (the clock is frozen until the run starts). */
    private static final long RETRY_MILLIS = 1_000;
    /**
     * Real time {@link #sync} may wait in one outage: absorbs a starved thread or socat on a busy machine, and
     * costs a muted or unplugged board only this much wall time before the run goes on without waiting.
     */
    static final long SYNC_BUDGET_NANOS = 200_000_000L;
    /**
     * Real time {@link #sync} may wait for the link to come back after the cable is plugged in: socat's restart,
     * the host's poll for the path (100 ms), HELLO. The in-process board reconnects at once; without this wait the
     * reconnect's wall time (20-220 ms, in 100 ms steps of the host's poll) was added to the virtual time of
     * everything the board reported after it.
     */
    static final long PLUG_IN_BUDGET_NANOS = 1_000_000_000L;

    /** Opening the link failed; the message says where and why. */
    public static final class LinkException extends RuntimeException {
        public LinkException(String message, Throwable cause) { super(message, cause); }
    }

    private final SerialBridge bridge;
    private final StimBoardEmulator emulator;
    private final StimLinkConfig config;
    private final Clock clock;
    private final ExecutorService cable;
    private volatile SerialStimulator host;
    private volatile boolean unplugged;
    private int hostStarts;
    private final BoardLogic board;
    private final int leaseMillis;
    private long syncBudgetNanos = SYNC_BUDGET_NANOS;
    private long syncWaits;
    private long syncWaitNanos;
    private long syncGiveUps;

    private SerialStimLink(SerialBridge bridge, StimBoardEmulator emulator, StimLinkConfig config, Clock clock,
                           BoardLogic board) {
        this.bridge = bridge;
        this.board = board;
        this.leaseMillis = config.leaseMillis();
        this.emulator = emulator;
        this.config = config;
        this.clock = clock;
        this.cable = bridge == null ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "stim-cable");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * socat ptys in {@code dir} (which must exist), the board emulator on {@code dir/board}, the host link on
     * {@code dir/host}. {@code seed} seeds the emulator's frame damage ({@code corrupt} injections).
     */
    public static StimLink.Factory emulated(Path dir, long seed) {
        return emulated(dir, seed, io.tensd.stim.BoardEndpoint.MAX_VERSION);
    }

    /** As {@link #emulated(Path, long)}, with a board that speaks protocol versions up to {@code boardMaxVersion}. */
    public static StimLink.Factory emulated(Path dir, long seed, int boardMaxVersion) {
        return (board, clock, leaseMillis) -> {
            SerialBridge bridge;
            try {
                bridge = SerialBridge.start(dir);
            } catch (SerialBridge.SocatMissingException e) {
                throw new LinkException(e.getMessage(), e);
            } catch (IOException e) {
                throw new LinkException("cannot start socat: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LinkException("interrupted while starting socat", e);
            }
            StimBoardEmulator emulator = new StimBoardEmulator(bridge.board.toString(), board, clock, seed,
                    io.tensd.stim.BoardEndpoint.DEFAULT_STATUS_PERIOD_MILLIS, boardMaxVersion).start();
            SerialStimLink link = new SerialStimLink(bridge, emulator,
                    StimLinkConfig.defaults(bridge.host.toString(), leaseMillis), clock, board);
            link.connect();
            return link;
        };
    }

    /** The host link on {@code portPath}: a real board's UART or an external {@code tensd board-emulator}. */
    public static StimLink.Factory port(String portPath) {
        return (board, clock, leaseMillis) -> {
            SerialStimLink link = new SerialStimLink(null, null, StimLinkConfig.defaults(portPath, leaseMillis), clock, null);
            link.connect();
            return link;
        };
    }

    /**
     * Starts the host side and waits for the HELLO handshake. The runner's clock stands still until the run
     * starts, so a HELLO lost before the board listened would never be repeated: a fresh host link is
     * started each second instead.
     */
    private void connect() {
        long deadline = System.nanoTime() + CONNECT_TIMEOUT_MILLIS * 1_000_000L;
        while (true) {
            SerialStimulator h = new SerialStimulator(config, clock).start();
            hostStarts++;
            long retryAt = System.nanoTime() + RETRY_MILLIS * 1_000_000L;
            while (System.nanoTime() < Math.min(retryAt, deadline)) {
                if (h.linkUp()) {
                    host = h;
                    return;
                }
                sleep(5);
            }
            h.close();
            if (System.nanoTime() >= deadline) {
                close();
                throw new LinkException("no stimulator board answered HELLO on " + config.portPath() + " within "
                        + CONNECT_TIMEOUT_MILLIS + " ms", null);
            }
        }
    }

    @Override
    public Stimulator host() { return host; }

    /**
     * Waits until the link has caught up with {@code virtualNowNanos}: the host has a STATUS frame stamped at
     * that time (the board saw the time, sent its frame, socat relayed it, stim-rx read it) and, with the
     * emulated board, the board's lease was renewed within the last half lease (stim-tx is not behind). Waits at
     * most {@link #SYNC_BUDGET_NANOS} per outage; once spent, the run goes on without waiting until the link is
     * caught up again, so a muted board costs that much wall time, not a wait every tick. Only real time is
     * spent: virtual time, in which every timestamp and lease is measured, stands still meanwhile.
     */
    @Override
    public void sync(long virtualNowNanos) {
        SerialStimulator h = host;
        if (caughtUp(h, virtualNowNanos)) {
            syncBudgetNanos = SYNC_BUDGET_NANOS;
            return;
        }
        if (syncBudgetNanos <= 0) {
            return;
        }
        long start = System.nanoTime();
        syncWaits++;
        boolean ok;
        do {
            java.util.concurrent.locks.LockSupport.parkNanos(200_000L);
            ok = caughtUp(h, virtualNowNanos);
        } while (!ok && System.nanoTime() - start < syncBudgetNanos);
        long waited = System.nanoTime() - start;
        syncWaitNanos += waited;
        if (ok) {
            syncBudgetNanos = SYNC_BUDGET_NANOS;
        } else {
            syncBudgetNanos = 0;
            syncGiveUps++;
        }
    }

    private boolean caughtUp(SerialStimulator h, long virtualNowNanos) {
        if (h.latest().receivedAtNanos() < virtualNowNanos) {
            return false;
        }
        if (board == null) {
            return true;
        }
        int remaining = board.leaseRemainingMillis(virtualNowNanos);
        return remaining == 0 || remaining > leaseMillis / 2;
    }

    /** The daemon's host link itself (counters, negotiated board). */
    public SerialStimulator serialStimulator() { return host; }

    /** The emulated board, or null when the far end is external. */
    public StimBoardEmulator emulator() { return emulator; }

    public String portPath() { return config.portPath(); }

    @Override
    public boolean boardIsSimulated() { return emulator != null; }

    @Override
    public String inject(String value, double amount) {
        if (emulator == null) {
            return "stimulator: " + value + " needs the built-in board emulator (--serial), not an external port; skipped";
        }
        switch (value) {
            case "disconnect" -> unplug();
            case "mute" -> emulator.mute(true);
            case "corrupt" -> emulator.corrupt(amount);
            case "reset" -> emulator.reset();
            default -> {
                emulator.mute(false);
                emulator.corrupt(0);
                plugIn();
            }
        }
        return null;
    }

    /**
     * Pulls the cable: the emulator closes its end and socat is stopped, so both ptys vanish as a USB-serial
     * adapter does. Done on the cable thread, because stopping a process must not hold up the runner.
     */
    private void unplug() {
        if (unplugged) {
            return;
        }
        unplugged = true;
        emulator.disconnect();
        cable.execute(() -> {
            try {
                bridge.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Plugs the cable back in at the same paths; both ends find their port again by polling. */
    private void plugIn() {
        if (!unplugged) {
            return;
        }
        unplugged = false;
        syncBudgetNanos = PLUG_IN_BUDGET_NANOS; // called on the runner's thread, as sync is
        cable.execute(() -> {
            try {
                bridge.restart();
                emulator.reconnect();
            } catch (IOException e) {
                org.slf4j.LoggerFactory.getLogger(SerialStimLink.class).error("cannot restart socat: {}", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    public StimLinkCounters counters() { return host == null ? null : host.counters(); }

    @Override
    public String summary(long virtualMillis) {
        StimLinkCounters c = counters();
        if (c == null) {
            return "serial link to " + config.portPath() + ": not connected";
        }
        double seconds = Math.max(1e-3, virtualMillis / 1000.0);
        StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT,
                "serial link %s: %d status frames (%.1f/s), %d setpoints, %d heartbeats, %d resends, %d NACKs (last %s),"
                        + " %d CRC errors, %d malformed, %d reconnects, %d coalesced ticks",
                config.portPath(), c.statusFrames(), c.statusFrames() / seconds, c.setpointsSent(), c.heartbeatsSent(),
                c.resends(), c.nacks(), c.lastNack(), c.crcErrors(), c.malformedFrames(), c.reconnects(), c.ticksCoalesced()));
        if (emulator != null) {
            sb.append(String.format(java.util.Locale.ROOT, "; emulator sent %d frames (%d damaged), received %d bad CRCs",
                    emulator.framesSent(), emulator.framesCorrupted(), emulator.crcErrors()));
        }
        if (syncWaits > 0) {
            sb.append(String.format(java.util.Locale.ROOT, "; waited for the link %d time(s), %.1f ms in all, %d outage(s) "
                    + "outlasted the %d ms budget", syncWaits, syncWaitNanos / 1e6, syncGiveUps, SYNC_BUDGET_NANOS / 1_000_000));
        }
        if (hostStarts > 1) {
            sb.append("; HELLO took ").append(hostStarts).append(" host-link starts");
        }
        return sb.toString();
    }

    @Override
    public void close() {
        SerialStimulator h = host;
        if (h != null) {
            h.close();
        }
        if (emulator != null) {
            emulator.close();
        }
        if (cable != null) {
            cable.shutdown();
            try {
                cable.awaitTermination(5, TimeUnit.SECONDS);
                bridge.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LinkException("interrupted while waiting for the stimulator board", e);
        }
    }
}
