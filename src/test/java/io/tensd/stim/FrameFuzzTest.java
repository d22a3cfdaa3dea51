package io.tensd.stim;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded fuzzing of the streaming decoder: valid frames, mutated frames and garbage in random chunk
 * sizes. Properties: nothing escapes as an exception; every frame the decoder passes on is one that
 * was sent, in order (no corrupted frame accepted); every frame that arrived intact after a delimiter
 * is recovered (resync works). Set -Dstim.fuzz.seed=N to replay a failure.
 */
class FrameFuzzTest {
    private static final int FRAMES = 120_000;

    @Test
    void mutatedStreamsNeverYieldACorruptedFrameAndIntactFramesAreRecovered() {
        long seed = Long.getLong("stim.fuzz.seed", new Random().nextLong());
        try {
            run(seed);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("seed " + seed + " (replay with -Dstim.fuzz.seed=" + seed + "): " + e.getMessage(), e);
        }
    }

    private static void run(long seed) {
        Random r = new Random(seed);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<Frame> sent = new ArrayList<>(FRAMES);
        List<Boolean> recoverable = new ArrayList<>(FRAMES);
        int mutated = 0;
        boolean lastByteWasDelimiter = true;
        for (int i = 0; i < FRAMES; i++) {
            if (r.nextInt(10) == 0) {
                byte[] garbage = garbage(r);
                stream.write(garbage, 0, garbage.length);
                if (garbage.length > 0) {
                    lastByteWasDelimiter = garbage[garbage.length - 1] == 0;
                }
            }
            Frame f = FrameCodecTest.randomFrame(r, i & 0xFFFF);
            byte[] wire = FrameCodec.encode(f);
            byte[] out = wire;
            if (r.nextBoolean()) {
                out = mutate(r, wire);
                if (!Arrays.equals(out, wire)) {
                    mutated++;
                }
            }
            sent.add(f);
            recoverable.add(lastByteWasDelimiter && Arrays.equals(out, wire));
            stream.write(out, 0, out.length);
            if (out.length > 0) {
                lastByteWasDelimiter = out[out.length - 1] == 0;
            }
        }
        byte[] all = stream.toByteArray();

        List<Frame> got = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder(new FrameCodec.Sink() {
            public void frame(Frame frame) { got.add(frame); }

            public void error(FrameCodec.Error error, int version, int type, int seq) { }
        });
        int pos = 0;
        while (pos < all.length) {
            int n = Math.min(all.length - pos, 1 + r.nextInt(r.nextBoolean() ? 8 : 400));
            decoder.accept(all, pos, n);
            pos += n;
        }

        // every decoded frame matches a sent frame, in order
        int j = 0;
        boolean[] matched = new boolean[sent.size()];
        for (Frame f : got) {
            while (j < sent.size() && !sent.get(j).equals(f)) {
                j++;
            }
            if (j == sent.size()) {
                fail("accepted a frame that was never sent: " + f);
            }
            matched[j++] = true;
        }
        int lost = 0;
        for (int i = 0; i < sent.size(); i++) {
            if (recoverable.get(i) && !matched[i]) {
                lost++;
            }
        }
        assertEquals(0, lost, "intact frames after a delimiter that were not recovered");
        long rejected = decoder.crcErrors() + decoder.malformed() + decoder.overlongChunks();
        assertTrue(mutated > FRAMES / 3, "mutated " + mutated);
        assertTrue(rejected > 0 && decoder.droppedBytes() > 0);
        assertEquals(got.size(), decoder.frames());
        System.out.printf("fuzz seed %d: %d frames sent (%d mutated), %d accepted, %d CRC errors, %d malformed, "
                        + "%d overlong, %d bytes dropped%n", seed, FRAMES, mutated, got.size(), decoder.crcErrors(),
                decoder.malformed(), decoder.overlongChunks(), decoder.droppedBytes());
    }

    @Test
    void pureGarbageNeverYieldsAFrame() {
        long seed = Long.getLong("stim.fuzz.seed", new Random().nextLong());
        Random r = new Random(seed);
        byte[] noise = new byte[2_000_000];
        r.nextBytes(noise);
        for (int i = 0; i < noise.length; i++) {
            if (r.nextInt(40) == 0) {
                noise[i] = 0;   // frequent delimiters, so most chunks are frame-sized
            }
        }
        long[] frames = {0};
        FrameDecoder decoder = new FrameDecoder(new FrameCodec.Sink() {
            public void frame(Frame frame) { frames[0]++; }

            public void error(FrameCodec.Error error, int version, int type, int seq) { }
        });
        int pos = 0;
        while (pos < noise.length) {
            int n = Math.min(noise.length - pos, 1 + r.nextInt(300));
            decoder.accept(noise, pos, n);
            pos += n;
        }
        assertEquals(0, frames[0], "seed " + seed);
        assertTrue(decoder.crcErrors() + decoder.malformed() > 10_000, "seed " + seed + " rejected " + (decoder.crcErrors() + decoder.malformed()));
    }

    private static byte[] garbage(Random r) {
        byte[] g = new byte[r.nextInt(120)];
        r.nextBytes(g);
        if (r.nextBoolean() && g.length > 0) {
            g[g.length - 1] = 0;
        }
        return g;
    }

    /** One to three damaging edits: bit flips, byte changes, insertions, deletions, truncation, lost or extra delimiters. */
    private static byte[] mutate(Random r, byte[] wire) {
        byte[] b = wire.clone();
        int edits = 1 + r.nextInt(3);
        for (int e = 0; e < edits && b.length > 0; e++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(7)) {
                case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[at] = (byte) r.nextInt(256);
                case 2 -> b = insert(b, at, (byte) r.nextInt(256));
                case 3 -> b = delete(b, at);
                case 4 -> b = Arrays.copyOf(b, at);                       // truncated mid-frame
                case 5 -> b = insert(b, at, (byte) 0);                    // spurious delimiter
                default -> b = Arrays.copyOf(b, b.length - 1);            // lost delimiter: merges with the next frame
            }
        }
        return b;
    }

    private static byte[] insert(byte[] b, int at, byte v) {
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, at);
        out[at] = v;
        System.arraycopy(b, at, out, at + 1, b.length - at);
        return out;
    }

    private static byte[] delete(byte[] b, int at) {
        byte[] out = new byte[b.length - 1];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + 1, out, at, b.length - at - 1);
        return out;
    }
}
