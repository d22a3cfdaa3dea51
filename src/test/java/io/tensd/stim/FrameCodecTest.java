package io.tensd.stim;

import io.tensd.hw.StimStatus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameCodecTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    /** Decodes a whole wire buffer, collecting frames and errors. */
    static final class Collector implements FrameCodec.Sink {
        final List<Frame> frames = new ArrayList<>();
        final List<FrameCodec.Error> errors = new ArrayList<>();

        @Override
        public void frame(Frame frame) { frames.add(frame); }

        @Override
        public void error(FrameCodec.Error error, int version, int type, int seq) { errors.add(error); }
    }

    static Frame randomFrame(Random r, int seq) {
        Message m = switch (r.nextInt(8)) {
            case 0 -> new Message.Hello(r.nextInt(256), r.nextInt(256));
            case 1 -> new Message.HelloAck(r.nextInt(256), r.nextInt(256), r.nextInt(256), r.nextInt(256), r.nextInt(),
                    r.nextInt(Integer.MAX_VALUE), BoardLogic.Caps.defaults(), r.nextInt(65536));
            case 2 -> new Message.Setpoint(r.nextBoolean(), r.nextInt(256), r.nextInt(Integer.MAX_VALUE), r.nextInt(65536),
                    r.nextInt(65536), r.nextInt(65536));
            case 3 -> new Message.Heartbeat(r.nextInt(65536), r.nextInt(65536));
            case 4 -> new Message.ClearFault();
            case 5 -> new Message.Status(r.nextBoolean(), r.nextBoolean(), r.nextInt(256), r.nextInt(Integer.MAX_VALUE),
                    r.nextInt(10) == 0 ? StimStatus.IMPEDANCE_UNKNOWN : r.nextInt(Integer.MAX_VALUE),
                    r.nextInt(Integer.MAX_VALUE), r.nextInt(65536), r.nextInt(65536), r.nextInt(Integer.MAX_VALUE), r.nextInt());
            case 6 -> new Message.Ack(r.nextInt(65536), r.nextInt(256));
            default -> new Message.Nack(r.nextInt(65536), r.nextInt(256), r.nextInt(256));
        };
        return new Frame(r.nextInt(256), seq, m);
    }

    @Test
    void crcIsCrc32cWithTheStandardCheckValue() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0xE3069283L, FrameCodec.crc(check, 0, check.length));
    }

    @Test
    void cobsMatchesTheReferenceVectors() {
        assertCobs("00", "01 01");
        assertCobs("00 00", "01 01 01");
        assertCobs("11 22 00 33", "03 11 22 02 33");
        assertCobs("11 00 00 00", "02 11 01 01 01");
        byte[] run = new byte[254];
        for (int i = 0; i < run.length; i++) {
            run[i] = (byte) (i + 1);
        }
        byte[] enc = new byte[Cobs.maxEncodedLength(run.length)];
        int n = Cobs.encode(run, run.length, enc, 0);
        assertEquals(256, n);
        assertEquals((byte) 0xFF, enc[0]);
        assertEquals(1, enc[255]);
        byte[] dec = new byte[n];
        assertEquals(254, Cobs.decode(enc, n, dec));
    }

    private static void assertCobs(String plainHex, String encodedHex) {
        byte[] plain = HEX.parseHex(plainHex);
        byte[] out = new byte[Cobs.maxEncodedLength(plain.length)];
        int n = Cobs.encode(plain, plain.length, out, 0);
        assertEquals(encodedHex, HEX.formatHex(out, 0, n));
        byte[] back = new byte[n];
        int m = Cobs.decode(out, n, back);
        assertEquals(plainHex, HEX.formatHex(back, 0, m));
    }

    /**
     * The worked example in hardware/stimulator-protocol.md (expected bytes computed independently with a
     * bitwise CRC-32C and COBS in Python); if this fails, fix the document too.
     */
    @Test
    void theDocumentedExampleFrameIsWhatTheCodecWrites() {
        Frame f = new Frame(1, 7, new Message.Setpoint(true, 0, 20_000, 200, 80, 100));
        byte[] raw = new byte[FrameCodec.MAX_RAW];
        int n = FrameCodec.writeRaw(f, raw);
        assertEquals("01 10 07 00 01 00 20 4e 00 00 c8 00 50 00 64 00 92 2e c5 f6", HEX.formatHex(raw, 0, n));
        assertEquals("04 01 10 07 02 01 03 20 4e 01 02 c8 02 50 02 64 05 92 2e c5 f6 00", HEX.formatHex(FrameCodec.encode(f)));

        Frame hb = new Frame(1, 8, new Message.Heartbeat(100, 7));
        assertEquals("04 01 11 08 02 64 02 07 05 06 b2 86 2c 00", HEX.formatHex(FrameCodec.encode(hb)));
    }

    @Test
    void everyMessageTypeSurvivesARoundTrip() {
        long seed = new Random().nextLong();
        Random r = new Random(seed);
        for (int i = 0; i < 20_000; i++) {
            Frame f = randomFrame(r, r.nextInt(65536));
            Collector c = new Collector();
            new FrameDecoder(c).accept(FrameCodec.encode(f), 0, FrameCodec.encode(f).length);
            assertEquals(List.of(f), c.frames, "seed " + seed + " frame " + f);
            assertTrue(FrameCodec.encode(f).length <= FrameCodec.MAX_WIRE);
        }
    }

    @Test
    void outOfRangeFieldsSaturateSoTheBoardRefusesThemInsteadOfWrapping() {
        Frame f = new Frame(1, 1, new Message.Setpoint(true, 0, -5, 65_536 + 200, -1, 70_000));
        Collector c = new Collector();
        byte[] wire = FrameCodec.encode(f);
        new FrameDecoder(c).accept(wire, 0, wire.length);
        Message.Setpoint s = (Message.Setpoint) c.frames.get(0).message();
        assertEquals(Integer.MAX_VALUE, s.amplitudeMicroAmps());
        assertEquals(0xFFFF, s.pulseWidthMicros());
        assertEquals(0xFFFF, s.frequencyHz());
        assertEquals(0xFFFF, s.leaseMillis());
        BoardLogic board = new BoardLogic(BoardLogic.Caps.defaults());
        assertEquals(ReplyCode.BAD_AMPLITUDE, board.setpoint(0, true, s.amplitudeMicroAmps(), 200, 80, 100));
    }

    @Test
    void aValidCrcWithAnUnknownTypeOrShortPayloadIsReportedWithItsHeaderForANack() {
        byte[] raw = {1, 0x7E, 5, 0, 0, 0, 0, 0};
        FrameCodec.putU32(raw, 4, FrameCodec.crc(raw, 0, 4));
        List<String> got = new ArrayList<>();
        FrameCodec.decodeRaw(raw, raw.length, new FrameCodec.Sink() {
            public void frame(Frame frame) { got.add("frame"); }

            public void error(FrameCodec.Error error, int version, int type, int seq) {
                got.add(error + " " + version + " " + type + " " + seq);
            }
        });
        assertEquals(List.of("UNKNOWN_TYPE 1 126 5"), got);

        byte[] shortSetpoint = {1, 0x10, 9, 0, 1, 0, 0, 0, 0, 0};
        FrameCodec.putU32(shortSetpoint, 6, FrameCodec.crc(shortSetpoint, 0, 6));
        got.clear();
        FrameCodec.decodeRaw(shortSetpoint, shortSetpoint.length, new FrameCodec.Sink() {
            public void frame(Frame frame) { got.add("frame"); }

            public void error(FrameCodec.Error error, int version, int type, int seq) { got.add(error + " " + seq); }
        });
        assertEquals(List.of("SHORT_PAYLOAD 9"), got);
    }

    @Test
    void trailingBytesFromANewerMinorVersionAreIgnored() {
        byte[] raw = new byte[FrameCodec.MAX_RAW];
        int n = FrameCodec.writeRaw(new Frame(1, 3, new Message.Heartbeat(100, 2)), raw);
        byte[] longer = new byte[n + 3];
        System.arraycopy(raw, 0, longer, 0, n - 4);
        longer[n - 4] = 9;
        longer[n - 3] = 9;
        longer[n - 2] = 9;
        FrameCodec.putU32(longer, n - 1, FrameCodec.crc(longer, 0, n - 1));
        Collector c = new Collector();
        FrameCodec.decodeRaw(longer, longer.length, c);
        assertEquals(List.of(new Frame(1, 3, new Message.Heartbeat(100, 2))), c.frames);
    }

    @Test
    void partialFramesAcrossChunksAndLeadingGarbageAreHandled() {
        Frame a = new Frame(1, 1, new Message.Heartbeat(100, 1));
        Frame b = new Frame(1, 2, new Message.Ack(1, 0x10));
        byte[] wa = FrameCodec.encode(a);
        byte[] wb = FrameCodec.encode(b);
        byte[] stream = new byte[3 + wa.length + wb.length];
        stream[0] = 0x55;   // boot-ROM chatter, then a delimiter
        stream[1] = 0x13;
        stream[2] = 0;
        System.arraycopy(wa, 0, stream, 3, wa.length);
        System.arraycopy(wb, 0, stream, 3 + wa.length, wb.length);
        Collector c = new Collector();
        FrameDecoder d = new FrameDecoder(c);
        for (byte x : stream) {
            d.accept(new byte[]{x}, 0, 1);
        }
        assertEquals(List.of(a, b), c.frames);
        assertEquals(1, d.malformed() + d.crcErrors());
    }

    @Test
    void aSinkThatThrowsIsCountedAndDecodingGoesOn() {
        FrameDecoder d = new FrameDecoder(new FrameCodec.Sink() {
            public void frame(Frame frame) { throw new IllegalStateException("bug in the caller"); }

            public void error(FrameCodec.Error error, int version, int type, int seq) { }
        });
        byte[] w = FrameCodec.encode(new Frame(1, 1, new Message.ClearFault()));
        d.accept(w, 0, w.length);
        d.accept(w, 0, w.length);
        assertEquals(2, d.sinkFailures());
        assertEquals(2, d.frames());
    }
}
