package io.tensd.stim;

import io.tensd.hw.BoardFault;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One test per rule of hardware/stimulator-protocol.md §4.8 ("rules a board must follow"), at the wire: frames in,
 * frames out, through the reference board ({@link BoardEndpoint} + {@link BoardLogic}). The rule number in each
 * test name is the one in the document.
 */
class BoardConformanceTest {
    private static final long MS = 1_000_000L;

    private final BoardLogic logic = new BoardLogic(BoardLogic.Caps.defaults(), 3);
    private final List<Frame> out = new ArrayList<>();
    private final FrameDecoder hostSide = new FrameDecoder(new FrameCodec.Sink() {
        public void frame(Frame frame) { out.add(frame); }

        public void error(FrameCodec.Error error, int version, int type, int seq) { throw new AssertionError(error); }
    });
    private BoardEndpoint board = new BoardEndpoint(logic, BoardEndpoint.Firmware.emulator(), 10, 0,
            (w, n) -> hostSide.accept(w, 0, n));
    private int version = 1;

    private void send(long t, int seq, Message m) { send(t, version, seq, m); }

    private void send(long t, int v, int seq, Message m) {
        byte[] w = FrameCodec.encode(new Frame(v, seq, m));
        board.receive(t, w, 0, w.length);
    }

    private void sendRaw(long t, byte[] raw, int len) {
        FrameCodec.putU32(raw, len, FrameCodec.crc(raw, 0, len));
        byte[] enc = new byte[FrameCodec.MAX_WIRE + 8];
        int n = Cobs.encode(raw, len + 4, enc, 0);
        enc[n] = 0;
        board.receive(t, enc, 0, n + 1);
    }

    private Message.HelloAck hello(long t, int min, int max, int slew) {
        send(t, max, 100, new Message.Hello(min, max, slew));
        Message.HelloAck ack = assertInstanceOf(Message.HelloAck.class, out.get(out.size() - 2).message());
        version = ack.version();
        return ack;
    }

    private Message last() { return out.get(out.size() - 1).message(); }

    private Message beforeLast() { return out.get(out.size() - 2).message(); }

    private Message.Status lastStatus() {
        for (int i = out.size() - 1; i >= 0; i--) {
            if (out.get(i).message() instanceof Message.Status s) {
                return s;
            }
        }
        throw new AssertionError("no STATUS");
    }

    private static Message.Setpoint on(int microAmps) { return new Message.Setpoint(true, 0, microAmps, 200, 80, 100); }

    private void armAt(long t, int seq, int microAmps) {
        send(t, seq, on(0));
        send(t, seq + 1, on(microAmps));
        assertEquals(microAmps, logic.appliedAmplitudeMicroAmps(t));
    }

    @Test
    void rule1_everyAnswerToSetpointOrClearFaultIsFollowedByAStatusNoSessionIncluded() {
        send(0, 1, on(0));
        assertEquals(new Message.Nack(1, 0x10, ReplyCode.NO_SESSION.code()), beforeLast());
        assertInstanceOf(Message.Status.class, last());
        send(0, 2, new Message.ClearFault());
        assertEquals(ReplyCode.NO_SESSION.code(), ((Message.Nack) beforeLast()).reasonCode());
        assertInstanceOf(Message.Status.class, last());
        int before = out.size();
        send(0, 3, new Message.Heartbeat(100, 1));
        assertEquals(before + 1, out.size(), "a HEARTBEAT gets its NACK only");
        hello(MS, 1, 1, 0);
        send(MS, 4, new Message.Setpoint(true, 0, 200_000, 200, 80, 100));      // refused by a cap
        assertEquals(ReplyCode.BAD_AMPLITUDE.code(), ((Message.Nack) beforeLast()).reasonCode());
        assertInstanceOf(Message.Status.class, last());
        send(MS, 1, 5, on(0));      // right version? v1 session, so yes; now a wrong one
        send(MS, 2, 6, on(0));
        assertEquals(ReplyCode.BAD_VERSION.code(), ((Message.Nack) beforeLast()).reasonCode());
        assertInstanceOf(Message.Status.class, last());
    }

    @Test
    void rule2_anEnablingSetpointWithSeqZeroIsRefusedADisablingOneIsObeyed() {
        hello(0, 1, 1, 0);
        armAt(0, 1, 1_000);
        send(MS, 0, on(1_000));
        assertEquals(new Message.Nack(0, 0x10, ReplyCode.BAD_SEQ.code()), beforeLast());
        assertFalse(logic.outputEnabled(MS), "refused like any refusal: output zeroed");
        assertTrue(lastStatus().boardFaultBits() != 0);
        send(2 * MS, 0, new Message.Setpoint(false, 0, 0, 0, 0, 100));
        assertEquals(new Message.Ack(0, 0x10), beforeLast());
        assertEquals(0, lastStatus().lastSetpointSeq(), "no HEARTBEAT can name seq 0");
    }

