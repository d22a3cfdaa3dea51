package io.tensd.stim;

import io.tensd.hw.BoardFault;
import io.tensd.hw.StimStatus;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoardLogicTest {
    private static final long MS = 1_000_000L;
    private static final long T0 = 5_000 * MS;

    private final BoardLogic board = new BoardLogic(TestBoards.FAST_SLEW, 42);

    /** Enable at zero, then step up in host-ramp sized steps to the target. */
    private void rampTo(long now, int microAmps) {
        assertEquals(ReplyCode.OK, board.setpoint(now, true, 0, 200, 80, 100));
        assertEquals(ReplyCode.OK, board.setpoint(now, true, microAmps, 200, 80, 100));
    }

    @Test
    void leaseExpiresAtExactlyLeaseMillisAndNotOneNanosecondEarlier() {
        rampTo(T0, 20_000);
        assertTrue(board.outputEnabled(T0 + 100 * MS - 1));
        assertEquals(20_000, board.appliedAmplitudeMicroAmps(T0 + 100 * MS - 1));
        assertEquals(0, board.status(T0 + 100 * MS - 1).boardFaultBits());

        StimStatus s = board.status(T0 + 100 * MS);
        assertFalse(s.outputEnabled());
        assertEquals(0, s.measuredMicroAmps());
        assertTrue(s.has(BoardFault.LEASE_EXPIRED));
        assertEquals(0, s.leaseRemainingMs());
    }

    @Test
    void stepAloneCutsTheOutputWithoutAnyFurtherFrame() {
        rampTo(T0, 20_000);
        board.step(T0 + 150 * MS);
        assertEquals(0, board.appliedAmplitudeMicroAmps(T0 + 150 * MS));
        assertTrue((board.faultBits(T0 + 150 * MS) & BoardFault.LEASE_EXPIRED.bit()) != 0);
    }

    @Test
    void heartbeatsKeepTheOutputOnAndTheirLeaseIsHonoured() {
        rampTo(T0, 20_000);
        long now = T0;
        for (int i = 0; i < 100; i++) {
            now += 90 * MS;
            assertEquals(ReplyCode.OK, board.heartbeat(now, 100));
            assertEquals(20_000, board.appliedAmplitudeMicroAmps(now));
        }
        assertEquals(99, board.status(now + MS / 2).leaseRemainingMs());
        assertEquals(ReplyCode.OK, board.heartbeat(now, 30));
        assertTrue(board.outputEnabled(now + 30 * MS - 1));
        assertFalse(board.outputEnabled(now + 30 * MS));
    }

    @Test
    void aHeartbeatAfterExpiryDoesNotResurrectTheOutputAndTheOldSetpointIsRefused() {
        rampTo(T0, 30_000);
        long late = T0 + 250 * MS;   // host stalled for 250 ms
        assertEquals(ReplyCode.STALE_SETPOINT, board.heartbeat(late, 100), "no setpoint in force after the cut");
        assertFalse(board.outputEnabled(late));
        assertEquals(0, board.leaseRemainingMillis(late), "a refused heartbeat renews nothing");
        // the resumed host repeats its old 30 mA setpoint: refused, output stays at zero
        assertEquals(ReplyCode.NOT_ARMED, board.setpoint(late, true, 30_000, 200, 80, 100));
        StimStatus s = board.status(late);
        assertFalse(s.outputEnabled());
        assertTrue(s.has(BoardFault.LEASE_EXPIRED));
        assertTrue(s.has(BoardFault.SETPOINT_REJECTED));
        // re-arm from zero clears the cut-reason bits
        assertEquals(ReplyCode.OK, board.setpoint(late, true, 1_000, 200, 80, 100));
        s = board.status(late);
        assertTrue(s.outputEnabled());
        assertEquals(0, s.boardFaultBits());
    }

    @Test
    void leaseLapseWhileOffIsNotAFault() {
        assertEquals(ReplyCode.OK, board.setpoint(T0, false, 0, 0, 0, 100));
        StimStatus s = board.status(T0 + 500 * MS);
        assertEquals(0, s.boardFaultBits());
        assertFalse(s.outputEnabled());
    }

    @Test
    void outOfCapSetpointsAreRefusedAndZeroTheOutput() {
        BoardLogic.Caps caps = board.caps();
        Object[][] cases = {
                {caps.hardwareMaxMicroAmps() + 1, 100, 80, 100, ReplyCode.BAD_AMPLITUDE},
                {-1, 100, 80, 100, ReplyCode.BAD_AMPLITUDE},
                {10_000, caps.minPulseWidthMicros() - 1, 80, 100, ReplyCode.BAD_PULSE_WIDTH},
                {10_000, caps.maxPulseWidthMicros() + 1, 80, 100, ReplyCode.BAD_PULSE_WIDTH},
                {10_000, 200, caps.minFrequencyHz() - 1, 100, ReplyCode.BAD_FREQUENCY},
                {10_000, 200, caps.maxFrequencyHz() + 1, 100, ReplyCode.BAD_FREQUENCY},
                {80_000, 400, 80, 100, ReplyCode.BAD_CHARGE},             // 32 µC > 30 µC
                {10_000, 200, 80, caps.minLeaseMillis() - 1, ReplyCode.BAD_LEASE},
                {10_000, 200, 80, caps.maxLeaseMillis() + 1, ReplyCode.BAD_LEASE},
        };
        long now = T0;
        for (Object[] c : cases) {
            now += MS;
            board.clearFault(now);
            rampTo(now, 5_000);
            ReplyCode got = board.setpoint(now, true, (int) c[0], (int) c[1], (int) c[2], (int) c[3]);
            assertEquals(c[4], got, java.util.Arrays.toString(c));
            StimStatus s = board.status(now);
            assertFalse(s.outputEnabled(), java.util.Arrays.toString(c));
            assertEquals(0, s.measuredMicroAmps());
            assertTrue(s.has(BoardFault.SETPOINT_REJECTED));
        }
        // exactly at the charge cap is fine: 60 mA x 500 µs = 30 µC
        board.setpoint(now, true, 0, 500, 80, 100);
        assertEquals(ReplyCode.OK, board.setpoint(now, true, 60_000, 500, 80, 100));
    }

    @Test
    void aRefusedSetpointDoesNotRenewTheLease() {
        rampTo(T0, 5_000);
        board.setpoint(T0 + 50 * MS, true, 200_000, 200, 80, 100);
        assertEquals(ReplyCode.OK, board.setpoint(T0 + 60 * MS, false, 0, 0, 0, 100));
        assertEquals(50, board.status(T0 + 110 * MS).leaseRemainingMs());
    }

    @Test
    void switchingOffIsNeverRefusedForItsValues() {
        rampTo(T0, 5_000);
        assertEquals(ReplyCode.OK, board.setpoint(T0, false, 999_999, 0, 0, 100));
        assertFalse(board.outputEnabled(T0));
        assertEquals(0, board.faultBits(T0));
    }

    @Test
    void randomSetpointsNeverDriveOutsideTheCaps() {
        long seed = new Random().nextLong();
        Random r = new Random(seed);
        BoardLogic.Caps caps = board.caps();
        long now = T0;
        for (int i = 0; i < 20_000; i++) {
            now += r.nextInt(150) * MS;
            boolean enable = r.nextInt(4) != 0;
            int amp = r.nextInt(130_000) - 10_000;
            int pw = r.nextInt(600);
            int hz = r.nextInt(250);
            int lease = r.nextInt(1_200);
            ReplyCode code = board.setpoint(now, enable, amp, pw, hz, lease);
            if (r.nextInt(50) == 0) {
                board.clearFault(now);
            }
            int applied = board.appliedAmplitudeMicroAmps(now);
            String msg = "seed " + seed + " step " + i + " " + code;
            assertTrue(applied >= 0 && applied <= caps.hardwareMaxMicroAmps(), msg);
            if (applied > 0) {
                assertTrue((long) applied * board.appliedPulseWidthMicros() <= caps.maxChargeNanoCoulombs() * 1000L, msg);
                assertTrue(board.appliedFrequencyHz() >= caps.minFrequencyHz() && board.appliedFrequencyHz() <= caps.maxFrequencyHz(), msg);
            }
            if (code != ReplyCode.OK) {
                assertEquals(0, applied, msg);
            }
        }
    }

    @Test
    void overcurrentCutsAndLatchesUntilClearFault() {
        rampTo(T0, 20_000);
        board.injectOvercurrent();
        StimStatus s = board.status(T0 + MS);
        assertFalse(s.outputEnabled());
        assertEquals(0, s.measuredMicroAmps());
        assertTrue(s.has(BoardFault.OVERCURRENT));

        assertEquals(ReplyCode.FAULT_LATCHED, board.setpoint(T0 + 2 * MS, true, 0, 200, 80, 100));
        assertFalse(board.outputEnabled(T0 + 2 * MS));
        // lease renewals and time passing do not clear it
        board.heartbeat(T0 + 3 * MS, 100);
        assertTrue(board.status(T0 + 500 * MS).has(BoardFault.OVERCURRENT));

        assertEquals(ReplyCode.OK, board.clearFault(T0 + 501 * MS));
        assertEquals(0, board.faultBits(T0 + 501 * MS));
        assertFalse(board.outputEnabled(T0 + 501 * MS), "clearing a fault never switches output on");
        rampTo(T0 + 502 * MS, 20_000);
        assertTrue(board.outputEnabled(T0 + 502 * MS));
    }

    @Test
    void resetIncrementsBootCountAndForgetsEverything() {
        rampTo(T0, 20_000);
        board.injectOvercurrent();
        int boots = board.bootCount();
        board.reset(T0 + MS);
        StimStatus s = board.status(T0 + MS);
        assertEquals(boots + 1, s.bootCount());
        assertFalse(s.outputEnabled());
        assertEquals(0, s.boardFaultBits());
        assertEquals(0, s.leaseRemainingMs());
        assertEquals(ReplyCode.NOT_ARMED, board.setpoint(T0 + 2 * MS, true, 20_000, 200, 80, 100),
                "after a reset the host must ramp from zero again");
    }

    @Test
    void selfTestFailureSurvivesClearFaultButNotReset() {
        board.injectSelfTestFailure();
        board.clearFault(T0);
        assertEquals(ReplyCode.FAULT_LATCHED, board.setpoint(T0, true, 0, 200, 80, 100));
        board.reset(T0);
        assertEquals(ReplyCode.OK, board.setpoint(T0, true, 0, 200, 80, 100));
    }

    @Test
    void measuredCurrentFollowsSetpointAndCollapsesWhenTheElectrodeLifts() {
        rampTo(T0, 20_000);
        StimStatus on = board.status(T0 + MS);
        assertEquals(20_000, on.measuredMicroAmps(), 20_000 * 0.02);
        assertEquals(1_000, on.impedanceOhms(), 50);

        board.setImpedanceOhms(50_000);     // lifted: 60 V / 50 kΩ = 1.2 mA at most
        StimStatus lifted = board.status(T0 + 2 * MS);
        assertTrue(lifted.impedanceOhms() > 20_000, "impedance " + lifted.impedanceOhms());
        assertTrue(lifted.measuredMicroAmps() < 1_300, "current " + lifted.measuredMicroAmps());
    }

    @Test
    void impedanceIsUnknownWhileOffAndKnownOnceEnabledAtZero() {
        assertEquals(StimStatus.IMPEDANCE_UNKNOWN, board.status(T0).impedanceOhms());
        board.setpoint(T0, true, 0, 200, 80, 100);
        StimStatus s = board.status(T0);
        assertTrue(s.impedanceOhms() > 0);
        assertEquals(0, s.measuredMicroAmps());
    }

    @Test
    void gainErrorShowsInTheMeasurement() {
        board.setMeasuredGainError(0.25);
        rampTo(T0, 20_000);
        assertEquals(25_000, board.status(T0).measuredMicroAmps(), 600);
    }

    @Test
    void statusIsStampedWithTheCallersTime() {
        assertEquals(T0 + 7, board.status(T0 + 7).receivedAtNanos());
    }
}
