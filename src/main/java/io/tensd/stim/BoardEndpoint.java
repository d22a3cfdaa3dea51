package io.tensd.stim;

/**
 * The board's side of the wire protocol around {@link BoardLogic}: frames in, ACK/NACK/STATUS out,
 * time as an argument, no I/O of its own. {@link StimBoardEmulator} drives it from a serial port;
 * a firmware engineer reads it as the reference for hardware/stimulator-protocol.md §5.
 * Thread-safe (synchronized): the emulator thread drives it while tests inject faults.
 */
public final class BoardEndpoint {
    /** Identity the board reports in HELLO_ACK. */
    public record Firmware(int major, int minor, int patch, int boardSerial) {
        public static Firmware emulator() { return new Firmware(1, 0, 0, 0x0E_0001); }
    }

    /** Where encoded frames go (the UART). */
    @FunctionalInterface
    public interface Output {
        void send(byte[] wire, int length);
    }

    /** Lowest and highest protocol versions this board speaks. */
    public static final int MIN_VERSION = 1;
    public static final int MAX_VERSION = FrameCodec.PROTOCOL_VERSION;
    public static final int DEFAULT_STATUS_PERIOD_MILLIS = 10;

    private final BoardLogic logic;
    private final int maxVersion;
    private final Firmware firmware;
    private final int statusPeriodMillis;
    private final Output output;
    private final FrameDecoder decoder;
    private final byte[] wire = new byte[FrameCodec.MAX_WIRE];
    private final byte[] scratch = new byte[FrameCodec.MAX_RAW];

    private long nowNanos;
    private long bootNanos;
    private long nextStatusNanos;
    private boolean session;
    private int version = MIN_VERSION;
    private int txSeq;
    private int lastSetpointSeq;

    public BoardEndpoint(BoardLogic logic, Firmware firmware, int statusPeriodMillis, long nowNanos, Output output) {
        this(logic, firmware, statusPeriodMillis, nowNanos, output, MAX_VERSION);
    }

    /** @param maxVersion highest protocol version this board speaks (1 emulates a board without board-timed patterns) */
    public BoardEndpoint(BoardLogic logic, Firmware firmware, int statusPeriodMillis, long nowNanos, Output output,
                         int maxVersion) {
        if (maxVersion < MIN_VERSION || maxVersion > MAX_VERSION) {
            throw new IllegalArgumentException("board protocol version must be " + MIN_VERSION + "…" + MAX_VERSION);
        }
        this.maxVersion = maxVersion;
        this.logic = logic;
        this.firmware = firmware;
        this.statusPeriodMillis = statusPeriodMillis;
        this.output = output;
        this.bootNanos = nowNanos;
        this.nextStatusNanos = nowNanos;
        this.decoder = new FrameDecoder(new FrameCodec.Sink() {
            @Override
            public void frame(Frame frame) { handle(frame); }

            @Override
            public void error(FrameCodec.Error error, int frameVersion, int type, int seq) {
                if (error == FrameCodec.Error.UNKNOWN_TYPE) {
                    send(new Message.Nack(seq, type, ReplyCode.UNKNOWN_TYPE.code()));
                } else if (error == FrameCodec.Error.SHORT_PAYLOAD) {
                    send(new Message.Nack(seq, type, ReplyCode.BAD_LENGTH.code()));
                    statusAfter(type);
                }
                // CRC/COBS garbage is dropped silently: its header cannot be trusted enough to answer.
            }
        });
    }

    public BoardLogic logic() { return logic; }

    public FrameDecoder decoder() { return decoder; }

    /** Bytes from the UART, any chunking. */
    public synchronized void receive(long nowNanos, byte[] bytes, int off, int len) {
        this.nowNanos = nowNanos;
        decoder.accept(bytes, off, len);
    }

    /** Steps the board and sends STATUS when its period is due; call at least every status period. */
    public synchronized void tick(long nowNanos) {
        this.nowNanos = nowNanos;
        logic.step(nowNanos);
        if (nowNanos - nextStatusNanos >= 0) {
            sendStatus();
        }
    }

    /** Watchdog/power reset: boot count up, output off, session closed (the host must HELLO again). */
    public synchronized void reset(long nowNanos) {
        logic.reset(nowNanos);
        bootNanos = nowNanos;
        nextStatusNanos = nowNanos;
        session = false;
        version = MIN_VERSION;
        txSeq = 0;
        lastSetpointSeq = 0;
        decoder.clear();
    }

