package io.tensd.stim;

import io.tensd.loop.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Random;

/**
 * The stimulator board on a serial port (a pty in tests, or a USB-serial adapter wired to a Pi for a
 * bench run): {@link BoardLogic} behind {@link BoardEndpoint}, on its own thread, stepped on the real
 * clock every couple of milliseconds. Injections let tests break the board the ways real boards break.
 */
public final class StimBoardEmulator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StimBoardEmulator.class);
    /** Non-blocking reads and a 1 ms nap: the board must step and report every few ms, pty or not. */
    private static final int READ_TIMEOUT_MILLIS = 0;
    private static final int REOPEN_POLL_MILLIS = 50;

    private final String portPath;
    private final Clock clock;
    private final BoardEndpoint endpoint;
    private final Random damage;

    private volatile boolean running;
    private volatile boolean muted;
    private volatile double corruptFraction;
    private volatile boolean disconnected;
    private volatile SerialLine line;
    private volatile long framesSent;
    private volatile long framesCorrupted;
    private volatile long delayNanos;
    private volatile long lastTimelyStatusNanos = Long.MIN_VALUE;
    private final java.util.ArrayDeque<Object[]> delayed = new java.util.ArrayDeque<>();    // {dueNanos, bytes}
    private final byte[] typeScratch = new byte[FrameCodec.MAX_ENCODED];
    private Thread thread;

    public StimBoardEmulator(String portPath, BoardLogic logic, Clock clock, long seed) {
        this(portPath, logic, clock, seed, BoardEndpoint.DEFAULT_STATUS_PERIOD_MILLIS);
    }

    public StimBoardEmulator(String portPath, BoardLogic logic, Clock clock, long seed, int statusPeriodMillis) {
        this(portPath, logic, clock, seed, statusPeriodMillis, BoardEndpoint.MAX_VERSION);
    }

    /** @param maxVersion highest protocol version the emulated board speaks (1: a board without patterns) */
    public StimBoardEmulator(String portPath, BoardLogic logic, Clock clock, long seed, int statusPeriodMillis,
                             int maxVersion) {
        this.portPath = portPath;
        this.clock = clock;
        this.damage = new Random(seed);
        this.endpoint = new BoardEndpoint(logic, BoardEndpoint.Firmware.emulator(), statusPeriodMillis, clock.nanos(),
                this::transmit, maxVersion);
    }

    /** Commands {@link #control} understands, for help texts. */
    public static final String CONTROL_COMMANDS = "overcurrent | overvoltage | self-test | cause-present on|off | reset"
            + " | mute on|off | corrupt FRACTION | delay MS | impedance OHMS | status";

    /**
     * One fault-injection command (hardware/stimulator-protocol.md §10), as typed on the emulator's standard input
     * or control pty; returns a one-line answer ("ok: …" or "error: …").
     */
    public String control(String line) {
        String[] w = line.trim().toLowerCase(java.util.Locale.ROOT).split("\\s+");
        try {
            switch (w[0]) {
                case "overcurrent" -> overcurrent();
                case "overvoltage" -> endpoint.logic().injectOvervoltage();
                case "self-test" -> endpoint.logic().injectSelfTestFailure();
                case "cause-present" -> endpoint.logic().causePresent(onOff(w));
                case "reset" -> reset();
                case "mute" -> mute(onOff(w));
                case "corrupt" -> {
                    double f = Double.parseDouble(arg(w));
                    if (f < 0 || f > 1) {
                        return "error: corrupt takes a fraction 0..1, got " + w[1];
                    }
                    corrupt(f);
                }
                case "delay" -> delay(Integer.parseInt(arg(w)));
                case "impedance" -> endpoint.logic().setImpedanceOhms(Integer.parseInt(arg(w)));
                case "status" -> { }
                default -> {
                    return "error: unknown command '" + w[0] + "'; commands: " + CONTROL_COMMANDS;
                }
            }
        } catch (IllegalArgumentException e) {
            return "error: " + line.trim() + ": " + e.getMessage();
        }
        long now = clock.nanos();
        BoardLogic l = endpoint.logic();
        return String.format(java.util.Locale.ROOT, "ok: %s; output %s at %d µA, faults 0x%02x, boot count %d",
                line.trim(), l.outputEnabled(now) ? "on" : "off", l.appliedAmplitudeMicroAmps(now), l.faultBits(now),
                l.bootCount());
    }

    private static String arg(String[] w) {
        if (w.length < 2) {
            throw new IllegalArgumentException("needs a value");
        }
        return w[1];
    }

    private static boolean onOff(String[] w) {
        String v = arg(w);
        if (!v.equals("on") && !v.equals("off")) {
            throw new IllegalArgumentException("takes on or off");
        }
        return v.equals("on");
    }

    public synchronized StimBoardEmulator start() {
        if (!running) {
            running = true;
            thread = new Thread(this::run, "stim-board-emulator");
            thread.setDaemon(true);
            thread.start();
        }
        return this;
    }

    public BoardLogic logic() { return endpoint.logic(); }

    /** Frames the board received with a bad CRC (noise on the host-to-board line). */
    public long crcErrors() { return endpoint.decoder().crcErrors(); }

    public long framesSent() { return framesSent; }

    public long framesCorrupted() { return framesCorrupted; }

    // --- injections -------------------------------------------------------------------------------

    /** The board's TX line goes dead: nothing is sent; the board still obeys frames and its lease. */
    public void mute(boolean mute) { this.muted = mute; }

    /** Damage this fraction (0..1) of outgoing frames: one byte changed, so the CRC (or COBS) fails. */
    public void corrupt(double fraction) { this.corruptFraction = Math.max(0, Math.min(1, fraction)); }

    /**
     * The board answers late: every frame leaves this long after the board made it (a UART queue that lags,
     * a stalled TX interrupt). 0 sends at once again (frames already queued still leave when due).
     */
    public void delay(int millis) { this.delayNanos = Math.max(0, millis) * 1_000_000L; }

    /**
     * Board time of the latest STATUS that left on time and intact (not muted, damaged or delayed): the last
     * STATUS a host can trust; {@link Long#MIN_VALUE} before the first.
     */
    public long lastTimelyStatusNanos() { return lastTimelyStatusNanos; }

    /** The output stage trips on overcurrent (latched until CLEAR_FAULT or reset). */
    public void overcurrent() { endpoint.logic().injectOvercurrent(); }

    /** Write raw bytes (garbage, a partial frame, boot-ROM chatter) to the host, bypassing the protocol. */
    public boolean sendRaw(byte[] bytes) {
        SerialLine l = line;
        return l != null && l.write(bytes, bytes.length);
    }

    /** A watchdog/power reset: boot count up, output off, session closed. */
    public void reset() { endpoint.reset(clock.nanos()); }

    /**
     * Unplug: the emulator stops using its end at once and stays away until {@link #reconnect()}; the board keeps
     * running. The port itself is closed on the emulator's thread: closing took ~0.4 s and, done here on the
     * scenario runner's thread, held virtual time still that long at every unplug.
     */
    public void disconnect() {
        disconnected = true;
        SerialLine l = line;
        if (l != null) {
            l.drop();
        }
    }

    public void reconnect() { disconnected = false; }

    // --- thread -----------------------------------------------------------------------------------

    private void run() {
        byte[] buf = new byte[256];
        // the path is polled in wall time: a runner holding virtual time still while the link comes back must not
        // hold back the poll that brings it back
        long lastOpenAttempt = System.nanoTime() - REOPEN_POLL_MILLIS * 1_000_000L;
        while (running) {
            SerialLine l = line;
            if (l == null || l.isLost()) {
                if (l != null) {
                    l.close(); // once only; a dropped or vanished port is closed here, off the caller's thread
                }
                line = null;
                long now = clock.nanos();
                endpoint.tick(now);      // the board runs (and its lease expires) with or without a host
                if (!disconnected && System.nanoTime() - lastOpenAttempt >= REOPEN_POLL_MILLIS * 1_000_000L) {
                    lastOpenAttempt = System.nanoTime();
                    line = SerialLine.open(portPath, READ_TIMEOUT_MILLIS);
                    if (line != null) {
                        log.info("board emulator on {}", portPath);
                        continue;
                    }
                }
                sleepMillis(2);
                continue;
            }
            int n = l.read(buf);
            long now = clock.nanos();
            if (n > 0) {
                endpoint.receive(now, buf, 0, n);
            }
            endpoint.tick(now);
            flushDelayed(l, now);
            if (n < 0) {
                l.close();
                line = null;
            } else if (n == 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
            }
        }
    }

    private void flushDelayed(SerialLine l, long now) {
        synchronized (delayed) {
            while (!delayed.isEmpty() && now - (long) delayed.peekFirst()[0] >= 0) {
                byte[] w = (byte[]) delayed.pollFirst()[1];
                if (l.write(w, w.length)) {
                    framesSent++;
                }
            }
        }
    }

    private void transmit(byte[] wire, int length) {
        SerialLine l = line;
        if (muted || l == null) {
            return;
        }
        long delay = delayNanos;
        boolean queueBusy;
        synchronized (delayed) {
            queueBusy = !delayed.isEmpty();
        }
        if (delay > 0 || queueBusy) {           // keep order: nothing overtakes a delayed frame
            synchronized (delayed) {
                delayed.addLast(new Object[]{clock.nanos() + delay, java.util.Arrays.copyOf(wire, length)});
            }
            return;
        }
        byte[] out = wire;
        if (corruptFraction > 0 && damage.nextDouble() < corruptFraction && length > 1) {
            out = wire.clone();
            int at = damage.nextInt(length - 1);          // never the delimiter: the next frame must survive
            byte was = out[at];
            byte now;
            do {
                now = (byte) (1 + damage.nextInt(255));
            } while (now == was);
            out[at] = now;
            framesCorrupted++;
        }
        if (l.write(out, length)) {
            framesSent++;
            if (out == wire && isStatus(wire, length)) {
                lastTimelyStatusNanos = clock.nanos();
            }
        }
    }

    private boolean isStatus(byte[] wire, int length) {
        int n = Cobs.decode(wire, length - 1, typeScratch);
        return n > 1 && (typeScratch[1] & 0xFF) == MessageType.STATUS.code();
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            t = thread;
        }
        try {
            t.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        SerialLine l = line;
        if (l != null) {
            l.close();
        }
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
