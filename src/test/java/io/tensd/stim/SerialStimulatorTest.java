package io.tensd.stim;

import io.tensd.hw.BoardFault;
import io.tensd.hw.StimStatus;
import io.tensd.loop.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Real jSerialComm over socat ptys against the board emulator. Each test has its own pair of ptys, its
 * own emulator and its own link; a small thread plays the control loop at 100 Hz.
 */
@Timeout(20)
class SerialStimulatorTest {
    private static final long MS = 1_000_000L;
    private static final int LEASE_MS = 100;
    private static final Clock CLOCK = Clock.SYSTEM;

    @TempDir
    Path dir;

    private SocatPair socat;
    private StimBoardEmulator board;
    private SerialStimulator link;
    private FakeLoop loop;

    /** Plays the control loop: calls command() every 10 ms with whatever it was told, until stalled. */
    static final class FakeLoop implements AutoCloseable {
        private final SerialStimulator link;
        private final Thread thread;
        private volatile boolean running = true;
        private volatile boolean stalled;
        private volatile boolean enable;
        private volatile int amplitude;
        volatile long lastCommandNanos;

        FakeLoop(SerialStimulator link) {
            this.link = link;
            this.thread = new Thread(this::run, "fake-loop");
            thread.setDaemon(true);
            thread.start();
        }

        void ask(boolean enable, int amplitudeMicroAmps) {
            this.enable = enable;
            this.amplitude = amplitudeMicroAmps;
        }

        void stall(boolean stall) { this.stalled = stall; }