    @Test
    void rule3_aHeartbeatAfterTheLeaseRanOutIsNackedAndRenewsNothing() {
        hello(0, 1, 1, 0);
        armAt(0, 1, 1_000);
        board.tick(150 * MS);
        assertFalse(logic.outputEnabled(150 * MS));
        assertEquals(0, lastStatus().lastSetpointSeq(), "the cut ended the setpoint in force");
        send(151 * MS, 3, new Message.Heartbeat(100, 2));
        assertEquals(new Message.Nack(3, 0x11, ReplyCode.STALE_SETPOINT.code()), last());
        board.tick(160 * MS);
        assertEquals(0, lastStatus().leaseRemainingMs(), "no lease runs while output is off after a cut");
        assertFalse(lastStatus().outputEnabled());
    }

    @Test
    void rule4_aHeartbeatNamingSeqZeroIsStale() {
        hello(0, 1, 1, 0);
        send(0, 1, new Message.Setpoint(false, 0, 0, 0, 0, 100));
        send(MS, 2, new Message.Heartbeat(100, 0));
        assertEquals(new Message.Nack(2, 0x11, ReplyCode.STALE_SETPOINT.code()), last());
    }

    @Test
    void rule5_aHeartbeatForADisablingSetpointRenewsItsLeaseAndLeavesOutputOff() {
        hello(0, 1, 1, 0);
        send(0, 1, new Message.Setpoint(false, 0, 0, 0, 0, 100));
        int before = out.size();
        send(90 * MS, 2, new Message.Heartbeat(100, 1));
        assertEquals(before, out.size(), "accepted: no answer");
        board.tick(150 * MS);
        assertEquals(40, lastStatus().leaseRemainingMs());
        assertFalse(lastStatus().outputEnabled());
        assertEquals(0, lastStatus().boardFaultBits());
    }

    @Test
    void rule6_reservedSetpointFlagsAreRefusedWhateverTheEnableBit() {
        hello(0, 1, 1, 0);
        armAt(0, 1, 1_000);
        send(MS, 3, new Message.Setpoint(false, 0, 0, 0, 0, 100, 0x01, Pattern.CONTINUOUS));
        assertEquals(new Message.Nack(3, 0x10, ReplyCode.BAD_FLAGS.code()), beforeLast());
        assertFalse(logic.outputEnabled(MS));
        assertTrue((lastStatus().boardFaultBits() & BoardFault.SETPOINT_REJECTED.bit()) != 0);
    }

    @Test
    void rule7_leaseRemainingIsZeroWhileNoLeaseRuns() {
        board.tick(0);
        assertEquals(0, lastStatus().leaseRemainingMs(), "after boot");
        hello(MS, 1, 1, 0);
        assertEquals(0, lastStatus().leaseRemainingMs(), "after HELLO");
        send(MS, 1, new Message.Setpoint(false, 0, 0, 0, 0, 30));
        board.tick(40 * MS);
        assertEquals(0, lastStatus().leaseRemainingMs(), "after expiry");
    }

    @Test
    void rule8_badLeaseOnASetpointZeroesOutputOnAHeartbeatItLeavesOutputAsItIs() {
        hello(0, 1, 1, 0);
        armAt(0, 1, 1_000);
        send(MS, 3, new Message.Heartbeat(5_000, 2));
        assertEquals(new Message.Nack(3, 0x11, ReplyCode.BAD_LEASE.code()), last());
        assertTrue(logic.outputEnabled(MS), "a refused heartbeat changes no output; the lease runs out as it would");
        send(2 * MS, 4, new Message.Setpoint(true, 0, 1_000, 200, 80, 5_000));
        assertEquals(ReplyCode.BAD_LEASE.code(), ((Message.Nack) beforeLast()).reasonCode());
        assertFalse(logic.outputEnabled(2 * MS));
        assertTrue((lastStatus().boardFaultBits() & BoardFault.SETPOINT_REJECTED.bit()) != 0);
    }

    @Test
    void rule9_notArmedSetsSetpointRejected() {
        hello(0, 1, 1, 0);
        send(0, 1, on(30_000));
        assertEquals(ReplyCode.NOT_ARMED.code(), ((Message.Nack) beforeLast()).reasonCode());
        assertEquals(BoardFault.SETPOINT_REJECTED.bit(), lastStatus().boardFaultBits());
    }

