package io.tensd.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.config.Limits;
import io.tensd.heat.tune.TunePlan;
import io.tensd.heat.tune.TuneRun;
import io.tensd.safety.Inputs;
import io.tensd.safety.SafetySettings;
import io.tensd.safety.SafetySupervisor;
import io.tensd.safety.Verdict;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Readings of a given age: stamped that much before the tick, with the model's temperature of then. */
class PadRigReadingAgeTest {
    private static final long MS = PadRig.MS;

    @Test
    void aReadingCarriesTheTemperatureAtItsOwnTime() {
        Limits limits = Limits.defaults();
        SafetySupervisor sup = new SafetySupervisor(limits, SafetySettings.defaults());
        TuneRun run = new TuneRun(sup, TunePlan.defaults(limits.skinCeilingCelsius(), sup.thermalLimits().padLimitCelsius()));
        PadRig rig = new PadRig(PadPlant.NOMINAL, SimDevice.AMBIENT_CELSIUS, 3).readingAges(50 * MS, 100 * MS);
        Map<Long, double[]> truth = new HashMap<>();
        double[] worst = new double[2];
        double[] bias = new double[4]; // pad reading − the model at its time, and − the model at the tick; while it heats
        int[] checked = new int[2];
        PadRig.Driver inner = SimHeatTune.driver(run);
        rig.run(new PadRig.Driver() {
            @Override
            public Verdict tick(long now, Inputs in) {
                truth.put(now, new double[] {rig.thermal().skinCelsius(), rig.thermal().padCelsius()});
                long skinAge = now - in.skin().sampledAtNanos();
                long padAge = now - in.pad().sampledAtNanos();
                assertTrue(skinAge == 50 * MS || skinAge == 100 * MS, "skin used 0 or 1 tick after it came: " + skinAge);
                assertTrue(padAge == 100 * MS || padAge == 150 * MS, "pad: " + padAge);
                double[] s = truth.get(in.skin().sampledAtNanos());
                double[] p = truth.get(in.pad().sampledAtNanos());
                if (s != null && p != null) { // the readings of the run's first 100 ms are of before it
                    worst[0] = Math.max(worst[0], Math.abs(in.skin().celsius() - s[0]));
                    worst[1] = Math.max(worst[1], Math.abs(in.pad().celsius() - p[1]));
                    checked[0]++;
                    if (p[1] > 25 && truth.get(now)[1] - p[1] > 0.004) { // heating: the pad rose over the reading's age
                        bias[0] += in.pad().celsius() - p[1];
                        bias[1] += in.pad().celsius() - truth.get(now)[1];
                        checked[1]++;
                    }
                }
                return inner.tick(now, in);
            }

            @Override
            public boolean finished() { return inner.finished(); }
        }, 3_600_000 * MS, 0, PadRig.Injection.NONE);
        assertTrue(checked[0] > 1000, "ticks checked " + checked[0]);
        // one reading's noise (0.01 / 0.03 °C, 1 sd) hides a 100 ms shift (a few mK): the mean over the heating ticks
        // does not (measured: +0.4 mK against the reading's own time, −5.5 mK against the tick)
        assertEquals(0, worst[0], 0.06, "skin within 6 sd of the model at its time");
        assertEquals(0, worst[1], 0.16, "pad within 5 sd of the model at its time");
        String what = "pad heating ticks " + checked[1] + ": mean error against its own time " + bias[0] / checked[1]
                + ", against the tick " + bias[1] / checked[1];
        assertTrue(checked[1] > 500, what);
        assertEquals(0, bias[0] / checked[1], 0.0015, what);
        assertTrue(bias[1] / checked[1] < -0.003, "the check sees a 100 ms shift: " + what);
    }
}
