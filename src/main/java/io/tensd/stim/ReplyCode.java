package io.tensd.stim;

/**
 * The board's answer to a SETPOINT, HEARTBEAT, CLEAR_FAULT or unreadable frame. Codes are part of the
 * wire protocol (ACK carries {@link #OK}, NACK carries one of the others); see hardware/stimulator-protocol.md.
 */
public enum ReplyCode {
    OK(0),
    /** amplitude above the board's hardware maximum (or negative) */
    BAD_AMPLITUDE(1),
    /** pulse width outside the board's range */
    BAD_PULSE_WIDTH(2),
    /** pulse rate outside the board's range */
    BAD_FREQUENCY(3),
    /** amplitude x pulse width exceeds the board's charge-per-phase cap */
    BAD_CHARGE(4),
    /** lease outside the board's accepted range */
    BAD_LEASE(5),
    /** enabling output from off with an amplitude above the re-arm step: the host must start from (near) zero */
    NOT_ARMED(6),
    /** a latched fault (overcurrent, overvoltage, self-test) forbids output until CLEAR_FAULT or reset */
    FAULT_LATCHED(7),
    /** unknown waveform code */
    BAD_WAVEFORM(8),
    /** the frame's protocol version is not the negotiated one */
    BAD_VERSION(9),
    /** unknown message type */
    UNKNOWN_TYPE(10),
    /** payload length does not match the message type */
    BAD_LENGTH(11),
    /** the cause of the latched fault is still present: CLEAR_FAULT refused */
    CAUSE_PRESENT(12),
    /** a HEARTBEAT vouches for a setpoint the board does not have in force (lost or refused): lease not renewed */
    STALE_SETPOINT(13),
    /** no HELLO since the board booted: the host must negotiate before it commands anything */
    NO_SESSION(14),
    /** an enabling SETPOINT with sequence number 0 ("none"): no HEARTBEAT could ever name it */
    BAD_SEQ(15),
    /** a SETPOINT with reserved flag bits (1–7) set: the board cannot know what the host meant */
    BAD_FLAGS(16),
    /** an amplitude increase above the peak faster than the session's slew limit allows */
    BAD_SLEW(17);

    private static final ReplyCode[] BY_CODE = new ReplyCode[18];

    static {
        for (ReplyCode c : values()) {
            BY_CODE[c.code] = c;
        }
    }

    private final int code;

    ReplyCode(int code) { this.code = code; }

    public int code() { return code; }

    /** The code for a wire value; unknown values map to {@code null} (the caller counts them as protocol errors). */
    public static ReplyCode of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
