package io.tensd.stim;

import io.tensd.hw.StimStatus;

import java.util.zip.CRC32C;

/**
 * Frame layout (protocol version 1, little-endian), before COBS:
 * <pre>
 *   0  u8   version
 *   1  u8   type        ({@link MessageType})
 *   2  u16  seq
 *   4  ...  payload     (at least {@link MessageType#payloadLength()}, at most {@link #MAX_PAYLOAD})
 *   n  u32  CRC-32C over bytes 0..n-1
 * </pre>
 * then COBS-encoded and terminated by one 0x00. Values a field cannot hold saturate to the field's
 * maximum (which every board refuses) rather than wrap into a valid value.
 */
public final class FrameCodec {
    /** Highest protocol version this code speaks (v2: board-timed waveform patterns, §8). */
    public static final int PROTOCOL_VERSION = 2;
    public static final int HEADER_LENGTH = 4;
    public static final int CRC_LENGTH = 4;
    public static final int MAX_PAYLOAD = 64;
    public static final int MAX_RAW = HEADER_LENGTH + MAX_PAYLOAD + CRC_LENGTH;
    /** Longest COBS body between delimiters; anything longer is garbage. */
    public static final int MAX_ENCODED = Cobs.maxEncodedLength(MAX_RAW);
    /** Longest frame on the wire, delimiter included. */
    public static final int MAX_WIRE = MAX_ENCODED + 1;

    private static final long UNKNOWN_IMPEDANCE_WIRE = 0xFFFF_FFFFL;

    private FrameCodec() {}

    /** Encodes {@code frame} for the wire (COBS body + 0x00). */
    public static byte[] encode(Frame frame) {
        byte[] out = new byte[MAX_WIRE];
        int n = encode(frame, out, new byte[MAX_RAW]);
        return java.util.Arrays.copyOf(out, n);
    }

    /** Encodes into {@code out} (at least {@link #MAX_WIRE} bytes) using {@code scratch} ({@link #MAX_RAW}); returns the wire length. */
    public static int encode(Frame frame, byte[] out, byte[] scratch) {
        int len = writeRaw(frame, scratch);
        int n = Cobs.encode(scratch, len, out, 0);
        out[n] = 0;
        return n + 1;
    }