    /** Each row breaks two checks; the one earlier in §4.8's order is the one reported. */
    @Test
    void rule10_setpointChecksRunInOneOrder() {
        record Row(ReplyCode expected, int seq, int flags, boolean enable, int wf, int amp, int pw, int hz, int lease,
                   boolean latched, boolean on) { }
        List<Row> rows = List.of(
                new Row(ReplyCode.BAD_FLAGS, 5, 2, true, 0, 1_000, 200, 80, 5_000, false, false),
                new Row(ReplyCode.BAD_LEASE, 0, 0, true, 9, 1_000, 200, 80, 5_000, false, false),
                new Row(ReplyCode.BAD_SEQ, 0, 0, true, 9, 1_000, 200, 80, 100, false, false),
                new Row(ReplyCode.BAD_WAVEFORM, 5, 0, true, 9, 200_000, 200, 80, 100, false, false),
                new Row(ReplyCode.BAD_AMPLITUDE, 5, 0, true, 0, 200_000, 5, 80, 100, false, false),
                new Row(ReplyCode.BAD_PULSE_WIDTH, 5, 0, true, 0, 1_000, 5, 900, 100, false, false),
                new Row(ReplyCode.BAD_FREQUENCY, 5, 0, true, 0, 90_000, 500, 900, 100, false, false),
                new Row(ReplyCode.BAD_CHARGE, 5, 0, true, 0, 90_000, 500, 80, 100, true, false),
                new Row(ReplyCode.FAULT_LATCHED, 5, 0, true, 0, 30_000, 200, 80, 100, true, false),
                new Row(ReplyCode.NOT_ARMED, 5, 0, true, 0, 30_000, 200, 80, 100, false, false),
                new Row(ReplyCode.BAD_SLEW, 5, 0, true, 0, 30_000, 200, 80, 100, false, true));
        for (Row r : rows) {
            BoardLogic b = new BoardLogic(BoardLogic.Caps.defaults(), 1);
            if (r.on) {
                assertEquals(ReplyCode.OK, b.setpoint(0, 1, 0, true, 2_000, 200, 80, Waveform.SYMMETRIC_BIPHASIC,
                        Pattern.CONTINUOUS, 100));
            }
            if (r.latched) {
                b.injectOvercurrent();
            }
            assertEquals(r.expected, b.setpoint(MS, r.seq, r.flags, r.enable, r.amp, r.pw, r.hz, Waveform.of(r.wf),
                    Pattern.CONTINUOUS, r.lease), r.toString());
            assertFalse(b.outputEnabled(MS), "every refusal zeroes output: " + r);
            assertTrue((b.faultBits(MS) & BoardFault.SETPOINT_REJECTED.bit()) != 0, "and sets SETPOINT_REJECTED: " + r);
        }
    }

    @Test
    void rule11_headerChecksRunInOneOrder() {
        byte[] raw = new byte[FrameCodec.MAX_RAW + 8];
        // unknown type beats a short payload
        raw[0] = 1; raw[1] = 0x33; raw[2] = 7;
        sendRaw(0, raw, 4);
        assertEquals(new Message.Nack(7, 0x33, ReplyCode.UNKNOWN_TYPE.code()), last());
        // a short payload beats the missing session
        raw[1] = 0x10; raw[2] = 8;
        sendRaw(0, raw, 4 + 3);
        assertEquals(new Message.Nack(8, 0x10, ReplyCode.BAD_LENGTH.code()), beforeLast());
        // the missing session beats a wrong version
        send(0, 7, 9, on(0));
        assertEquals(new Message.Nack(9, 0x10, ReplyCode.NO_SESSION.code()), beforeLast());
        // a board-to-host type is UNKNOWN_TYPE, session or not
        send(0, 10, new Message.Ack(1, 0x10));
        assertEquals(new Message.Nack(10, 0x21, ReplyCode.UNKNOWN_TYPE.code()), last());
        // a v2 SETPOINT shorter than v2 requires (v1's 12 bytes) is BAD_LENGTH in a v2 session
        hello(MS, 1, 2, 0);
        raw[0] = 2; raw[1] = 0x10; raw[2] = 11;
        sendRaw(MS, raw, 4 + 12);
        assertEquals(new Message.Nack(11, 0x10, ReplyCode.BAD_LENGTH.code()), beforeLast());
    }

    @Test
    void rule12_thereIsNoInterByteTimeout() {
        hello(0, 1, 1, 0);
        byte[] w = FrameCodec.encode(new Frame(1, 1, new Message.Setpoint(false, 0, 0, 0, 0, 100)));
        for (int i = 0; i < w.length; i++) {
            board.receive(i * 500 * MS, w, i, 1);     // one byte every half second
        }
        assertEquals(new Message.Ack(1, 0x10), beforeLast());
    }

