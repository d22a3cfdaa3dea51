package io.tensd.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tensd.config.Limits;
import io.tensd.hw.BatteryReading;
import io.tensd.hw.BoardFault;
import io.tensd.hw.PostureReading;
import io.tensd.hw.SensorStatus;
import io.tensd.hw.StimStatus;
import io.tensd.hw.TempReading;
import org.junit.jupiter.api.Test;

/**
 * Which host fault a board status raises. A board with a latched fault refuses every SETPOINT, so a refusal that
 * comes with a latched fault is that fault's echo (whether one is in flight is down to frame timing: it once made
 * the serial scenario report two faults where the in-process one reported one); a refusal on its own is a fault.
 */
class BoardFaultMappingTest {
    private static final long TICK = 10_000_000L;

    private static long faultsFor(int boardBits) {
        SafetySupervisor sup = new SafetySupervisor(Limits.defaults(), SafetySettings.defaults());
        Inputs in = new Inputs();
        Request req = new Request();
        long faults = 0;
        for (long t = TICK; t <= 20 * TICK; t += TICK) {
            int bits = t < 10 * TICK ? 0 : boardBits;
            in.set(TempReading.ok(34, t), TempReading.ok(34, t), new StimStatus(t, 0, 1000, bits, true, 100, 1), false,
                    new BatteryReading(80, 4, SensorStatus.OK, t), PostureReading.NONE);
            req.stim(true, 5, 150, 100, 10).heater(false, 0, 38);
            faults |= sup.step(t, in, req).faultBits();
        }
        return faults;
    }

    @Test
    void aRefusalWithALatchedOvercurrentIsOnlyTheOvercurrent() {
        assertEquals(FaultCode.STIM_OVERCURRENT.bit(),
                faultsFor(BoardFault.OVERCURRENT.bit() | BoardFault.SETPOINT_REJECTED.bit()));
    }

    @Test
    void aRefusalOnItsOwnIsABoardFault() {
        assertEquals(FaultCode.STIM_BOARD_FAULT.bit(), faultsFor(BoardFault.SETPOINT_REJECTED.bit()));
    }

    @Test
    void overvoltageAndSelfTestStayBoardFaults() {
        assertEquals(FaultCode.STIM_BOARD_FAULT.bit(), faultsFor(BoardFault.OVERVOLTAGE.bit() | BoardFault.SETPOINT_REJECTED.bit()));
        assertEquals(FaultCode.STIM_BOARD_FAULT.bit(), faultsFor(BoardFault.SELF_TEST.bit()));
    }
}