    /** Header + payload + CRC, before COBS; returns its length. */
    static int writeRaw(Frame frame, byte[] raw) {
        Message m = frame.message();
        raw[0] = (byte) frame.version();
        raw[1] = (byte) m.type().code();
        putU16(raw, 2, frame.seq());
        int p = HEADER_LENGTH;
        int written = m.type().writtenLength(frame.version());
        java.util.Arrays.fill(raw, p, p + written, (byte) 0);
        if (m instanceof Message.Hello h) {
            raw[p] = (byte) u8(h.minVersion());
            raw[p + 1] = (byte) u8(h.maxVersion());
            putU32(raw, p + 2, u32(h.slewMicroAmpsPerSecond()));
        } else if (m instanceof Message.HelloAck a) {
            BoardLogic.Caps c = a.caps();
            raw[p] = (byte) u8(a.version());
            raw[p + 1] = (byte) u8(a.firmwareMajor());
            raw[p + 2] = (byte) u8(a.firmwareMinor());
            raw[p + 3] = (byte) u8(a.firmwarePatch());
            putU32(raw, p + 4, a.boardSerial() & 0xFFFF_FFFFL);
            putU32(raw, p + 8, u32(a.bootCount()));
            putU32(raw, p + 12, u32(c.hardwareMaxMicroAmps()));
            putU16(raw, p + 16, u16(c.minPulseWidthMicros()));
            putU16(raw, p + 18, u16(c.maxPulseWidthMicros()));
            putU16(raw, p + 20, u16(c.minFrequencyHz()));
            putU16(raw, p + 22, u16(c.maxFrequencyHz()));
            putU32(raw, p + 24, u32(c.maxChargeNanoCoulombs()));
            putU16(raw, p + 28, u16(c.complianceVolts()));
            putU16(raw, p + 30, u16(c.minLeaseMillis()));
            putU16(raw, p + 32, u16(c.maxLeaseMillis()));
            putU32(raw, p + 34, u32(c.maxArmMicroAmps()));
            putU16(raw, p + 38, u16(a.statusPeriodMillis()));
            putU32(raw, p + 40, u32(c.maxSlewMicroAmpsPerSecond()));
            putU32(raw, p + 44, u32(a.slewMicroAmpsPerSecond()));
            raw[p + 48] = (byte) u8(c.capabilities());
        } else if (m instanceof Message.Setpoint s) {
            raw[p] = (byte) ((s.enable() ? 1 : 0) | (s.reservedFlags() << 1 & 0xFE));
            raw[p + 1] = (byte) u8(s.waveformCode());
            putU32(raw, p + 2, u32(s.amplitudeMicroAmps()));
            putU16(raw, p + 6, u16(s.pulseWidthMicros()));
            putU16(raw, p + 8, u16(s.frequencyHz()));
            putU16(raw, p + 10, u16(s.leaseMillis()));
            if (frame.version() >= 2) {
                Pattern pt = s.pattern();
                putU32(raw, p + 12, u32(pt.burstPeriodMicros()));
                raw[p + 16] = (byte) u8(pt.pulsesPerTrain());
                raw[p + 17] = (byte) u8(pt.modulationCode());
                raw[p + 18] = (byte) u8(pt.depthPercent());
                putU32(raw, p + 20, u32(pt.modulationPeriodMillis()));
            }
        } else if (m instanceof Message.Heartbeat h) {
            putU16(raw, p, u16(h.leaseMillis()));
            putU16(raw, p + 2, u16(h.setpointSeq()));
        } else if (m instanceof Message.ClearFault) {
            // no payload
        } else if (m instanceof Message.Status s) {
            raw[p] = (byte) ((s.outputEnabled() ? 1 : 0) | (s.sessionOpen() ? 2 : 0));
            raw[p + 1] = (byte) u8(s.boardFaultBits());
            putU32(raw, p + 2, u32(s.measuredMicroAmps()));
            putU32(raw, p + 6, s.impedanceOhms() < 0 ? UNKNOWN_IMPEDANCE_WIRE : s.impedanceOhms());
            putU32(raw, p + 10, u32(s.appliedMicroAmps()));
            putU16(raw, p + 14, u16(s.leaseRemainingMs()));
            putU16(raw, p + 16, u16(s.lastSetpointSeq()));
            putU32(raw, p + 18, u32(s.bootCount()));
            putU32(raw, p + 22, s.uptimeMillis() & 0xFFFF_FFFFL);
        } else if (m instanceof Message.Ack a) {
            putU16(raw, p, u16(a.ackedSeq()));
            raw[p + 2] = (byte) u8(a.ackedType());
        } else if (m instanceof Message.Nack n) {
            putU16(raw, p, u16(n.nackedSeq()));
            raw[p + 2] = (byte) u8(n.nackedType());
            raw[p + 3] = (byte) u8(n.reasonCode());
        }
        int end = p + written;
        putU32(raw, end, crc(raw, 0, end));
        return end + CRC_LENGTH;
    }

    /** Why a delimited chunk of bytes is not a frame. */
    public enum Error { COBS, TOO_SHORT, TOO_LONG, CRC, UNKNOWN_TYPE, SHORT_PAYLOAD }

    /** Receives the outcome of decoding one delimited chunk. */
    public interface Sink {
        void frame(Frame frame);

        /**
         * A chunk that is not a frame. {@code type} and {@code seq} are meaningful (≥ 0) only for
         * {@link Error#UNKNOWN_TYPE} and {@link Error#SHORT_PAYLOAD}, whose CRC was good, so the
         * receiver can NACK them.
         */
        void error(Error error, int version, int type, int seq);
    }

    /**
     * Decodes one raw (already COBS-decoded) frame {@code raw[0..len)}. Never throws: malformed input
     * is reported to {@code sink.error}.
     */
    static void decodeRaw(byte[] raw, int len, Sink sink) {
        if (len < HEADER_LENGTH + CRC_LENGTH) {
            sink.error(Error.TOO_SHORT, -1, -1, -1);
            return;
        }
        if (len > MAX_RAW) {
            sink.error(Error.TOO_LONG, -1, -1, -1);
            return;
        }
        int body = len - CRC_LENGTH;
        if (crc(raw, 0, body) != getU32(raw, body)) {
            sink.error(Error.CRC, -1, -1, -1);
            return;
        }
        int version = raw[0] & 0xFF;
        int typeCode = raw[1] & 0xFF;
        int seq = getU16(raw, 2);
        MessageType type = MessageType.of(typeCode);
        if (type == null) {
            sink.error(Error.UNKNOWN_TYPE, version, typeCode, seq);
            return;
        }
        int payload = body - HEADER_LENGTH;
        if (payload < type.payloadLength(version)) {
            sink.error(Error.SHORT_PAYLOAD, version, typeCode, seq);
            return;
        }
        sink.frame(new Frame(version, seq, readMessage(type, version, raw, HEADER_LENGTH, payload)));
    }

