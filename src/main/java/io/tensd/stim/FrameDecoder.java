package io.tensd.stim;

/**
 * Turns a byte stream in arbitrary chunks into frames. Resynchronises on every 0x00: bytes before a
 * delimiter that do not form a valid frame are counted and dropped, never passed on. Never throws
 * (a throwing sink is counted too, so a bug there cannot kill the reader thread). Not thread-safe:
 * one reader thread owns it; the counters may be read from any thread.
 */
public final class FrameDecoder {
    private final FrameCodec.Sink sink;
    private final byte[] encoded = new byte[FrameCodec.MAX_ENCODED];
    private final byte[] raw = new byte[FrameCodec.MAX_ENCODED];
    private int fill;
    private boolean overlong;

    private volatile long frames;
    private volatile long crcErrors;
    private volatile long malformed;
    private volatile long overlongChunks;
    private volatile long droppedBytes;
    private volatile long sinkFailures;

    public FrameDecoder(FrameCodec.Sink sink) { this.sink = sink; }

    public void accept(byte[] chunk, int off, int len) {
        if (chunk == null || off < 0 || len <= 0 || off > chunk.length - len) {
            return;
        }
        for (int i = off; i < off + len; i++) {
            byte b = chunk[i];
            if (b == 0) {
                endOfChunk();
            } else if (overlong) {
                droppedBytes++;
            } else if (fill == encoded.length) {
                overlong = true;
                overlongChunks++;
                droppedBytes += fill + 1;
                fill = 0;
            } else {
                encoded[fill++] = b;
            }
        }
    }

    /** Forget a partial frame, e.g. after the port was reopened. */
    public void clear() {
        droppedBytes += fill;
        fill = 0;
        overlong = false;
    }

    private void endOfChunk() {
        if (overlong) {
            overlong = false;
            return;
        }
        if (fill == 0) {
            return;     // empty chunk: consecutive delimiters are allowed (senders may prefix one)
        }
        int n = fill;
        fill = 0;
        int rawLen = Cobs.decode(encoded, n, raw);
        if (rawLen < 0) {
            malformed++;
            droppedBytes += n;
            report(FrameCodec.Error.COBS, -1, -1, -1);
            return;
        }
        FrameCodec.decodeRaw(raw, rawLen, counting);
        if (lastWasError) {
            droppedBytes += n;
        }
    }

    private boolean lastWasError;

    private final FrameCodec.Sink counting = new FrameCodec.Sink() {
        @Override
        public void frame(Frame frame) {
            lastWasError = false;
            frames++;
            try {
                sink.frame(frame);
            } catch (RuntimeException e) {
                sinkFailures++;
            }
        }

        @Override
        public void error(FrameCodec.Error error, int version, int type, int seq) {
            lastWasError = true;
            if (error == FrameCodec.Error.CRC) {
                crcErrors++;
            } else {
                malformed++;
            }
            report(error, version, type, seq);
        }
    };

    private void report(FrameCodec.Error error, int version, int type, int seq) {
        try {
            sink.error(error, version, type, seq);
        } catch (RuntimeException e) {
            sinkFailures++;
        }
    }

    /** Valid frames passed on. */
    public long frames() { return frames; }

    /** Delimited chunks whose CRC did not match. */
    public long crcErrors() { return crcErrors; }

    /** Delimited chunks that were not frames for another reason (bad COBS, too short, unknown type, short payload). */
    public long malformed() { return malformed; }

    /** Runs of bytes longer than any frame without a delimiter. */
    public long overlongChunks() { return overlongChunks; }

    /** Bytes thrown away as garbage. */
    public long droppedBytes() { return droppedBytes; }

    /** Exceptions the sink threw (a bug in the caller; counted so the reader survives). */
    public long sinkFailures() { return sinkFailures; }
}
