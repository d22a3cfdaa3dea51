package io.tensd.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.config.Limits;
import io.tensd.hw.BatteryReading;
import io.tensd.hw.PostureReading;
import io.tensd.hw.SensorStatus;
import io.tensd.hw.StimStatus;
import io.tensd.hw.TempReading;
import org.junit.jupiter.api.Test;

/** The "far above setpoint too long" runaway check with synthetic inputs (the simulator trips H-HEAT-04 first). */
class HeaterRunawayTest {
    private static final long TICK = 10_000_000L;

    private static long run(double setpoint, java.util.function.LongToDoubleFunction skinAt, long forNanos) {
        SafetySupervisor sup = new SafetySupervisor(Limits.defaults(), SafetySettings.defaults());
        Inputs in = new Inputs();
        Request req = new Request();
        for (long t = TICK; t <= forNanos; t += TICK) {
            double skin = skinAt.applyAsDouble(t) + (t / TICK % 3) * 0.001;
            in.set(TempReading.ok(skin, t), TempReading.ok(skin + 3, t), new StimStatus(t, 0, 1000, 0, true, 100, 1), false,
                    new BatteryReading(80, 4, SensorStatus.OK, t), PostureReading.NONE);
            req.stim(true, 0, 150, 100, 10).heater(true, 0, setpoint);
            Verdict v = sup.step(t, in, req);
            if ((v.faultBits() & FaultCode.HEATER_RUNAWAY.bit()) != 0) {
                return t;
            }
        }
        return -1;
    }

    @Test
    void skinHeldAboveSetpointTripsRunawayAfterThirtySeconds() {
        long t = run(38.0, n -> 39.0, 60_000_000_000L);
        assertTrue(t >= 30_000_000_000L && t <= 30_100_000_000L, "tripped at " + t / 1e9 + " s");
    }

    @Test
    void loweringTheSetpointWhileTheSkinCoolsNeverTrips() {
        // setpoint lowered to 37.5 with the skin at 40 cooling 0.02 °C/s: above sp + 0.75 for ~87 s, but cooling
        long t = run(37.5, n -> Math.max(37.5, 40.0 - 0.02 * n / 1e9), 150_000_000_000L);
        assertEquals(-1, t, "no runaway while the skin cools towards a lowered setpoint");
    }
}