    private static Message readMessage(MessageType type, int version, byte[] raw, int p, int payload) {
        return switch (type) {
            case HELLO -> new Message.Hello(raw[p] & 0xFF, raw[p + 1] & 0xFF, payload >= 6 ? sat(getU32(raw, p + 2)) : 0);
            case HELLO_ACK -> new Message.HelloAck(raw[p] & 0xFF, raw[p + 1] & 0xFF, raw[p + 2] & 0xFF, raw[p + 3] & 0xFF,
                    (int) getU32(raw, p + 4), sat(getU32(raw, p + 8)),
                    capsOrNull(raw, p, payload), getU16(raw, p + 38), payload >= 48 ? sat(getU32(raw, p + 44)) : 0);
            case SETPOINT -> new Message.Setpoint((raw[p] & 1) != 0, raw[p + 1] & 0xFF, sat(getU32(raw, p + 2)),
                    getU16(raw, p + 6), getU16(raw, p + 8), getU16(raw, p + 10), (raw[p] & 0xFE) >>> 1,
                    version >= 2 ? new Pattern(sat(getU32(raw, p + 12)), raw[p + 16] & 0xFF, raw[p + 17] & 0xFF,
                            raw[p + 18] & 0xFF, sat(getU32(raw, p + 20))) : Pattern.CONTINUOUS);
            case HEARTBEAT -> new Message.Heartbeat(getU16(raw, p), getU16(raw, p + 2));
            case CLEAR_FAULT -> new Message.ClearFault();
            case STATUS -> {
                long imp = getU32(raw, p + 6);
                yield new Message.Status((raw[p] & 1) != 0, (raw[p] & 2) != 0, raw[p + 1] & 0xFF,
                        sat(getU32(raw, p + 2)), imp == UNKNOWN_IMPEDANCE_WIRE ? StimStatus.IMPEDANCE_UNKNOWN : sat(imp),
                        sat(getU32(raw, p + 10)), getU16(raw, p + 14), getU16(raw, p + 16), sat(getU32(raw, p + 18)),
                        (int) getU32(raw, p + 22));
            }
            case ACK -> new Message.Ack(getU16(raw, p), raw[p + 2] & 0xFF);
            case NACK -> new Message.Nack(getU16(raw, p), raw[p + 2] & 0xFF, raw[p + 3] & 0xFF);
        };
    }

    /** Caps as sent by a board; {@code null} when the board sends an inconsistent set (the host then refuses the session). */
    private static BoardLogic.Caps capsOrNull(byte[] raw, int p, int payload) {
        try {
            return new BoardLogic.Caps(sat(getU32(raw, p + 12)), getU16(raw, p + 16), getU16(raw, p + 18),
                    getU16(raw, p + 20), getU16(raw, p + 22), sat(getU32(raw, p + 24)), getU16(raw, p + 28),
                    getU16(raw, p + 30), getU16(raw, p + 32), sat(getU32(raw, p + 34)),
                    payload >= 44 ? sat(getU32(raw, p + 40)) : 0, payload >= 49 ? raw[p + 48] & (BoardLogic.Caps.CAP_BURST | BoardLogic.Caps.CAP_MODULATION) : 0);  // unknown bits: features this host does not use
        } catch (IllegalArgumentException inconsistent) {
            return null;
        }
    }

    /** CRC-32C (Castagnoli), as the board's hardware CRC unit computes it. */
    static long crc(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        return crc.getValue();
    }

    private static int u8(int v) { return v < 0 || v > 0xFF ? 0xFF : v; }

    private static int u16(int v) { return v < 0 || v > 0xFFFF ? 0xFFFF : v; }

    private static long u32(int v) { return v < 0 ? 0xFFFF_FFFFL : v; }

    /** u32 from the wire into an int, saturating at Integer.MAX_VALUE (far outside every cap). */
    private static int sat(long v) { return v > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) v; }

    static void putU16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    static void putU32(byte[] b, int off, long v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    static int getU16(byte[] b, int off) { return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8; }

    static long getU32(byte[] b, int off) {
        return (b[off] & 0xFFL) | (b[off + 1] & 0xFFL) << 8 | (b[off + 2] & 0xFFL) << 16 | (b[off + 3] & 0xFFL) << 24;
    }
}
