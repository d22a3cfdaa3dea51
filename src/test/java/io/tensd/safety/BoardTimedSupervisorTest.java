package io.tensd.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.config.Limits;
import io.tensd.hw.BatteryReading;
import io.tensd.hw.PostureReading;
import io.tensd.hw.SensorStatus;
import io.tensd.hw.StimStatus;
import io.tensd.hw.TempReading;
import io.tensd.testkit.TestLimits;
import org.junit.jupiter.api.Test;

/**
 * The supervisor when the board times the program's shape: the output-mismatch check follows the level (a board in
 * its train measures the level while the host's own envelope is 0), a board above the level still trips it, and
 * the level's charge per phase is clamped at the shape's peak width, not at this tick's modulated width.
 */
class BoardTimedSupervisorTest {
    private static final long TICK = 10_000_000L;

    private final Inputs in = new Inputs();
    private final Request req = new Request();
    private long now = 1_000_000_000L;

    private Verdict tick(SafetySupervisor sup, int measuredMicroAmps) {
        now += TICK;
        in.set(TempReading.ok(34.0 + (now / TICK % 7) * 0.001, now), TempReading.ok(33.0 + (now / TICK % 5) * 0.001, now),
                new StimStatus(now, measuredMicroAmps, 1000, 0, true, 100, 1), false,
                new BatteryReading(80, 4.0, SensorStatus.OK, now), PostureReading.NONE);
        return sup.step(now, in, req);
    }

    /** Burst off-phase on the host's envelope (fraction 0), the board timing its own train at the level. */
    private void offPhaseRequest() {
        req.stim(true, 10, 200, 80, 10).envelope(0).boardTimed(200, 80).heater(false, 0, Double.NaN);
    }

    @Test
    void aBoardInItsTrainWhileTheHostEnvelopeIsOffDoesNotTrip() {
        SafetySupervisor sup = new SafetySupervisor(Limits.defaults(), SafetySettings.defaults());
        int measured = 0;
        long seen = 0;
        for (int i = 0; i < 1_500; i++) {
            offPhaseRequest();
            Verdict v = tick(sup, measured);
            seen |= v.faultBits();
            assertEquals(0.0, v.stimMilliAmps(), "the host's envelope is off");
            assertTrue(v.boardTimed());
            measured = v.levelMicroAmps();      // next frame: the board drives its train at the level
        }
        assertEquals(0, seen, FaultCode.join(seen, ","));
        assertEquals(10.0, sup.verdict().levelMilliAmps(), 1e-9, "ramped to the level");
    }

    @Test
    void aBoardMeasuringAboveTheLevelStillTrips() {
        SafetySupervisor sup = new SafetySupervisor(Limits.defaults(), SafetySettings.defaults());
        for (int i = 0; i < 1_500; i++) {
            offPhaseRequest();
            tick(sup, sup.verdict().levelMicroAmps());
        }
        long seen = 0;
        for (int i = 0; i < 10; i++) {
            offPhaseRequest();
            seen |= tick(sup, 10_000 + 2_500).faultBits();   // 12.5 mA against a 10 mA level: > max(11, 12) mA
        }
        assertTrue((seen & FaultCode.STIM_OUTPUT_MISMATCH.bit()) != 0, "mismatch latched: " + FaultCode.join(seen, ","));
    }

    @Test
    void theLevelsChargeIsClampedAtThePeakWidthTheBoardGets() {
        // 10 µC: 40 mA at 250 µs, 100 mA at 100 µs
        Limits limits = TestLimits.stimulation(80, 10, 100);
        SafetySupervisor hostGated = new SafetySupervisor(limits, SafetySettings.defaults());
        SafetySupervisor boardTimed = new SafetySupervisor(limits, SafetySettings.defaults());
        Verdict a = null;
        Verdict b = null;
        for (int i = 0; i < 300; i++) {
            req.stim(true, 60, 100, 80, 60).envelope(1).heater(false, 0, Double.NaN);    // width trough of a modulation
            a = tick(hostGated, 0);
            now -= TICK;
            req.stim(true, 60, 100, 80, 60).envelope(1).boardTimed(250, 80).heater(false, 0, Double.NaN);
            b = tick(boardTimed, 0);
        }
        assertEquals(60.0, a.levelMilliAmps(), 1e-9, "host-gated: this tick's 100 µs width allows 60 mA");
        assertEquals(40.0, b.levelMilliAmps(), 1e-9, "board-timed: the 250 µs peak width caps the level at 40 mA");
        assertTrue((b.clampBits() & ClampReason.CHARGE_PER_PHASE.bit()) != 0);
        assertEquals(250, b.boardPulseWidthMicros());
        assertEquals(80.0, b.boardFrequencyHz());
        assertTrue(b.levelMilliAmps() * b.boardPulseWidthMicros() <= 10 * 1000 + 1e-9);
        assertFalse(a.boardTimed());
    }

    @Test
    void boardPeaksAreRangeClampedAndAFaultEndsBoardTiming() {
        SafetySupervisor sup = new SafetySupervisor(Limits.defaults(), SafetySettings.defaults());
        req.stim(true, 1, 200, 80, 10).boardTimed(10_000, 1e6).heater(false, 0, Double.NaN);
        Verdict v = tick(sup, 0);
        assertTrue(v.boardTimed());
        assertEquals(Math.min(Limits.defaults().maxPulseWidthMicros(), HardwareCaps.MAX_PULSE_WIDTH_MICROS), v.boardPulseWidthMicros());
        assertEquals(Math.min(Limits.defaults().maxFrequencyHz(), HardwareCaps.MAX_FREQUENCY_HZ), v.boardFrequencyHz());
        assertTrue((v.clampBits() & ClampReason.PULSE_WIDTH_RANGE.bit()) != 0);
        sup.estopPressed();
        req.stim(true, 1, 200, 80, 10).boardTimed(200, 80).heater(false, 0, Double.NaN);
        v = tick(sup, 0);
        assertTrue(v.faulted());
        assertFalse(v.boardTimed(), "a latched fault sends the plain off setpoint");
        req.stim(true, 1, 200, 80, 10).heater(false, 0, Double.NaN);
        assertFalse(req.boardTimed(), "stim() resets the request to host-timed");
    }
}
