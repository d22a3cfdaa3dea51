package io.tensd.heat.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tensd.hw.TempReading;
import org.junit.jupiter.api.Test;

/** What the experiment records: the duty the pad got over each sample's interval, wherever the ticks fall. */
class TuneExperimentTest {
    private static final long MS = 1_000_000L;

    @Test
    void aSampleRecordsTheMeanDutySinceThePreviousSample() {
        TunePlan plan = new TunePlan(0.5, 38.5, 44.0, 1_000, 2_000, 1_000, 10_000, 0.6);
        TuneExperiment e = new TuneExperiment(plan);
        double applied = 0;
        double appliedIntegral = 0;
        long readingAt = -50 * MS;
        // ticks every 50 ms, readings every 100 ms half-way between (as on the device: first readings one tick late),
        // so the step starts and ends on a tick between two samples
        for (long now = 0; !e.finished(); now += 50 * MS) {
            if (now > 0) {
                appliedIntegral += applied * 0.05;
            }
            if (now % (100 * MS) == 50 * MS) {
                readingAt = now;
            }
            TempReading r = TempReading.ok(35, readingAt);
            applied = e.tick(now, r, r, applied);
        }
        TuneExperiment.Samples s = e.samples();
        double recorded = 0;
        int halfOn = 0;
        for (int i = 1; i < s.size(); i++) {
            recorded += s.duty(i) * (s.t(i) - s.t(i - 1));
            halfOn += s.duty(i) == 0.25 ? 1 : 0;
        }
        assertEquals(1.0, appliedIntegral, 1e-9, "2 s at duty 0.5");
        assertEquals(appliedIntegral, recorded, 1e-9, "the record carries the applied duty, in time");
        assertEquals(2, halfOn, "the samples across the step's edges were heated half of their interval");
    }
}
