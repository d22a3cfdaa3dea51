package io.tensd.stim;

/**
 * One protocol frame: header (version, type from the message, sequence number) and message.
 *
 * @param version protocol version the frame is written in
 * @param seq     the sender's sequence number, 1..65535 then wrapping to 1 (0 means "none" in fields that refer to one)
 */
public record Frame(int version, int seq, Message message) {
    public Frame {
        if (version < 0 || version > 0xFF || seq < 0 || seq > 0xFFFF) {
            throw new IllegalArgumentException("header out of range: version " + version + " seq " + seq);
        }
    }

    /** The sequence number after {@code seq}, skipping 0. */
    public static int nextSeq(int seq) { return seq >= 0xFFFF ? 1 : seq + 1; }
}
