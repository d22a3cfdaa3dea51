package io.tensd.stim;

import io.tensd.hw.BoardFault;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The board's protocol rules (§5 of hardware/stimulator-protocol.md) without a serial port. */
class BoardEndpointTest {
    private static final long MS = 1_000_000L;

    private final BoardLogic logic = new BoardLogic(TestBoards.FAST_SLEW, 3);
    private final List<Frame> out = new ArrayList<>();
    private final FrameDecoder hostSide = new FrameDecoder(new FrameCodec.Sink() {
        public void frame(Frame frame) { out.add(frame); }

        public void error(FrameCodec.Error error, int version, int type, int seq) { throw new AssertionError(error); }
    });
    private final BoardEndpoint board = new BoardEndpoint(logic, BoardEndpoint.Firmware.emulator(), 10, 0,
            (w, n) -> hostSide.accept(w, 0, n));

    private void send(long t, int seq, Message m) { send(t, 1, seq, m); }

    private void send(long t, int version, int seq, Message m) {
        byte[] w = FrameCodec.encode(new Frame(version, seq, m));
        board.receive(t, w, 0, w.length);
    }

    private <T extends Message> List<T> received(Class<T> type) {
        return out.stream().map(Frame::message).filter(type::isInstance).map(type::cast).toList();
    }

    private Message.Nack lastNack() {
        List<Message.Nack> n = received(Message.Nack.class);
        return n.get(n.size() - 1);
    }

    @Test
    void beforeHelloEverythingButHelloIsRefusedWithNoSession() {
        send(0, 1, new Message.Setpoint(true, 0, 0, 200, 80, 100));
        assertEquals(new Message.Nack(1, 0x10, ReplyCode.NO_SESSION.code()), lastNack());
        send(0, 2, new Message.Heartbeat(100, 1));
        assertEquals(ReplyCode.NO_SESSION, lastNack().reason());
        assertFalse(logic.outputEnabled(0));
    }

    @Test
    void helloNegotiatesReportsCapsAndSwitchesTheOutputOff() {
        send(0, 1, new Message.Hello(1, 1));
        send(0, 2, new Message.Setpoint(true, 0, 0, 200, 80, 100));
        send(0, 3, new Message.Setpoint(true, 0, 20_000, 200, 80, 100));
        assertEquals(20_000, logic.appliedAmplitudeMicroAmps(0));
        send(MS, 4, new Message.Hello(1, 5));   // a restarted host
        Message.HelloAck ack = received(Message.HelloAck.class).get(1);
        assertEquals(2, ack.version(), "the highest version both speak");
        assertEquals(TestBoards.FAST_SLEW, ack.caps());
        assertEquals(TestBoards.FAST_SLEW.withCapabilities(0), received(Message.HelloAck.class).get(0).caps(),
                "a v1 session is offered no board-timed patterns");
        assertEquals(10, ack.statusPeriodMillis());
        assertFalse(logic.outputEnabled(MS), "a new session never inherits output");
        send(MS, 5, new Message.Hello(3, 4));
        assertEquals(new Message.Nack(5, 0x01, ReplyCode.BAD_VERSION.code()), lastNack());
    }

    @Test
    void setpointsAreAckedAndFollowedByAStatusAtOnce() {
        send(0, 1, new Message.Hello(1, 1));
        out.clear();
        send(0, 2, new Message.Setpoint(true, 0, 0, 200, 80, 100));
        assertEquals(new Message.Ack(2, 0x10), out.get(0).message());
        Message.Status s = assertInstanceOf(Message.Status.class, out.get(1).message());
        assertTrue(s.outputEnabled());
        assertEquals(2, s.lastSetpointSeq());
        send(0, 3, new Message.Setpoint(true, 9, 0, 200, 80, 100));
        assertEquals(ReplyCode.BAD_WAVEFORM, lastNack().reason());
    }

