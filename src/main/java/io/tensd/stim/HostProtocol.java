package io.tensd.stim;

/**
 * The host's half of the protocol as a pure state machine (time as an argument, no I/O): decides which
 * frame, if any, each loop tick sends, and digests what the board answers. {@link SerialStimulator}
 * runs it on its threads under one lock; tests drive it directly.
 *
 * <p>The rules that make the lease mean something:
 * <ul>
 *   <li>Frames that renew the lease (SETPOINT, HEARTBEAT) come only out of {@link #onTick}, i.e. out of
 *       a loop call to {@code Stimulator.command}. Nothing here renews on a timer.</li>
 *   <li>A HEARTBEAT names the setpoint it keeps alive; the board renews only if that is the setpoint in
 *       force. A lost setpoint therefore cannot be kept alive by heartbeats.</li>
 *   <li>An unconfirmed setpoint (no ACK, and no STATUS showing its sequence number) is resent at most
 *       {@code maxResends} times; then the link sends nothing for it and the board's lease runs out.
 *       After a lease period of silence the budget is refilled (so a link that heals comes back).</li>
 *   <li>A refused (NACKed) setpoint is not resent and not heartbeated: the board has zeroed the output and
 *       the loop must change what it asks for.</li>
 *   <li><b>No lease beyond what the host can see.</b> A frame that keeps output on (an enabling SETPOINT,
 *       its resend, a HEARTBEAT for it) asks for at most the time left until {@code lastSeen + lease},
 *       where {@code lastSeen} is when the board sent its latest valid STATUS ({@link StatusAge}). When less
 *       than the board's minimum lease is left, nothing that keeps output on is sent: the board then cuts
 *       by itself no later than one lease after the last STATUS the host saw, however the loop, its clock
 *       or a simulated run's pacing behave. Frames that switch off are never held back.</li>
 * </ul>
 * Not thread-safe: callers hold one lock.
 */
final class HostProtocol {
    static final int MIN_VERSION = 1;
    static final int MAX_VERSION = FrameCodec.PROTOCOL_VERSION;

    private final StimLinkConfig config;
    private final long heartbeatNanos;
    private final long resendNanos;
    private final long leaseNanos;

    private boolean negotiated;
    private int version = MIN_VERSION;
    private int txSeq;
    private Message.HelloAck board;
    private int lastBootCount = -1;

    private boolean hasPending;
    private boolean pEnable;
    private int pAmplitude;
    private int pPulseWidth;
    private int pFrequency;
    private Pattern pPattern = Pattern.CONTINUOUS;
    private Pattern gatedPattern = Pattern.CONTINUOUS;
    private long gateStartNanos;
    private int pSeq;
    private boolean pConfirmed;
    private ReplyCode pRefused;
    private int pResends;
    private long pSentAtNanos;
    private boolean pResendNow;
    private long lastSendNanos;
    private long lastGrantAtNanos = Long.MIN_VALUE;
    /**
     * Pattern capabilities of the negotiated v2 session, −1 without one (no session, or v1): what the loop thread
     * reads through {@link #boardTimesNow} without taking the lock the link's threads hold.
     */
    private volatile int timedCaps = -1;
    private final StatusAge statusAge = new StatusAge();
    private long seenAtNanos;

    long setpointsSent;
    long resends;
    long giveUps;
    long heartbeatsSent;
    long forcedSafe;
    long nacks;
    String lastNack = "none";
    long hellos;
    long bootCountChanges;
    long malformed;
    long leaseWithheld;

    HostProtocol(StimLinkConfig config) {
        this.config = config;
        this.heartbeatNanos = config.heartbeatMillis() * 1_000_000L;
        this.resendNanos = config.resendMillis() * 1_000_000L;
        this.leaseNanos = config.leaseMillis() * 1_000_000L;
    }

    boolean negotiated() { return negotiated; }

    /** The board's HELLO_ACK of the current session, or null. */
    Message.HelloAck board() { return board; }

    Frame hello() {
        hellos++;
        return frame(MAX_VERSION, new Message.Hello(MIN_VERSION, MAX_VERSION, config.slewMicroAmpsPerSecond()));
    }

    /** The port was (re)opened or lost: nothing the board confirmed before can be relied on. */
    void linkDown() {
        negotiated = false;
        timedCaps = -1;
        hasPending = false;
        statusAge.reset();
    }

    /**
     * Lease (ms) a frame that keeps output on may ask for at {@code nowNanos}: the configured lease, cut to
     * what is left of one lease after the board last showed itself; 0 when that is below the board's minimum.
     */
    int grantableLeaseMillis(long nowNanos) {
        long left = (seenAtNanos + leaseNanos - nowNanos) / 1_000_000L;
        int min = board == null ? 1 : Math.max(1, board.caps().minLeaseMillis());
        int grant = (int) Math.min(config.leaseMillis(), Math.max(0, left));
        return grant >= min ? grant : 0;
    }

