package io.tensd.stim;

/**
 * Message types of protocol version 1 and the least payload each must carry. A receiver reads the
 * fields it knows and ignores trailing bytes (room for additive changes within a major version).
 * Codes are part of the wire protocol: hardware/stimulator-protocol.md.
 */
public enum MessageType {
    HELLO(0x01, 2),
    HELLO_ACK(0x02, 40),
    SETPOINT(0x10, 12),
    HEARTBEAT(0x11, 4),
    CLEAR_FAULT(0x12, 0),
    STATUS(0x20, 26),
    ACK(0x21, 3),
    NACK(0x22, 4);

    private static final MessageType[] BY_CODE = new MessageType[256];

    static {
        for (MessageType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final int payloadLength;

    MessageType(int code, int payloadLength) {
        this.code = code;
        this.payloadLength = payloadLength;
    }

    public int code() { return code; }

    /** Bytes of payload this version writes and every receiver requires. */
    public int payloadLength() { return payloadLength; }

    /** The type for a wire code, or {@code null} when unknown. */
    public static MessageType of(int code) { return BY_CODE[code & 0xFF]; }
}
