package io.tensd.stim;

import io.tensd.hw.StimStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class HostProtocolTest {
    private static final long MS = 1_000_000L;
    private static final StimLinkConfig CONFIG = StimLinkConfig.defaults("/dev/null", 100);

    private HostProtocol host;

    @BeforeEach
    void negotiate() {
        host = new HostProtocol(CONFIG);
        assertNull(host.onTick(0, true, 0, 200, 80), "nothing before HELLO_ACK");
        host.hello();
        assertTrue(host.onHelloAck(new Message.HelloAck(1, 1, 0, 0, 1, 1, BoardLogic.Caps.defaults(), 10), 0));
    }

    /** A STATUS the board sent at {@code t} (uptime = t) and the host received at once. */
    private boolean status(long t, int lastSetpointSeq) {
        return host.onStatus(new Message.Status(true, true, 0, 0, 1_000, 0, 99, lastSetpointSeq, 1, (int) (t / MS)), t);
    }

    private static Message.Setpoint setpoint(Frame f) {
        return assertInstanceOf(Message.Setpoint.class, f.message());
    }

    @Test
    void unconfirmedSetpointsAreResentAtMostThreeTimesThenTheLinkFallsSilent() {
        Frame first = host.onTick(0, true, 0, 200, 80);
        assertEquals(0, setpoint(first).amplitudeMicroAmps());
        assertNull(host.onTick(10 * MS, true, 0, 200, 80), "resend only after 20 ms");
        long t = 20 * MS;
        for (int i = 0; i < 3; i++, t += 20 * MS) {
            Frame again = host.onTick(t, true, 0, 200, 80);
            assertNotNull(again, "resend " + i);
            assertEquals(first.seq(), again.seq(), "a resend keeps its seq");
        }
        for (; t < 160 * MS; t += 10 * MS) {
            assertNull(host.onTick(t, true, 0, 200, 80), "silent at " + t / MS + " ms: the board's lease must run out");
        }
        assertEquals(3, host.resends);
        assertEquals(1, host.giveUps);
        // after a lease period of silence, a fresh (bounded) budget, once the board is seen again
        assertNull(host.onTick(160 * MS, true, 0, 200, 80), "no lease for a board not seen for a lease");
        status(160 * MS, 0);
        assertNotNull(host.onTick(170 * MS, true, 0, 200, 80));
    }

    @Test
    void anAckOrAStatusConfirmsAndThenOnlyHeartbeatsNamingThatSetpointFlow() {
        Frame sp = host.onTick(0, true, 0, 200, 80);
        host.onAck(new Message.Ack(sp.seq(), MessageType.SETPOINT.code()));
        assertNull(host.onTick(10 * MS, true, 0, 200, 80));
        assertNull(host.onTick(20 * MS, true, 0, 200, 80));
        status(30 * MS, sp.seq());
        Frame hb = host.onTick(30 * MS, true, 0, 200, 80);
        assertEquals(new Message.Heartbeat(100, sp.seq()), hb.message());
        assertNull(host.onTick(40 * MS, true, 0, 200, 80));

        Frame sp2 = host.onTick(50 * MS, true, 1_000, 200, 80);
        assertEquals(1_000, setpoint(sp2).amplitudeMicroAmps());
        host.onStatus(new Message.Status(true, true, 0, 1_000, 1_000, 1_000, 99, sp2.seq(), 1, 80), 80 * MS);   // ACK lost
        assertTrue(host.confirmed());
        assertEquals(new Message.Heartbeat(100, sp2.seq()), host.onTick(80 * MS, true, 1_000, 200, 80).message());
    }

    @Test
    void theLeaseIsGrantedFromWhenTheFrameIsMadeNotFromTheTickItCarries() {
        Frame sp = host.onTick(0, true, 0, 200, 80);
        host.onAck(new Message.Ack(sp.seq(), MessageType.SETPOINT.code()));
        status(10 * MS, sp.seq());
        // the tick of 30 ms reaches the link thread 25 ms late: the board was last seen 45 ms before the frame
        Frame hb = host.onTick(30 * MS, 55 * MS, true, 0, 200, 80, Pattern.CONTINUOUS);
        assertEquals(new Message.Heartbeat(55, sp.seq()), hb.message(), "100 ms after the STATUS of 10 ms, from 55 ms");
        assertEquals(55 * MS, host.lastGrantAtNanos());
        // a tick made on time grants from its own time, as before
        Frame sp2 = host.onTick(60 * MS, 60 * MS, true, 1_000, 200, 80, Pattern.CONTINUOUS);
        assertEquals(50, setpoint(sp2).leaseMillis());
    }

    @Test
    void aRefusedSetpointIsNeitherResentNorHeartbeated() {
        Frame sp = host.onTick(0, true, 30_000, 200, 80);
        host.onNack(new Message.Nack(sp.seq(), MessageType.SETPOINT.code(), ReplyCode.NOT_ARMED.code()));
        assertEquals(ReplyCode.NOT_ARMED, host.refusal());
        for (long t = 10 * MS; t < 500 * MS; t += 10 * MS) {
            assertNull(host.onTick(t, true, 30_000, 200, 80));
        }
        status(500 * MS, 0);
        assertEquals(0, setpoint(host.onTick(500 * MS, true, 0, 200, 80)).amplitudeMicroAmps());
        assertNull(host.refusal());
    }

    @Test
    void aStaleHeartbeatMakesTheNextTickResendTheSetpoint() {
        Frame sp = host.onTick(0, true, 500, 200, 80);
        host.onAck(new Message.Ack(sp.seq(), MessageType.SETPOINT.code()));
        Frame hb = host.onTick(30 * MS, true, 500, 200, 80);
        host.onNack(new Message.Nack(hb.seq(), MessageType.HEARTBEAT.code(), ReplyCode.STALE_SETPOINT.code()));
        Frame again = host.onTick(31 * MS, true, 500, 200, 80);
        assertEquals(sp.seq(), again.seq());
        assertEquals(500, setpoint(again).amplitudeMicroAmps());
    }

    @Test
    void allOffSetpointsAreTheSameSetpoint() {
        Frame off = host.onTick(0, false, 0, 200, 80);
        host.onAck(new Message.Ack(off.seq(), MessageType.SETPOINT.code()));
        assertNull(host.onTick(10 * MS, false, 5_000, 100, 40));
        assertInstanceOf(Message.Heartbeat.class, host.onTick(30 * MS, false, 7, 7, 7).message());
    }

    /** Deadline (ns) a lease-granting frame sent at {@code t} gives the board; -1 for a frame that switches off. */
    private static long deadline(long t, Frame f) {
        if (f.message() instanceof Message.Heartbeat h) {
            return t + h.leaseMillis() * MS;
        }
        Message.Setpoint sp = setpoint(f);
        return sp.enable() ? t + sp.leaseMillis() * MS : -1;
    }

    @Test
    void noFrameKeepsOutputOnBeyondOneLeaseAfterTheLastStatusTheHostSaw() {
        Frame sp = host.onTick(0, true, 1_000, 200, 80);
        host.onAck(new Message.Ack(sp.seq(), MessageType.SETPOINT.code()));
        long lastStatus = 0;
        long latestDeadline = 0;
        for (long t = 0; t <= 1_000 * MS; t += 10 * MS) {
            if (t <= 50 * MS) {
                status(t, sp.seq());
                lastStatus = t;
            }
            Frame f = host.onTick(t, true, t < 300 * MS ? 1_000 : 1_500, 200, 80);  // a new setpoint too, at 300 ms
            if (f != null) {
                latestDeadline = Math.max(latestDeadline, deadline(t, f));
            }
        }
        assertEquals(50 * MS, lastStatus);
        assertTrue(latestDeadline <= lastStatus + 100 * MS, "board kept on until " + latestDeadline / MS + " ms");
        assertTrue(latestDeadline >= lastStatus + 80 * MS, "renewed while the board was seen: " + latestDeadline / MS);
        assertTrue(host.leaseWithheld > 50, "withheld " + host.leaseWithheld);
        // switching off is never held back, and a fresh STATUS lets the link renew again
        assertFalse(setpoint(host.onTick(1_010 * MS, false, 0, 0, 0)).enable());
        status(1_020 * MS, 0);
        Frame on = host.onTick(1_020 * MS, true, 0, 200, 80);
        assertEquals(100, setpoint(on).leaseMillis());
    }

    @Test
    void aStatusThatArrivesLateCountsAsOfWhenTheBoardSentIt() {
        Frame sp = host.onTick(0, true, 1_000, 200, 80);
        host.onAck(new Message.Ack(sp.seq(), MessageType.SETPOINT.code()));
        long t = 0;
        for (; t <= 200 * MS; t += 10 * MS) {
            status(t, sp.seq());
            host.onTick(t, true, 1_000, 200, 80);
        }
        // the board's frames stall for 150 ms, then every STATUS arrives 150 ms after the board sent it
        long latestDeadline = 0;
        long sentUpTo = t - 10 * MS;
        for (; t <= 800 * MS; t += 10 * MS) {
            if (t >= sentUpTo + 160 * MS) {
                host.onStatus(new Message.Status(true, true, 0, 0, 1_000, 0, 99, sp.seq(), 1, (int) ((t - 150 * MS) / MS)), t);
            }
            Frame f = host.onTick(t, true, 1_000, 200, 80);
            if (f != null) {
                latestDeadline = Math.max(latestDeadline, deadline(t, f));
            }
        }
        assertTrue(latestDeadline <= sentUpTo + 100 * MS, "late statuses kept the board on until " + latestDeadline / MS);
    }

    @Test
    void aBootCountChangeOrALostSessionEndsTheSession() {
        host.onTick(0, true, 0, 200, 80);
        assertTrue(host.onStatus(new Message.Status(false, false, 0, 0, -1, 0, 0, 0, 2, 5), 5 * MS));
        assertFalse(host.negotiated());
        assertEquals(1, host.bootCountChanges);
        assertNull(host.onTick(10 * MS, true, 0, 200, 80));
        assertTrue(host.onHelloAck(new Message.HelloAck(1, 1, 0, 0, 1, 2, BoardLogic.Caps.defaults(), 10), 10 * MS));
        assertTrue(host.onStatus(new Message.Status(false, false, 0, 0, -1, 0, 0, 0, 2, 5), 10 * MS), "session bit off");
    }

    @Test
    void aHelloAckWithAnUnknownVersionOrNoCapsOpensNoSession() {
        HostProtocol h = new HostProtocol(CONFIG);
        assertFalse(h.onHelloAck(new Message.HelloAck(3, 1, 0, 0, 1, 1, BoardLogic.Caps.defaults(), 10), 0));
        assertFalse(h.onHelloAck(new Message.HelloAck(1, 1, 0, 0, 1, 1, null, 10), 0));
        assertFalse(h.negotiated());
    }

    /**
     * Host protocol and board endpoint joined by a lossy, corrupting byte channel on a virtual clock,
     * with a loop that stalls now and then. Invariant: whenever the board drives output, its amplitude
     * is one the loop asked for at a tick within the last lease, and never above the caps.
     */
    @Test
    void overALossyLinkTheBoardOnlyEverDrivesWhatTheLoopAskedForWithinTheLease() {
        long seed = new Random().nextLong();
        Random r = new Random(seed);
        BoardLogic logic = new BoardLogic(TestBoards.FAST_SLEW, seed);
        List<byte[]> toHost = new ArrayList<>();
        BoardEndpoint board = new BoardEndpoint(logic, BoardEndpoint.Firmware.emulator(), 10, 0, (w, n) -> toHost.add(java.util.Arrays.copyOf(w, n)));
        HostProtocol h = new HostProtocol(CONFIG);
        long[] clock = {0};
        FrameDecoder hostRx = new FrameDecoder(new FrameCodec.Sink() {
            public void frame(Frame f) {
                if (f.message() instanceof Message.Status s) {
                    h.onStatus(s, clock[0]);
                } else if (f.message() instanceof Message.Ack a) {
                    h.onAck(a);
                } else if (f.message() instanceof Message.Nack n) {
                    h.onNack(n);
                } else if (f.message() instanceof Message.HelloAck a) {
                    h.onHelloAck(a, clock[0]);
                }
            }

            public void error(FrameCodec.Error error, int version, int type, int seq) { }
        });
        double loss = 0.05 + r.nextDouble() * 0.25;
        ArrayDeque<long[]> recentAsks = new ArrayDeque<>();     // {tickNanos, amplitude or -1 for off}
        long lastHello = -1_000 * MS;
        boolean stalled = false;
        int amplitude = 0;
        boolean enable = false;
        long driven = 0;
        for (long t = 0; t < 120_000 * MS; t += MS) {
            clock[0] = t;
            // host → board
            if (!h.negotiated() && t - lastHello >= 250 * MS) {
                lastHello = t;
                deliver(r, loss, FrameCodec.encode(h.hello()), board, t);
            }
            if (t % (10 * MS) == 0) {
                if (r.nextInt(400) == 0) {
                    stalled = !stalled;
                }
                if (!stalled) {
                    if (r.nextInt(50) == 0) {
                        enable = r.nextInt(4) != 0;
                        amplitude = 0;
                    } else if (enable && r.nextInt(5) == 0) {
                        amplitude = Math.min(80_000, amplitude + r.nextInt(3_000));
                    }
                    recentAsks.addLast(new long[]{t, enable ? amplitude : -1});
                    Frame f = h.onTick(t, enable, amplitude, 200, 80);
                    if (f != null) {
                        deliver(r, loss, FrameCodec.encode(f), board, t);
                    }
                }
            }
            board.tick(t);
            // board → host
            for (byte[] w : toHost) {
                byte[] damaged = damage(r, loss, w);
                hostRx.accept(damaged, 0, damaged.length);
            }
            toHost.clear();
            // the invariant
            while (!recentAsks.isEmpty() && recentAsks.peekFirst()[0] <= t - 100 * MS) {
                recentAsks.removeFirst();
            }
            int applied = logic.appliedAmplitudeMicroAmps(t);
            if (logic.outputEnabled(t)) {
                driven++;
                boolean asked = recentAsks.stream().anyMatch(a -> a[1] == applied);
                if (!asked) {
                    fail("seed " + seed + ": at " + t / MS + " ms the board drives " + applied
                            + " µA, which the loop did not ask for within the last lease");
                }
                assertTrue(applied <= logic.caps().hardwareMaxMicroAmps());
            }
        }
        assertTrue(driven > 10_000, "seed " + seed + ": the board should have been on for a while, was " + driven + " ms");
        System.out.printf("lossy link seed %d: loss %.2f, on %d ms of 120000, resends %d, give-ups %d, nacks %d (%s)%n",
                seed, loss, driven, h.resends, h.giveUps, h.nacks, h.lastNack);
    }

    private static void deliver(Random r, double loss, byte[] wire, BoardEndpoint board, long t) {
        byte[] d = damage(r, loss, wire);
        board.receive(t, d, 0, d.length);
    }

    /** Drop the frame, damage one byte, or deliver it as it is. */
    private static byte[] damage(Random r, double loss, byte[] wire) {
        double x = r.nextDouble();
        if (x < loss / 2) {
            return new byte[]{0};
        }
        if (x < loss) {
            byte[] d = wire.clone();
            d[r.nextInt(d.length - 1)] ^= (byte) (1 + r.nextInt(255));
            return d;
        }
        return wire;
    }

    @Test
    void statusOfTheBoardTranslatesToTheHostRecord() {
        Message.Status s = new Message.Status(true, true, 0x03, 12_000, 950, 12_500, 80, 4, 3, 1234);
        assertEquals(new StimStatus(77, 12_000, 950, 0x03, true, 80, 3), s.toStimStatus(77));
    }
}