    /**
     * Header-level checks in the order of §4.8 (the decoder has already dropped bad CRCs and answered unknown
     * types and short payloads), then the message itself.
     */
    private void handle(Frame f) {
        Message m = f.message();
        int type = m.type().code();
        if (m instanceof Message.Hello h) {
            hello(f.seq(), h);
            return;
        }
        if (!(m instanceof Message.Setpoint || m instanceof Message.Heartbeat || m instanceof Message.ClearFault)) {
            send(new Message.Nack(f.seq(), type, ReplyCode.UNKNOWN_TYPE.code()));   // board-to-host types
            return;
        }
        if (!session) {
            send(new Message.Nack(f.seq(), type, ReplyCode.NO_SESSION.code()));
            statusAfter(type);
            return;
        }
        if (f.version() != version) {
            send(new Message.Nack(f.seq(), type, ReplyCode.BAD_VERSION.code()));
            statusAfter(type);
            return;
        }
        if (m instanceof Message.Setpoint s) {
            ReplyCode r = logic.setpoint(nowNanos, f.seq(), s.reservedFlags(), s.enable(), s.amplitudeMicroAmps(),
                    s.pulseWidthMicros(), s.frequencyHz(), Waveform.of(s.waveformCode()), s.pattern(), s.leaseMillis());
            reply(f, r);
            lastSetpointSeq = r == ReplyCode.OK ? f.seq() : 0;
            sendStatus();   // the host sees the effect of a setpoint at once, not a period later
        } else if (m instanceof Message.Heartbeat h) {
            // only the setpoint in force can be kept alive; after any cut there is none (lastSetpointSeq 0)
            ReplyCode r = h.setpointSeq() == 0 || h.setpointSeq() != inForceSeq() ? ReplyCode.STALE_SETPOINT
                    : logic.heartbeat(nowNanos, h.leaseMillis());
            if (r != ReplyCode.OK) {    // heartbeats are answered only when refused; STATUS shows the lease
                send(new Message.Nack(f.seq(), type, r.code()));
            }
        } else {
            reply(f, logic.clearFault(nowNanos));
            sendStatus();
        }
    }

    /** The seq STATUS reports: the SETPOINT in force, 0 once a cut (lease, refusal, fault, HELLO) ended it. */
    private int inForceSeq() {
        return logic.setpointInForce(nowNanos) ? lastSetpointSeq : 0;
    }

    /** Every answer to HELLO, SETPOINT or CLEAR_FAULT, NACK included, is followed by a STATUS at once. */
    private void statusAfter(int type) {
        if (type == MessageType.SETPOINT.code() || type == MessageType.CLEAR_FAULT.code() || type == MessageType.HELLO.code()) {
            sendStatus();
        }
    }

    private void hello(int seq, Message.Hello h) {
        int chosen = Math.min(h.maxVersion(), maxVersion);
        if (chosen < Math.max(h.minVersion(), MIN_VERSION)) {
            send(new Message.Nack(seq, MessageType.HELLO.code(), ReplyCode.BAD_VERSION.code()));
            sendStatus();
            return;
        }
        logic.switchOff(nowNanos);     // a new host session never inherits output
        int slew = logic.configureSlew(h.slewMicroAmpsPerSecond());
        session = true;
        version = chosen;
        lastSetpointSeq = 0;
        BoardLogic.Caps caps = chosen >= 2 ? logic.caps() : logic.caps().withCapabilities(0);
        send(new Message.HelloAck(chosen, firmware.major(), firmware.minor(), firmware.patch(), firmware.boardSerial(),
                logic.bootCount(), caps, statusPeriodMillis, slew));
        sendStatus();
    }

    private void reply(Frame f, ReplyCode r) {
        int type = f.message().type().code();
        send(r == ReplyCode.OK ? new Message.Ack(f.seq(), type) : new Message.Nack(f.seq(), type, r.code()));
    }

    private void sendStatus() {
        nextStatusNanos = nowNanos + statusPeriodMillis * 1_000_000L;
        io.tensd.hw.StimStatus s = logic.status(nowNanos);
        send(new Message.Status(s.outputEnabled(), session, s.boardFaultBits(), s.measuredMicroAmps(), s.impedanceOhms(),
                logic.appliedAmplitudeMicroAmps(nowNanos), s.leaseRemainingMs(), inForceSeq(), s.bootCount(),
                (int) ((nowNanos - bootNanos) / 1_000_000L)));
    }

    private void send(Message m) {
        txSeq = Frame.nextSeq(txSeq);
        int n = FrameCodec.encode(new Frame(version, txSeq, m), wire, scratch);
        output.send(wire, n);
    }
}
