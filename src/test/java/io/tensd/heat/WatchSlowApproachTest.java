package io.tensd.heat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.config.Limits;
import io.tensd.safety.FaultCode;
import io.tensd.safety.HeatModel;
import io.tensd.safety.SafetySettings;
import io.tensd.sim.HeatedSession;
import io.tensd.sim.PadPlant;
import io.tensd.sim.PadRig;
import io.tensd.sim.SimHeatTune;
import org.junit.jupiter.api.Test;

/**
 * The heater watch on slow pads: a weak, heavy pad in an 18 °C room closes the last degree to the setpoint with a
 * time constant of ~3 minutes; the fixed "0.5 °C per 90 s" tripped it ({@code heater-watch}) at 6–8 minutes on 21 of
 * 200 pads. The watch asks for a share of the remaining gap there, and a heater that stops is still caught.
 */
class WatchSlowApproachTest {
    private static final double AMBIENT = 18.0;
    private static final PadPlant[] SLOW = {new PadPlant(0.783, 1.214, 0.907), new PadPlant(0.867, 1.228, 1.026),
        new PadPlant(0.754, 1.164, 0.793)};
    private static final long MIN = 60_000L * PadRig.MS;

    private static HeatSetup tuned(PadPlant plant) {
        SimHeatTune.Outcome o = SimHeatTune.run(plant, AMBIENT, 1, Limits.defaults(), SafetySettings.defaults(),
                "2026-12-02T00:00:00Z");
        assertTrue(o.calibration() != null, plant.padId() + ": " + o.failure());
        return o.calibration().setup(plant.padId(), HeatModel.defaults());
    }

    @Test
    void slowPadsInACoolRoomHeatAnHourWithoutATrip() {
        for (PadPlant plant : SLOW) {
            PadRig rig = new PadRig(plant, AMBIENT, 5);
            double[] maxSkin = {0};
            HeatedSession session = new HeatedSession(tuned(plant), Limits.defaults(), 40, false);
            PadRig.Result r = rig.run(new PadRig.Driver() {
                @Override
                public io.tensd.safety.Verdict tick(long now, io.tensd.safety.Inputs in) {
                    maxSkin[0] = Math.max(maxSkin[0], rig.thermal().skinCelsius());
                    return session.tick(now, in);
                }
            }, 60 * MIN, 0, PadRig.Injection.NONE);
            assertEquals("", FaultCode.join(r.faultBits(), ","), plant.padId() + " at " + AMBIENT + " °C");
            assertTrue(maxSkin[0] >= 39.7, plant.padId() + ": never reached the setpoint, max " + maxSkin[0]);
        }
    }

    /**
     * A heater that stops delivering (open circuit) while warming up, on the last degree, and at the setpoint, with the
     * model cross-check made blind (it catches this first, in 7–16 s): the watch alone still latches.
     */
    @Test
    void aHeaterThatStopsIsStillCaughtByTheWatchAlone() {
        for (PadPlant plant : new PadPlant[] {SLOW[0], SLOW[2], PadPlant.NOMINAL}) {
            HeatSetup t = plant.nominal() ? HeatSetup.nominal() : tuned(plant);
            HeatSetup setup = new HeatSetup(t.model().withToleranceCelsius(Double.POSITIVE_INFINITY), t.kpPerCelsius(),
                    t.kiPerCelsiusSecond(), t.kdSecondsPerCelsius(), t.bandCelsius(), t.source(), null);
            for (long at : new long[] {2 * MIN, 5 * MIN, 6 * MIN, 20 * MIN}) {
                PadRig.Result r = new PadRig(plant, AMBIENT, 9).run(new HeatedSession(setup, Limits.defaults(), 40, true),
                        at + 10 * MIN, 0, new PadRig.Injection(PadRig.Fault.HEATER_OPEN, at, 0));
                double s = (r.firstFaultNanos() - at) / 1e9;
                System.out.printf("%s heater open at %d min: %s after %.1f s%n", plant.padId(), at / MIN,
                        FaultCode.join(r.faultBits(), ","), s);
                assertTrue(r.firstFaultNanos() >= at, plant.padId() + ": a fault before the heater opened");
                assertTrue((r.faultBits() & FaultCode.HEATER_WATCH.bit()) != 0, plant.padId() + " at " + at / MIN
                        + " min: " + FaultCode.join(r.faultBits(), ","));
                assertTrue(s <= 150, plant.padId() + " heater open at " + at / MIN + " min: caught after " + s + " s");
            }
        }
    }
}
