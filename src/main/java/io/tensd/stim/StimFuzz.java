package io.tensd.stim;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Fuzzes the reference board through its wire protocol: random frames of every type and both versions (seq 0,
 * reserved flags, patterns, out-of-range fields included), a share of them damaged (bytes flipped, cut short,
 * garbage between frames), fed in random chunks on a virtual clock with a HELLO now and then. After every chunk
 * the board's own rules are checked: output only within the caps and the charge cap, only under a running lease,
 * nothing accepted from a damaged frame, and every byte the board sends decodes as a valid frame. Pure: the
 * figures depend on the seed only. Run by {@code tensd bench stim-fuzz}; a small run is part of the tests.
 */
public final class StimFuzz {
    /** What a run found; {@link #violations} must be 0. */
    public record Result(long seed, long frames, long damaged, long garbageChunks, long accepted, long damagedAccepted,
                         long acks, Map<ReplyCode, Long> nacks, long boardFramesOut, long boardFrameErrors,
                         long sinkFailures, long violations, String firstViolation, long onMillis) {
        public String text() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                    "stim fuzz (seed %d): %d frames to the board (%d damaged, %d garbage chunks); %d decoded by the board,"
                            + " %d of them damaged ones; %d ACKs; board output on %d ms of virtual time;%n"
                            + "  board sent %d frames, %d of them undecodable; %d exceptions; %d rule violations%s%n  NACKs:",
                    seed, frames, damaged, garbageChunks, accepted, damagedAccepted, acks, onMillis, boardFramesOut,
                    boardFrameErrors, sinkFailures, violations, firstViolation == null ? "" : " (first: " + firstViolation + ")"));
            nacks.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
            return sb.append(System.lineSeparator()).toString();
        }
    }

    private StimFuzz() {}

    public static Result run(long seed, int frames) {
        Random r = new Random(seed);
        BoardLogic logic = new BoardLogic(BoardLogic.Caps.defaults(), seed);
        BoardLogic.Caps caps = logic.caps();
        long[] counts = new long[4];       // board frames out, undecodable, acks, sink failures
        Map<ReplyCode, Long> nacks = new EnumMap<>(ReplyCode.class);
        FrameDecoder hostSide = new FrameDecoder(new FrameCodec.Sink() {
            public void frame(Frame f) {
                counts[0]++;
                if (f.message() instanceof Message.Ack) {
                    counts[2]++;
                } else if (f.message() instanceof Message.Nack n) {
                    nacks.merge(n.reason() == null ? ReplyCode.UNKNOWN_TYPE : n.reason(), 1L, Long::sum);
                }
            }

            public void error(FrameCodec.Error e, int v, int t, int s) { counts[1]++; }
        });
        BoardEndpoint board = new BoardEndpoint(logic, BoardEndpoint.Firmware.emulator(), 10, 0,
                (w, n) -> hostSide.accept(w, 0, n));
        long now = 0;
        long damaged = 0;
        long garbage = 0;
        long violations = 0;
        long onMillis = 0;
        String first = null;
        long damagedAccepted = 0;
        for (int i = 0; i < frames; i++) {
            now += (1 + r.nextInt(5)) * 1_000_000L;
            Frame f = i % 200 == 0 ? new Frame(2, r.nextInt(65536), new Message.Hello(1, 1 + r.nextInt(3), r.nextInt(20_000)))
                    : randomFrame(r, caps);
            byte[] wire = r.nextInt(50) == 0 ? shortFrame(r) : FrameCodec.encode(f);
            if (r.nextInt(400) == 0) {
                logic.injectOvercurrent();      // the output stage trips now and then: FAULT_LATCHED paths
            }
            boolean hurt = r.nextInt(4) == 0;
            if (hurt) {
                damaged++;
                wire = damage(r, wire);
            }
            if (r.nextInt(20) == 0) {
                garbage++;
                byte[] g = new byte[r.nextInt(90)];
                r.nextBytes(g);
                feed(r, board, now, g);
            }
            long decodedBefore = board.decoder().frames();
            feed(r, board, now, wire);
            if (hurt && board.decoder().frames() > decodedBefore && !intact(wire, f)) {
                damagedAccepted++;
            }
            board.tick(now);
            String v = check(logic, caps, now);
            if (logic.outputEnabled(now)) {
                onMillis += 1;
            }
            if (v != null) {
                violations++;
                if (first == null) {
                    first = "frame " + i + ": " + v;
                }
            }
        }
        counts[3] = board.decoder().sinkFailures() + hostSide.sinkFailures();
        return new Result(seed, frames, damaged, garbage, board.decoder().frames(), damagedAccepted, counts[2], nacks,
                counts[0], counts[1], counts[3], violations, first, onMillis);
    }

    /** The board's own rules, checked from outside after every chunk. */
    private static String check(BoardLogic b, BoardLogic.Caps caps, long now) {
        if (!b.outputEnabled(now)) {
            return b.appliedAmplitudeMicroAmps(now) == 0 ? null : "off but driving " + b.appliedAmplitudeMicroAmps(now) + " µA";
        }
        int a = b.appliedAmplitudeMicroAmps(now);
        int w = b.appliedPulseWidthMicros();
        int hz = b.appliedFrequencyHz();
        if (a > caps.hardwareMaxMicroAmps() || w < caps.minPulseWidthMicros() || w > caps.maxPulseWidthMicros()
                || hz < caps.minFrequencyHz() || hz > caps.maxFrequencyHz()
                || (long) a * w > caps.maxChargeNanoCoulombs() * 1000L) {
            return "driving " + a + " µA × " + w + " µs at " + hz + " Hz, outside the caps";
        }
        if (!b.setpointInForce(now)) {
            return "output on with no setpoint in force";
        }
        return null;
    }

    /** Whether the damaged bytes still carry exactly the frame sent (a flip in a spot COBS/CRC ignore cannot happen). */
    private static boolean intact(byte[] wire, Frame f) { return Arrays.equals(wire, FrameCodec.encode(f)); }

    private static void feed(Random r, BoardEndpoint board, long now, byte[] bytes) {
        int off = 0;
        while (off < bytes.length) {
            int n = Math.min(bytes.length - off, 1 + r.nextInt(24));
            board.receive(now, bytes, off, n);
            off += n;
        }
    }

    /** A frame with a good CRC but a payload shorter than its type requires (BAD_LENGTH). */
    private static byte[] shortFrame(Random r) {
        int[] types = {0x01, 0x10, 0x11};
        byte[] raw = new byte[4 + 12 + 4];
        raw[0] = (byte) (1 + r.nextInt(2));
        raw[1] = (byte) types[r.nextInt(types.length)];
        raw[2] = (byte) (1 + r.nextInt(255));
        int len = 4 + r.nextInt(2);
        FrameCodec.putU32(raw, len, FrameCodec.crc(raw, 0, len));
        byte[] out = new byte[FrameCodec.MAX_WIRE];
        int n = Cobs.encode(raw, len + 4, out, 0);
        return Arrays.copyOf(out, n + 1);
    }

    private static byte[] damage(Random r, byte[] wire) {
        byte[] d = wire.clone();
        switch (r.nextInt(3)) {
            case 0 -> d[r.nextInt(d.length - 1)] ^= (byte) (1 + r.nextInt(255));
            case 1 -> {
                int a = r.nextInt(d.length - 1);
                d[a] ^= (byte) (1 + r.nextInt(255));
                d[r.nextInt(d.length - 1)] ^= (byte) (1 + r.nextInt(255));
            }
            default -> {
                d = Arrays.copyOf(d, 1 + r.nextInt(d.length - 1));
                d[d.length - 1] = 0;        // cut short and delimited
            }
        }
        return d;
    }

    private static Frame randomFrame(Random r, BoardLogic.Caps caps) {
        int version = 1 + r.nextInt(2);
        int seq = r.nextInt(8) == 0 ? 0 : r.nextInt(65536);
        Message m = switch (r.nextInt(10)) {
            case 0, 1, 2, 3 -> new Message.Setpoint(r.nextInt(5) != 0, r.nextInt(8) == 0 ? r.nextInt(256) : r.nextInt(2),
                    r.nextInt(3) == 0 ? r.nextInt(caps.maxArmMicroAmps() + 1) : r.nextInt(150_000), r.nextInt(700),
                    r.nextInt(260), r.nextInt(8) == 0 ? r.nextInt(70_000) : 5 + r.nextInt(300),
                    r.nextInt(16) == 0 ? 1 + r.nextInt(127) : 0,
                    r.nextBoolean() ? Pattern.CONTINUOUS : new Pattern(r.nextBoolean() ? 0 : r.nextInt(3_000_000), r.nextInt(30),
                            r.nextInt(5), r.nextInt(100), r.nextInt(30_000)));
            case 4, 5, 6 -> new Message.Heartbeat(5 + r.nextInt(300), r.nextInt(4) == 0 ? 0 : r.nextInt(65536));
            case 7 -> new Message.ClearFault();
            case 8 -> new Message.Hello(r.nextInt(4), r.nextInt(4), r.nextInt(50_000));
            default -> new Message.Ack(r.nextInt(65536), r.nextInt(256));      // a board-to-host type sent to the board
        };
        return new Frame(version, seq, m);
    }
}