    /** What this loop tick sends: a new or resent SETPOINT, a HEARTBEAT, or nothing (null). */
    Frame onTick(long nowNanos, boolean enable, int amplitudeMicroAmps, int pulseWidthMicros, int frequencyHz) {
        return onTick(nowNanos, enable, amplitudeMicroAmps, pulseWidthMicros, frequencyHz, Pattern.CONTINUOUS);
    }

    /** True when the negotiated board times {@code pattern} itself (v2 and the capabilities for it). */
    boolean boardTimes(Pattern pattern) {
        return negotiated && version >= 2 && board != null && (pattern.needs() & ~board.caps().capabilities()) == 0;
    }

    /** {@link #boardTimes} without the lock: for the loop thread, which must not wait for the link's threads. */
    boolean boardTimesNow(Pattern pattern) {
        int caps = timedCaps;
        return caps >= 0 && (pattern.needs() & ~caps) == 0;
    }

    /**
     * A tick with a board-timed shape: {@code amplitudeMicroAmps} is the level (the peak). A board that times
     * the pattern (v2) gets it in the SETPOINT and runs it; for a v1 board the host gates the level itself at
     * this tick (burst gate, modulation factor), as every v1 host does.
     */
    Frame onTick(long nowNanos, boolean enable, int amplitudeMicroAmps, int pulseWidthMicros, int frequencyHz,
                 Pattern pattern) {
        return onTick(nowNanos, nowNanos, enable, amplitudeMicroAmps, pulseWidthMicros, frequencyHz, pattern);
    }

    /**
     * As above, with the lease granted from {@code grantAtNanos}: the time the frame is made, which a busy link
     * thread reaches after the tick's own time. A grant counted from the tick would hand the board that delay
     * on top of what the last trusted STATUS allows.
     */
    Frame onTick(long nowNanos, long grantAtNanos, boolean enable, int amplitudeMicroAmps, int pulseWidthMicros,
                 int frequencyHz, Pattern pattern) {
        long at = Math.max(nowNanos, grantAtNanos);
        Frame f = tick(nowNanos, at, enable, amplitudeMicroAmps, pulseWidthMicros, frequencyHz, pattern);
        if (f != null && enable) {
            lastGrantAtNanos = at;
        }
        return f;
    }

    /** When the last frame that kept the output on was made (its lease counts from here); for diagnostics. */
    long lastGrantAtNanos() { return lastGrantAtNanos; }

    private Frame tick(long nowNanos, long grantAtNanos, boolean enable, int amplitudeMicroAmps, int pulseWidthMicros,
                       int frequencyHz, Pattern pattern) {
        if (!negotiated) {
            return null;
        }
        if (!pattern.equals(gatedPattern)) {
            gatedPattern = pattern;
            gateStartNanos = nowNanos;
        }
        if (!boardTimes(pattern)) {
            long since = nowNanos - gateStartNanos;
            double k = pattern.factor(since);
            amplitudeMicroAmps = (int) Math.round(amplitudeMicroAmps * pattern.hostGate(since, frequencyHz));
            if (pattern.modulationCode() == Pattern.WIDTH) {
                pulseWidthMicros = (int) Math.round(pulseWidthMicros * k);
            } else if (pattern.modulationCode() == Pattern.RATE) {
                frequencyHz = (int) Math.round(frequencyHz * k);
            }
            pattern = Pattern.CONTINUOUS;
        }
        boolean same = hasPending && pEnable == enable
                && (!enable || (pAmplitude == amplitudeMicroAmps && pPulseWidth == pulseWidthMicros && pFrequency == frequencyHz
                && pPattern.equals(pattern)));
        int grant = grantableLeaseMillis(grantAtNanos);
        if (!same) {
            if (enable && grant == 0) {
                leaseWithheld++;        // the board is not seen: it must not be given output to keep
                return null;
            }
            setpointsSent++;
            return newSetpoint(nowNanos, enable, amplitudeMicroAmps, pulseWidthMicros, frequencyHz, pattern, grant);
        }
        if (pRefused != null) {
            return null;
        }
        if (!pConfirmed) {
            if (!pResendNow && nowNanos - pSentAtNanos < resendNanos) {
                return null;
            }
            if (pEnable && grant == 0) {
                leaseWithheld++;
                return null;
            }
            pResendNow = false;
            if (pResends >= config.maxResends()) {
                if (nowNanos - pSentAtNanos < leaseNanos) {
                    return null;    // silent: the lease runs out on the board
                }
                pResends = 0;
            }
            pResends++;
            resends++;
            if (pResends == config.maxResends()) {
                giveUps++;
            }
            pSentAtNanos = nowNanos;
            lastSendNanos = nowNanos;
            // same seq: the board may ACK either copy; only the lease may be shorter than the first copy's
            return new Frame(version, pSeq, setpointMessage(pEnable ? grant : config.leaseMillis()));
        }
        if (nowNanos - lastSendNanos >= heartbeatNanos) {
            if (pEnable && grant == 0) {
                leaseWithheld++;        // no valid STATUS for a lease: let the board cut by itself
                return null;
            }
            heartbeatsSent++;
            lastSendNanos = nowNanos;
            return frame(version, new Message.Heartbeat(pEnable ? grant : config.leaseMillis(), pSeq));
        }
        return null;
    }

