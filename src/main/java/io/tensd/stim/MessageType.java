package io.tensd.stim;

/**
 * Message types, the least payload each must carry and the payload this code writes. A receiver reads the
 * fields it knows and ignores trailing bytes (room for additive changes within a version): HELLO and
 * HELLO_ACK carry appended fields that older receivers skip. Only SETPOINT differs between versions (v2
 * appends the waveform pattern and requires it). Codes are part of the wire protocol:
 * hardware/stimulator-protocol.md.
 */
public enum MessageType {
    HELLO(0x01, 2, 6),
    HELLO_ACK(0x02, 40, 52),
    SETPOINT(0x10, 12, 12),
    HEARTBEAT(0x11, 4, 4),
    CLEAR_FAULT(0x12, 0, 0),
    STATUS(0x20, 26, 26),
    ACK(0x21, 3, 3),
    NACK(0x22, 4, 4);

    /** SETPOINT payload from protocol version 2 on: v1's 12 bytes plus the 12-byte pattern. */
    public static final int SETPOINT_V2_LENGTH = 24;

    private static final MessageType[] BY_CODE = new MessageType[256];

    static {
        for (MessageType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final int payloadLength;
    private final int writtenLength;

    MessageType(int code, int payloadLength, int writtenLength) {
        this.code = code;
        this.payloadLength = payloadLength;
        this.writtenLength = writtenLength;
    }

    public int code() { return code; }

    /** Bytes of payload every receiver requires in a version-1 frame. */
    public int payloadLength() { return payloadLength; }

    /** Bytes of payload a receiver requires in a frame whose header carries {@code version}. */
    public int payloadLength(int version) {
        return this == SETPOINT && version >= 2 ? SETPOINT_V2_LENGTH : payloadLength;
    }

    /** Bytes of payload this code writes in a frame of {@code version} (appended fields included). */
    public int writtenLength(int version) {
        return this == SETPOINT && version >= 2 ? SETPOINT_V2_LENGTH : writtenLength;
    }

    /** The type for a wire code, or {@code null} when unknown. */
    public static MessageType of(int code) { return BY_CODE[code & 0xFF]; }
}
