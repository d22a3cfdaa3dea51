package io.tensd.stim;

/**
 * Consistent Overhead Byte Stuffing: rewrites a frame so it contains no 0x00, which then delimits
 * frames on the wire. One overhead byte per 254 bytes of input, so the encoded size is bounded.
 */
final class Cobs {
    private Cobs() {}

    /** Largest encoded size of {@code n} input bytes (without the 0x00 delimiter). */
    static int maxEncodedLength(int n) { return n + n / 254 + 1; }

    /** Encodes {@code in[0..len)} into {@code out} at {@code outOff}; returns the encoded length (no delimiter). */
    static int encode(byte[] in, int len, byte[] out, int outOff) {
        int codeIndex = outOff;
        int write = outOff + 1;
        int code = 1;
        for (int i = 0; i < len; i++) {
            byte b = in[i];
            if (b == 0) {
                out[codeIndex] = (byte) code;
                codeIndex = write++;
                code = 1;
            } else {
                out[write++] = b;
                code++;
                if (code == 0xFF) {
                    out[codeIndex] = (byte) code;
                    codeIndex = write++;
                    code = 1;
                }
            }
        }
        out[codeIndex] = (byte) code;
        return write - outOff;
    }

    /**
     * Decodes {@code in[0..len)} (no delimiter) into {@code out}; returns the decoded length, or -1 when
     * the input is not valid COBS (a zero byte, or a code that runs past the end). Never throws for
     * {@code out.length >= len}.
     */
    static int decode(byte[] in, int len, byte[] out) {
        int read = 0;
        int write = 0;
        while (read < len) {
            int code = in[read++] & 0xFF;
            if (code == 0 || read + code - 1 > len) {
                return -1;
            }
            for (int i = 1; i < code; i++) {
                byte b = in[read++];
                if (b == 0) {
                    return -1;
                }
                out[write++] = b;
            }
            if (code != 0xFF && read < len) {
                out[write++] = 0;
            }
        }
        return write;
    }
}