    /** CLEAR_FAULT; the board answers ACK and a STATUS. */
    Frame clearFault() { return frame(version, new Message.ClearFault()); }

    /** A disable SETPOINT to send right now, whatever the state (the board refuses nothing that switches off). */
    Frame forceSafe(long nowNanos) {
        forcedSafe++;
        return newSetpoint(nowNanos, false, 0, 0, 0, Pattern.CONTINUOUS, config.leaseMillis());
    }

    private Frame newSetpoint(long nowNanos, boolean enable, int amplitude, int pulseWidth, int frequency,
                              Pattern pattern, int grantMillis) {
        hasPending = true;
        pEnable = enable;
        pAmplitude = enable ? amplitude : 0;
        pPulseWidth = enable ? pulseWidth : 0;
        pFrequency = enable ? frequency : 0;
        pPattern = enable ? pattern : Pattern.CONTINUOUS;
        pConfirmed = false;
        pRefused = null;
        pResends = 0;
        pResendNow = false;
        pSentAtNanos = nowNanos;
        lastSendNanos = nowNanos;
        Frame f = frame(version, setpointMessage(enable ? grantMillis : config.leaseMillis()));
        pSeq = f.seq();
        return f;
    }

    private Message.Setpoint setpointMessage(int leaseMillis) {
        return new Message.Setpoint(pEnable, config.waveform().code(), pAmplitude, pPulseWidth, pFrequency, leaseMillis,
                0, pPattern);
    }

    private Frame frame(int v, Message m) {
        txSeq = Frame.nextSeq(txSeq);
        return new Frame(v, txSeq, m);
    }

    /** @return false when the board's answer cannot open a session (no common version, inconsistent caps) */
    boolean onHelloAck(Message.HelloAck ack, long receivedNanos) {
        if (ack.caps() == null || ack.version() < MIN_VERSION || ack.version() > MAX_VERSION) {
            malformed++;
            return false;
        }
        negotiated = true;
        version = ack.version();
        board = ack;
        timedCaps = version >= 2 ? ack.caps().capabilities() : -1;
        lastBootCount = ack.bootCount();
        statusAge.reset();
        seenAtNanos = receivedNanos;    // the board just answered, output off
        hasPending = false;     // the board switched output off on HELLO: the next tick sends a fresh setpoint
        return true;
    }

    /** @return true when this status shows the board restarted or lost the session (the caller sends HELLO) */
    boolean onStatus(Message.Status s, long receivedNanos) {
        if (lastBootCount >= 0 && s.bootCount() != lastBootCount) {
            bootCountChanges++;
            lastBootCount = s.bootCount();
            linkDown();
            return true;
        }
        if (negotiated && !s.sessionOpen()) {
            linkDown();
            return true;
        }
        if (negotiated) {
            seenAtNanos = Math.max(seenAtNanos, statusAge.sentAt(receivedNanos, s.uptimeMillis()));
        }
        if (hasPending && !pConfirmed && pRefused == null && s.lastSetpointSeq() == pSeq) {
            pConfirmed = true;  // the ACK was lost but the board has it in force
        }
        return false;
    }

    void onAck(Message.Ack a) {
        if (hasPending && a.ackedType() == MessageType.SETPOINT.code() && a.ackedSeq() == pSeq) {
            pConfirmed = true;
        }
    }

    /** @return true when the board needs a new HELLO */
    boolean onNack(Message.Nack n) {
        nacks++;
        ReplyCode reason = n.reason();
        lastNack = reason == null ? "code " + n.reasonCode() : reason.name();
        if (reason == ReplyCode.NO_SESSION || reason == ReplyCode.BAD_VERSION) {
            linkDown();
            return true;
        }
        if (!hasPending) {
            return false;
        }
        if (n.nackedType() == MessageType.SETPOINT.code() && n.nackedSeq() == pSeq) {
            pRefused = reason == null ? ReplyCode.UNKNOWN_TYPE : reason;
        } else if (n.nackedType() == MessageType.HEARTBEAT.code() && reason == ReplyCode.STALE_SETPOINT
                && pRefused == null) {
            pConfirmed = false;             // the board does not have our setpoint: resend it on the next tick
            pResendNow = true;
        }
        return false;
    }

    /** The refusal of the current setpoint, or null. */
    ReplyCode refusal() { return pRefused; }

    boolean confirmed() { return hasPending && pConfirmed; }
}