        private void run() {
            while (running) {
                if (!stalled) {
                    long now = CLOCK.nanos();
                    link.command(now, enable, amplitude, 200, 80);
                    lastCommandNanos = now;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(1000);
        }
    }

    @BeforeEach
    void start() throws Exception {
        socat = SocatPair.start(dir);
        board = new StimBoardEmulator(socat.board.toString(), new BoardLogic(TestBoards.FAST_SLEW, 7), CLOCK, 11).start();
        link = new SerialStimulator(StimLinkConfig.defaults(socat.host.toString(), LEASE_MS), CLOCK).start();
        loop = new FakeLoop(link);
    }

    @AfterEach
    void stop() throws Exception {
        loop.close();
        link.close();
        board.close();
        socat.close();
        System.out.println(link.counters());
    }

    /** Ramp the way the host does: enable at zero, then up. */
    private void rampTo(int microAmps) {
        loop.ask(true, 0);
        awaitStatus("output enabled at 0", s -> s.outputEnabled());
        loop.ask(true, microAmps);
        awaitStatus("measured ~" + microAmps, s -> Math.abs(s.measuredMicroAmps() - microAmps) < microAmps * 0.05);
    }

    private StimStatus awaitStatus(String what, Predicate<StimStatus> p) {
        return awaitStatus(what, p, 3_000);
    }

    private StimStatus awaitStatus(String what, Predicate<StimStatus> p, long timeoutMs) {
        long deadline = CLOCK.nanos() + timeoutMs * MS;
        while (CLOCK.nanos() < deadline) {
            StimStatus s = link.latest();
            if (p.test(s) && fresh(s)) {
                return s;
            }
            sleep(2);
        }
        fail("no fresh status with " + what + " within " + timeoutMs + " ms; latest " + link.latest() + " " + link.counters());
        return null;
    }

    private static boolean fresh(StimStatus s) { return CLOCK.nanos() - s.receivedAtNanos() < LEASE_MS * MS; }

    private static void await(String what, BooleanSupplier condition, long timeoutMs) {
        long deadline = CLOCK.nanos() + timeoutMs * MS;
        while (!condition.getAsBoolean()) {
            if (CLOCK.nanos() > deadline) {
                fail("timed out waiting for " + what);
            }
            sleep(2);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void setpointRoundTripShowsMeasuredCurrentAndTheBoardIdentity() {
        awaitStatus("first status", s -> true);
        await("session", link::linkUp, 3_000);
        Message.HelloAck hello = link.board().orElseThrow();
        assertEquals(2, hello.version());
        assertEquals(TestBoards.FAST_SLEW, hello.caps());
        assertEquals(1, hello.bootCount());

        rampTo(20_000);
        StimStatus s = link.latest();
        assertTrue(s.outputEnabled());
        assertEquals(0, s.boardFaultBits());
        assertTrue(s.impedanceOhms() > 900 && s.impedanceOhms() < 1100, "impedance " + s.impedanceOhms());
        assertTrue(s.leaseRemainingMs() > 0 && s.leaseRemainingMs() <= LEASE_MS);
        assertEquals(20_000, board.logic().appliedAmplitudeMicroAmps(CLOCK.nanos()));

        // held for half a second on heartbeats alone: no cut, no resends needed on a clean line
        long frames0 = link.counters().statusFrames();
        sleep(500);
        long perSecond = (link.counters().statusFrames() - frames0) * 2;
        System.out.println("status frames per second: " + perSecond);
        assertTrue(perSecond > 70, "status rate " + perSecond + "/s, board sends every 10 ms");
        assertTrue(board.logic().outputEnabled(CLOCK.nanos()));
        StimLinkCounters c = link.counters();
        assertTrue(c.heartbeatsSent() > 10, c.toString());
        // a pty on a loaded 2-core machine can be slower than the 20 ms resend timer now and then; a few
        // idempotent resends are fine, giving up is not
        assertTrue(c.resends() <= 3, c.toString());
        assertEquals(0, c.giveUps(), c.toString());
        assertEquals(0, c.crcErrors());
    }

    @Test
    void corruptedGarbledAndPartialFramesAreCountedAndTheLinkCarriesOn() {
        rampTo(15_000);
        board.corrupt(0.3);
        board.sendRaw(new byte[]{0x13, 0x37, 0x00});                  // garbage then a delimiter
        byte[] half = FrameCodec.encode(new Frame(1, 9, new Message.Ack(1, 0x10)));
        board.sendRaw(java.util.Arrays.copyOf(half, half.length / 2));  // a partial frame, never finished
        board.sendRaw(new byte[]{0});
        sleep(800);
        board.corrupt(0);
        StimLinkCounters c = link.counters();
        assertTrue(c.crcErrors() + c.malformedFrames() > 10, c.toString());
        assertTrue(c.droppedBytes() > 0);
        StimStatus s = awaitStatus("still on", StimStatus::outputEnabled);
        assertEquals(15_000, s.measuredMicroAmps(), 15_000 * 0.05);
        assertTrue(board.framesCorrupted() > 10);
        assertEquals(1, s.bootCount());
        assertFalse(s.has(BoardFault.LEASE_EXPIRED), "30 % status loss must not cost the lease (host→board is clean)");
    }

    @Test
    void aBoardResetMidSessionIsSeenRenegotiatedAndTheOldSetpointIsNotResumed() {
        rampTo(20_000);
        long hellos = link.counters().hellos();
        board.reset();
        StimStatus s = awaitStatus("boot count 2", st -> st.bootCount() == 2);
        assertFalse(s.outputEnabled());
        await("re-HELLO after the reset", () -> link.board().map(h -> h.bootCount() == 2).orElse(false), 2_000);
        assertTrue(link.counters().hellos() > hellos);
        assertEquals(1, link.counters().bootCountChanges());
        // the loop still asks 20 mA: the reset board refuses to start there
        await("refusal", () -> link.refusal().isPresent(), 1_000);
        assertEquals(ReplyCode.NOT_ARMED, link.refusal().get());
        assertFalse(board.logic().outputEnabled(CLOCK.nanos()));
        // the host ramps from zero again, and all is well
        rampTo(20_000);
        assertEquals(2, link.latest().bootCount());
    }

    @Test
    void aVanishedPortMakesStatusStaleAndTheLinkRecoversWhenItReturns() throws Exception {
        rampTo(20_000);
        socat.kill();
        long killed = CLOCK.nanos();
        sleep(LEASE_MS + 50);
        StimStatus last = link.latest();
        assertTrue(last.receivedAtNanos() < killed + 5 * MS, "no status after the port vanished");
        assertFalse(fresh(last), "latest() must go stale, not be refreshed");
        await("the link notices", () -> !link.linkUp(), 1_000);

        // the board lost its heartbeats too and cut the output by itself
        assertFalse(board.logic().outputEnabled(CLOCK.nanos()));
        assertTrue((board.logic().faultBits(CLOCK.nanos()) & BoardFault.LEASE_EXPIRED.bit()) != 0);

        long hellos = link.counters().hellos();
        socat.restart();
        await("link up again", link::linkUp, 3_000);
        StimStatus s = awaitStatus("fresh status after reconnect", st -> st.has(BoardFault.LEASE_EXPIRED));
        assertFalse(s.outputEnabled());
        assertEquals(1, s.bootCount(), "same board, no reset");
        StimLinkCounters c = link.counters();
        assertTrue(c.hellos() > hellos, c.toString());
        assertEquals(1, c.reconnects(), c.toString());
        assertTrue(c.disconnects() >= 1, c.toString());
        rampTo(10_000);
    }

    @Test
    void aStalledHostLetsTheBoardCutOutputWithinLeasePlusOneStatusPeriod() {
        rampTo(20_000);
        loop.stall(true);
        sleep(15);      // the last tick has been taken
        long lastCommand = loop.lastCommandNanos;
        StimStatus off = awaitStatus("output cut", st -> !st.outputEnabled(), 1_000);
        long cutAfterMs = (off.receivedAtNanos() - lastCommand) / MS;
        System.out.println("stalled host: board output off reported " + cutAfterMs + " ms after the last command()");
        assertTrue(off.has(BoardFault.LEASE_EXPIRED));
        // lease + one status period, plus slack for thread scheduling on a shared machine
        assertTrue(cutAfterMs <= LEASE_MS + BoardEndpoint.DEFAULT_STATUS_PERIOD_MILLIS + 60, "cut after " + cutAfterMs + " ms");
        assertTrue(cutAfterMs >= LEASE_MS - StimLinkConfig.defaults("x", LEASE_MS).heartbeatMillis() - 15,
                "cut too early (" + cutAfterMs + " ms): something renewed or lost the lease");
        // status keeps flowing while the host is silent: the link itself renews nothing
        sleep(200);
        assertFalse(board.logic().outputEnabled(CLOCK.nanos()));
        assertTrue(fresh(link.latest()));
        assertEquals(0, link.latest().leaseRemainingMs());
    }

    @Test
    void forceSafeFromAnotherThreadZeroesAtOnceAndHoldsUntilTheLoopAsksForOff() {
        rampTo(20_000);
        long t0 = CLOCK.nanos();
        Thread estop = new Thread(link::forceSafe, "estop-listener");
        estop.start();
        StimStatus off = awaitStatus("off", st -> !st.outputEnabled(), 500);
        System.out.println("forceSafe: output off reported after " + (off.receivedAtNanos() - t0) / MS + " ms");
        assertTrue(off.receivedAtNanos() - t0 < 50 * MS);
        assertEquals(0, off.boardFaultBits(), "a commanded stop is not a fault");
        // the loop, not yet aware, still asks 20 mA: held off
        sleep(200);
        assertFalse(board.logic().outputEnabled(CLOCK.nanos()));
        assertEquals(1, link.counters().forcedSafe());
        // once the loop has asked for off, it may ramp again
        loop.ask(false, 0);
        sleep(50);
        rampTo(5_000);
    }

    @Test
    void aMutedBoardIsSeenAsStaleAndOverMeansStaleNotFaked() {
        rampTo(10_000);
        board.mute(true);
        sleep(LEASE_MS + 30);
        assertFalse(fresh(link.latest()));
        board.mute(false);
        // the host did not renew a lease it could not see: the board cut by itself, and says so once heard again
        StimStatus s = awaitStatus("fresh again", st -> st.has(BoardFault.LEASE_EXPIRED), 1_000);
        assertFalse(s.outputEnabled());
        assertTrue(link.counters().leaseWithheld() > 0, link.counters().toString());
    }

    @Test
    void overcurrentLatchesOnTheBoardAndClearsOnlyOnRequest() {
        rampTo(20_000);
        board.overcurrent();
        StimStatus s = awaitStatus("overcurrent", st -> st.has(BoardFault.OVERCURRENT));
        assertFalse(s.outputEnabled());
        loop.ask(false, 0);
        sleep(100);
        assertTrue(link.latest().has(BoardFault.OVERCURRENT), "latched");
        link.clearBoardFault();
        awaitStatus("cleared", st -> st.boardFaultBits() == 0, 1_000);
        rampTo(5_000);
    }
}