    @Test
    void rule13_slewAboveThePeakIsRefusedAndHelloSetsItWithinTheBoardsMaximum() {
        assertEquals(10_000, hello(0, 1, 1, 50_000).slewMicroAmpsPerSecond(), "capped by the board's own maximum");
        assertEquals(2_000, hello(0, 1, 1, 2_000).slewMicroAmpsPerSecond());
        assertEquals(10_000, hello(0, 1, 1, 0).slewMicroAmpsPerSecond(), "0 asks for the board's maximum");
        send(MS, 1, on(2_000));
        send(2 * MS, 2, on(30_000));
        assertEquals(new Message.Nack(2, 0x10, ReplyCode.BAD_SLEW.code()), beforeLast(), "2 → 30 mA at once");
        assertFalse(logic.outputEnabled(2 * MS));
        // a ramp at the slew rate is accepted all the way, and the level may return at once to its peak
        send(3 * MS, 3, on(0));
        long t = 3 * MS;
        int seq = 4;
        for (int a = 100; a <= 20_000; a += 100, t += 10 * MS) {       // 10 mA/s
            send(t, seq++, on(a));
            assertTrue(logic.outputEnabled(t), "ramp refused at " + a + " µA: " + last());
        }
        send(t, seq++, on(0));
        send(t + 10 * MS, seq++, on(20_000));
        assertEquals(20_000, logic.appliedAmplitudeMicroAmps(t + 10 * MS), "back to the peak (a burst train edge)");
        send(t + 20 * MS, seq, on(25_000));
        assertEquals(ReplyCode.BAD_SLEW.code(), ((Message.Nack) beforeLast()).reasonCode(), "5 mA above the peak at once");
    }

    @Test
    void rule14_versionTwoIsNegotiatedOnlyWithABoardThatSpeaksIt() {
        Message.HelloAck v2 = hello(0, 1, 2, 0);
        assertEquals(2, v2.version());
        assertEquals(BoardLogic.Caps.CAP_BURST | BoardLogic.Caps.CAP_MODULATION, v2.caps().capabilities());
        send(MS, 1, new Message.Setpoint(true, 0, 1_000, 200, 80, 100, 0, Pattern.burst(2, 8)));
        assertEquals(new Message.Ack(1, 0x10), beforeLast());
        assertEquals(Pattern.burst(2, 8), logic.pattern());

        BoardLogic v1Logic = new BoardLogic(BoardLogic.Caps.defaults(), 3);
        board = new BoardEndpoint(v1Logic, BoardEndpoint.Firmware.emulator(), 10, 0, (w, n) -> hostSide.accept(w, 0, n), 1);
        Message.HelloAck v1 = hello(0, 1, 2, 0);
        assertEquals(1, v1.version());
        assertEquals(0, v1.caps().capabilities(), "a v1 session offers no board-timed patterns");
    }

    @Test
    void rule15_aPatternTheBoardCannotRunIsRefused() {
        BoardLogic noBurst = new BoardLogic(BoardLogic.Caps.defaults().withCapabilities(BoardLogic.Caps.CAP_MODULATION), 1);
        assertEquals(ReplyCode.BAD_WAVEFORM, noBurst.setpoint(0, 1, 0, true, 1_000, 200, 80, Waveform.SYMMETRIC_BIPHASIC,
                Pattern.burst(2, 8), 100), "burst without the capability");
        BoardLogic b = new BoardLogic(BoardLogic.Caps.defaults(), 1);
        assertEquals(ReplyCode.BAD_WAVEFORM, b.setpoint(0, 1, 0, true, 1_000, 200, 80, Waveform.SYMMETRIC_BIPHASIC,
                Pattern.burst(2, 60), 100), "60 pulses at 80 Hz do not fit a 500 ms period");
        assertEquals(ReplyCode.BAD_WAVEFORM, b.setpoint(0, 1, 0, true, 1_000, 200, 80, Waveform.SYMMETRIC_BIPHASIC,
                new Pattern(0, 0, 7, 30, 5_000), 100), "unknown modulation");
        assertEquals(ReplyCode.BAD_PULSE_WIDTH, b.setpoint(0, 1, 0, true, 1_000, 30, 80, Waveform.SYMMETRIC_BIPHASIC,
                Pattern.modulated(Pattern.WIDTH, 50, 5_000), 100), "the width trough (15 µs) is below the board's 20 µs");
        assertEquals(ReplyCode.BAD_FREQUENCY, b.setpoint(0, 1, 0, true, 1_000, 200, 2, Waveform.SYMMETRIC_BIPHASIC,
                Pattern.modulated(Pattern.RATE, 60, 5_000), 100), "the rate trough (0.8 Hz) is below the board's 1 Hz");
    }
}
