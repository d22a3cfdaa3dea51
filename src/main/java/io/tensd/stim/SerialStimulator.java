package io.tensd.stim;

import io.tensd.hw.StimStatus;
import io.tensd.hw.Stimulator;
import io.tensd.loop.Clock;
import io.tensd.therapy.Program;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link Stimulator} over the board's UART (jSerialComm). Two threads of its own:
 * <ul>
 *   <li><b>stim-rx</b> opens the port (and reopens it after it vanished, polling for the path), sends
 *       HELLO until HELLO_ACK, decodes STATUS/ACK/NACK and publishes the latest status stamped with the
 *       host clock on arrival;</li>
 *   <li><b>stim-tx</b> turns each loop tick posted by {@link #command} into at most one frame and writes it.</li>
 * </ul>
 * {@link #command} only copies five values into a one-slot mailbox and unparks stim-tx: it never blocks
 * on I/O, never logs and does not allocate. A tick that stim-tx has not taken yet is overwritten by the
 * next (counted). Because frames that renew the lease are made only from posted ticks, a stalled loop
 * stops the heartbeats and the board cuts output by itself. {@link #latest()} is never refreshed by
 * anything but a real STATUS frame, so a silent or vanished port shows as a status that grows old.
 */
public final class SerialStimulator implements Stimulator, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SerialStimulator.class);
    private static final int READ_TIMEOUT_MILLIS = 20;

    private final StimLinkConfig config;
    private final Clock clock;
    private final HostProtocol proto;
    private final FrameDecoder decoder;

    private final Object mailbox = new Object();
    private boolean posted;
    private long tickNanos;
    private boolean tickEnable;
    private int tickAmplitude;
    private int tickPulseWidth;
    private int tickFrequency;
    private Pattern tickPattern = Pattern.CONTINUOUS;
    private long ticksCoalesced;
    /** The loop's program and its board form (null: none), cached on the loop thread so a tick never allocates. */
    private final ProgramPatterns patterns = new ProgramPatterns();

    private final AtomicBoolean forceSafePending = new AtomicBoolean();
    private final AtomicBoolean clearFaultPending = new AtomicBoolean();
    /** Set by forceSafe(); enabling ticks are sent as "off" until the loop itself has asked for off once. */
    private volatile boolean safeHold;

    private volatile StimStatus latest = StimStatus.NONE;
    private volatile SerialLine line;
    private volatile boolean running;
    private final Object writeLock = new Object();
    private final byte[] txWire = new byte[FrameCodec.MAX_WIRE];
    private final byte[] txScratch = new byte[FrameCodec.MAX_RAW];

    private long rxNowNanos;
    private long helloSentNanos;
    private boolean helloDue;
    private volatile long statusFrames;
    private volatile long connects;
    private volatile long disconnects;
    private volatile long writeFailures;

    private Thread rx;
    private Thread tx;

    public SerialStimulator(StimLinkConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.proto = new HostProtocol(config);
        this.decoder = new FrameDecoder(new FrameCodec.Sink() {
            @Override
            public void frame(Frame frame) { onFrame(frame); }

            @Override
            public void error(FrameCodec.Error error, int version, int type, int seq) { }
        });
    }

    /** Starts the link threads; the port need not exist yet (it is polled for). */
    public synchronized SerialStimulator start() {
        if (running) {
            return this;
        }
        running = true;
        rx = new Thread(this::rxLoop, "stim-rx");
        tx = new Thread(this::txLoop, "stim-tx");
        rx.setDaemon(true);
        tx.setDaemon(true);
        rx.start();
        tx.start();
        return this;
    }

    // --- Stimulator -----------------------------------------------------------------------------

    @Override
    public void command(long nowNanos, boolean enabled, int amplitudeMicroAmps, int pulseWidthMicros, int frequencyHz) {
        commandPattern(nowNanos, enabled, amplitudeMicroAmps, pulseWidthMicros, frequencyHz, Pattern.CONTINUOUS);
    }

    @Override
    public boolean timesProgram(Program program) {
        Pattern p = patterns.of(program);
        return p != null && proto.boardTimesNow(p);     // lock-free: the loop never waits for stim-rx/stim-tx
    }

    /** The program's pattern; if it has none, "off" (the loop asks only after {@link #timesProgram} said yes). */
    @Override
    public void commandProgram(long nowNanos, boolean enabled, int levelMicroAmps, int pulseWidthMicros, int frequencyHz,
                               Program program) {
        Pattern p = patterns.of(program);
        if (p == null) {
            command(nowNanos, false, 0, 0, 0);
        } else {
            commandPattern(nowNanos, enabled, levelMicroAmps, pulseWidthMicros, frequencyHz, p);
        }
    }

    /**
     * A loop tick with a board-timed shape (protocol v2): {@code levelMicroAmps} is the level, the pattern's peak.
     * A v2 board with the capability runs the trains and the modulation on its own timer; with a v1 board the
     * link gates the level at each tick instead. Same rules as {@link #command}: no I/O, no allocation.
     */
    public void commandPattern(long nowNanos, boolean enabled, int levelMicroAmps, int pulseWidthMicros, int frequencyHz,
                               Pattern pattern) {
        int amplitudeMicroAmps = levelMicroAmps;
        if (safeHold) {
            if (enabled) {
                enabled = false;
            } else {
                safeHold = false;
            }
        }
        synchronized (mailbox) {
            if (posted) {
                ticksCoalesced++;
            }
            posted = true;
            tickNanos = nowNanos;
            tickEnable = enabled;
            tickAmplitude = amplitudeMicroAmps;
            tickPulseWidth = pulseWidthMicros;
            tickFrequency = frequencyHz;
            tickPattern = pattern;
        }
        Thread t = tx;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public StimStatus latest() { return latest; }

    @Override
    public void forceSafe() {
        safeHold = true;
        forceSafePending.set(true);
        Thread t = tx;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    // --- for the lead / hw-check ------------------------------------------------------------------

    /**
     * Ask the board to clear its latched OVERCURRENT/OVERVOLTAGE and cut-reason bits (a local action:
     * button or CLI, never a remote command). Output stays off; the loop ramps from zero.
     */
    @Override
    public void clearFaults() {
        clearBoardFault();
    }

    public void clearBoardFault() {
        clearFaultPending.set(true);
        Thread t = tx;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** The board's HELLO_ACK (firmware, caps, boot count) of the current session, if negotiated. */
    public Optional<Message.HelloAck> board() {
        synchronized (proto) {
            return proto.negotiated() ? Optional.ofNullable(proto.board()) : Optional.empty();
        }
    }

    /** True when the board of this session times {@code pattern} itself (protocol v2 with the capability). */
    public boolean boardTimes(Pattern pattern) {
        synchronized (proto) {
            return proto.boardTimes(pattern);
        }
    }

    /** True while the port is open and a session is negotiated. */
    public boolean linkUp() {
        synchronized (proto) {
            return line != null && proto.negotiated();
        }
    }

    /** Why the board refused the setpoint now asked for, if it did. */
    public Optional<ReplyCode> refusal() {
        synchronized (proto) {
            return Optional.ofNullable(proto.refusal());
        }
    }

    /** When the host made the last frame that kept the output on (its lease counts from then); for diagnostics. */
    long lastGrantAtNanos() {
        synchronized (proto) {
            return proto.lastGrantAtNanos();
        }
    }

    public StimLinkCounters counters() {
        long coalesced;
        synchronized (mailbox) {
            coalesced = ticksCoalesced;
        }
        synchronized (proto) {
            return new StimLinkCounters(statusFrames, decoder.crcErrors(), decoder.malformed() + decoder.overlongChunks()
                    + proto.malformed, decoder.droppedBytes(), proto.setpointsSent, proto.resends, proto.giveUps,
                    proto.heartbeatsSent, proto.forcedSafe, proto.nacks, proto.lastNack, proto.hellos, connects,
                    disconnects, proto.bootCountChanges, coalesced, writeFailures, proto.leaseWithheld);
        }
    }

    @Override
    public void close() {
        Thread r;
        Thread t;
        synchronized (this) {
            if (!running) {
                return;
            }
            // last words: switch the output off before going away
            forceSafe();
            sleepMillis(5);
            running = false;
            r = rx;
            t = tx;
        }
        LockSupport.unpark(t);
        join(t);
        join(r);
        SerialLine l = line;
        if (l != null) {
            l.close();
            line = null;
        }
    }

    // --- stim-tx ----------------------------------------------------------------------------------

    private void txLoop() {
        while (running) {
            LockSupport.parkNanos(this, 50_000_000L);
            if (forceSafePending.getAndSet(false)) {
                Frame f;
                synchronized (proto) {
                    f = proto.forceSafe(clock.nanos());
                }
                write(f);
            }
            if (clearFaultPending.getAndSet(false)) {
                Frame f = null;
                synchronized (proto) {
                    if (proto.negotiated()) {
                        f = proto.clearFault();
                    }
                }
                if (f != null) {
                    write(f);
                }
            }
            long now;
            boolean enable;
            int amplitude;
            int pulseWidth;
            int frequency;
            Pattern pattern;
            synchronized (mailbox) {
                if (!posted) {
                    continue;
                }
                posted = false;
                now = tickNanos;
                enable = tickEnable;
                amplitude = tickAmplitude;
                pulseWidth = tickPulseWidth;
                frequency = tickFrequency;
                pattern = tickPattern;
            }
            Frame f;
            synchronized (proto) {
                f = proto.onTick(now, clock.nanos(), enable, amplitude, pulseWidth, frequency, pattern);
            }
            if (f != null) {
                write(f);
            }
        }
    }

    private void write(Frame f) {
        SerialLine l = line;
        boolean ok;
        synchronized (writeLock) {
            int n = FrameCodec.encode(f, txWire, txScratch);
            ok = l != null && l.write(txWire, n);
        }
        if (!ok) {
            writeFailures++;
        }
    }

    // --- stim-rx ----------------------------------------------------------------------------------

    private void rxLoop() {
        byte[] buf = new byte[256];
        while (running) {
            SerialLine l = line;
            if (l == null) {
                l = connect();
                if (l == null) {
                    sleepMillis(config.reconnectPollMillis());
                    continue;
                }
            }
            int n = l.read(buf);
            rxNowNanos = clock.nanos();
            if (n < 0) {
                drop(l);
                continue;
            }
            if (n > 0) {
                decoder.accept(buf, 0, n);
            }
            maintainSession(l);
        }
    }

    private SerialLine connect() {
        SerialLine l = SerialLine.open(config.portPath(), READ_TIMEOUT_MILLIS);
        if (l == null) {
            return null;
        }
        decoder.clear();
        synchronized (proto) {
            proto.linkDown();
            helloDue = true;
        }
        line = l;
        connects++;
        if (connects > 1) {
            log.warn("stimulator port {} reopened (reconnect {})", config.portPath(), connects - 1);
        } else {
            log.info("stimulator port {} open", config.portPath());
        }
        synchronized (writeLock) {
            l.write(new byte[]{0}, 1);      // ends whatever partial frame the board may hold
        }
        return l;
    }

    private void drop(SerialLine l) {
        l.close();
        line = null;
        disconnects++;
        synchronized (proto) {
            proto.linkDown();
        }
        log.warn("stimulator port {} lost; polling for it every {} ms", config.portPath(), config.reconnectPollMillis());
    }

    private void maintainSession(SerialLine l) {
        Frame hello = null;
        synchronized (proto) {
            if (!proto.negotiated() && (helloDue || rxNowNanos - helloSentNanos >= config.helloTimeoutMillis() * 1_000_000L)) {
                helloDue = false;
                helloSentNanos = rxNowNanos;
                hello = proto.hello();
            }
        }
        if (hello != null) {
            write(hello);
        }
    }

    private void onFrame(Frame f) {
        if (f.version() < HostProtocol.MIN_VERSION || f.version() > HostProtocol.MAX_VERSION) {
            synchronized (proto) {
                proto.malformed++;
            }
            return;
        }
        Message m = f.message();
        if (m instanceof Message.Status s) {
            latest = s.toStimStatus(rxNowNanos);
            statusFrames++;
            synchronized (proto) {
                if (proto.onStatus(s, rxNowNanos)) {
                    helloDue = true;
                }
            }
        } else if (m instanceof Message.Ack a) {
            synchronized (proto) {
                proto.onAck(a);
            }
        } else if (m instanceof Message.Nack n) {
            synchronized (proto) {
                if (proto.onNack(n)) {
                    helloDue = true;
                }
            }
        } else if (m instanceof Message.HelloAck a) {
            boolean ok;
            synchronized (proto) {
                ok = proto.onHelloAck(a, rxNowNanos);
            }
            if (ok) {
                log.info("stimulator board: firmware {}, protocol {}, boot count {}, serial {}", a.firmwareVersion(),
                        a.version(), a.bootCount(), Integer.toUnsignedString(a.boardSerial()));
            } else {
                log.error("stimulator board answered HELLO with version {} / caps {}: session refused", a.version(), a.caps());
            }
        } else {
            synchronized (proto) {
                proto.malformed++;      // a host-to-board type coming back: echo or wiring fault
            }
        }
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread t) {
        if (t == null) {
            return;
        }
        try {
            t.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
