package io.tensd.loop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.config.Limits;
import io.tensd.hw.Button;
import io.tensd.safety.FaultCode;
import io.tensd.safety.SafetySettings;
import io.tensd.session.SessionCommand;
import io.tensd.session.SessionEvent;
import io.tensd.session.SessionSettings;
import io.tensd.sim.SimDevice;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A board overcurrent that trips after the board's last status frame and just before a technician's clear: the
 * clear (of an e-stop) must not send CLEAR_FAULT, which would wipe the overcurrent before the host ever saw it.
 */
class ClearRaceTest {
    private static final long MS = 1_000_000L;

    @Test
    void anOvercurrentRacingAClearOfAnotherFaultIsReportedNotWiped() {
        VirtualClock clock = new VirtualClock(1_000 * MS);
        SimDevice dev = new SimDevice(clock, Limits.defaults(), 7);
        List<SessionEvent> events = new ArrayList<>();
        DeviceController c = new DeviceController(dev.io(), Limits.defaults(), SafetySettings.defaults(), SessionSettings.defaults(),
                events::add, () -> "s");
        long t = clock.nanos();
        for (int i = 0; i < 200; i++, t += 10 * MS) {
            tick(clock, dev, c, t);
        }
        dev.pressEstop();
        c.submit(new SessionCommand.Press(Button.ESTOP, SessionCommand.Source.LOCAL, t), o -> { });
        for (int i = 0; i < 50; i++, t += 10 * MS) {
            tick(clock, dev, c, t);
        }
        assertTrue((c.supervisor().latchedFaults() & FaultCode.ESTOP.bit()) != 0);
        dev.releaseEstop();
        c.submit(new SessionCommand.Press(Button.CLEAR, SessionCommand.Source.LOCAL, t), o -> { });
        clock.set(t);
        dev.advance(t);               // the board's status frame for this moment: no fault yet
        dev.board().injectOvercurrent(); // the comparator trips now, before the clear reaches the board
        c.tick(t);
        t += 10 * MS;
        long seen = 0;
        for (int i = 0; i < 100; i++, t += 10 * MS) {
            tick(clock, dev, c, t);
            seen |= c.verdict().faultBits();
        }
        assertTrue((seen & FaultCode.STIM_OVERCURRENT.bit()) != 0, "overcurrent latched: " + FaultCode.join(seen, ","));
        assertTrue(events.stream().anyMatch(e -> e.type().equals("fault-raised") && "stim-overcurrent".equals(e.data().get("code"))),
                "and in the events");
    }

    private static void tick(VirtualClock clock, SimDevice dev, DeviceController c, long t) {
        clock.set(t);
        dev.advance(t);
        c.tick(t);
    }
}