    @Test
    void aFrameInAnotherVersionIsRefused() {
        send(0, 1, new Message.Hello(1, 1));
        send(0, 2, 2, new Message.Setpoint(true, 0, 0, 200, 80, 100));
        assertEquals(ReplyCode.BAD_VERSION, lastNack().reason());
        assertFalse(logic.outputEnabled(0));
    }

    @Test
    void heartbeatsRenewOnlyTheSetpointInForce() {
        send(0, 1, new Message.Hello(1, 1));
        send(0, 2, new Message.Setpoint(true, 0, 1_000, 200, 80, 100));
        send(50 * MS, 3, new Message.Heartbeat(100, 7));          // names a setpoint the board never got
        assertEquals(new Message.Nack(3, 0x11, ReplyCode.STALE_SETPOINT.code()), lastNack());
        assertFalse(logic.outputEnabled(100 * MS), "the stale heartbeat did not renew");

        send(200 * MS, 4, new Message.Setpoint(true, 0, 1_000, 200, 80, 100));
        int nacks = received(Message.Nack.class).size();
        send(250 * MS, 5, new Message.Heartbeat(100, 4));
        assertEquals(nacks, received(Message.Nack.class).size(), "an accepted heartbeat is not answered");
        assertTrue(logic.outputEnabled(349 * MS));
        assertFalse(logic.outputEnabled(350 * MS));
    }

    @Test
    void statusFlowsEveryPeriodWithOrWithoutAHost() {
        for (long t = 0; t <= 1_000 * MS; t += MS) {
            board.tick(t);
        }
        List<Message.Status> s = received(Message.Status.class);
        assertEquals(101, s.size());
        assertFalse(s.get(0).sessionOpen());
        assertEquals(1_000, s.get(100).uptimeMillis());
    }

    @Test
    void unknownTypesAndShortPayloadsWithAGoodCrcAreNacked() {
        byte[] raw = {1, 0x7E, 9, 0, 0, 0, 0, 0};
        FrameCodec.putU32(raw, 4, FrameCodec.crc(raw, 0, 4));
        byte[] enc = new byte[FrameCodec.MAX_WIRE];
        int n = Cobs.encode(raw, raw.length, enc, 0);
        enc[n] = 0;
        board.receive(0, enc, 0, n + 1);
        assertEquals(new Message.Nack(9, 0x7E, ReplyCode.UNKNOWN_TYPE.code()), lastNack());
        send(0, 10, new Message.Status(true, true, 0, 0, 0, 0, 0, 0, 0, 0));
        assertEquals(ReplyCode.UNKNOWN_TYPE, lastNack().reason());
    }

    @Test
    void clearFaultIsAckedAndLeavesTheOutputOff() {
        send(0, 1, new Message.Hello(1, 1));
        send(0, 2, new Message.Setpoint(true, 0, 1_000, 200, 80, 100));
        logic.injectOvercurrent();
        send(MS, 3, new Message.Setpoint(true, 0, 1_000, 200, 80, 100));
        assertEquals(ReplyCode.FAULT_LATCHED, lastNack().reason());
        send(2 * MS, 4, new Message.ClearFault());
        assertEquals(new Message.Ack(4, 0x12), received(Message.Ack.class).get(received(Message.Ack.class).size() - 1));
        List<Message.Status> s = received(Message.Status.class);
        assertEquals(0, s.get(s.size() - 1).boardFaultBits() & BoardFault.OVERCURRENT.bit());
        assertFalse(logic.outputEnabled(2 * MS));
    }

    @Test
    void aResetClosesTheSessionAndBumpsTheBootCount() {
        send(0, 1, new Message.Hello(1, 1));
        board.reset(MS);
        board.tick(MS);
        List<Message.Status> s = received(Message.Status.class);
        assertEquals(2, s.get(s.size() - 1).bootCount());
        assertFalse(s.get(s.size() - 1).sessionOpen());
        send(2 * MS, 2, new Message.Setpoint(true, 0, 0, 200, 80, 100));
        assertEquals(ReplyCode.NO_SESSION, lastNack().reason());
    }
}
