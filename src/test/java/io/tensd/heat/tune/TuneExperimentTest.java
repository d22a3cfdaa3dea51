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

    @Test
    void aSampleIsAtItsReadingsOwnTime() {
        TunePlan plan = new TunePlan(0.5, 38.5, 44.0, 1_000, 2_000, 1_000, 10_000, 0.6);
        TuneExperiment e = new TuneExperiment(plan);
        double applied = 0;
        double appliedIntegral = 0;
        // ramps, so that a reading's value says when it was taken; ticks every 50 ms; skin sampled at 10 ms (mod 100)
        // and used 40 ms later, pad sampled at 20 ms and used 80 ms later (in the other tick)
        TempReading skin = TempReading.NONE;
        TempReading pad = TempReading.NONE;
        for (long now = 0; !e.finished(); now += 50 * MS) {
            if (now > 0) {
                appliedIntegral += applied * 0.05;
            }
            if (now % (100 * MS) == 50 * MS) {
                skin = TempReading.ok(skinAt(now - 40 * MS), now - 40 * MS);
            } else if (now > 0) {
                pad = TempReading.ok(padAt(now - 80 * MS), now - 80 * MS);
            }
            if (pad.status() != io.tensd.hw.SensorStatus.OK || skin.status() != io.tensd.hw.SensorStatus.OK) {
                continue;
            }
            applied = e.tick(now, skin, pad, applied);
        }
        TuneExperiment.Samples s = e.samples();
        double recorded = 0;
        for (int i = 0; i < s.size(); i++) {
            long t = Math.round(s.t(i) * 1000) * MS + 100 * MS; // the first tick (the experiment's 0) was at 100 ms
            assertEquals(padAt(t), s.pad(i), 1e-9, "pad at its own time, sample " + i);
            assertEquals(skinAt(t), s.skin(i), 1e-9, "skin at the pad's time, sample " + i);
            if (i > 0) {
                recorded += s.duty(i) * (s.t(i) - s.t(i - 1));
            }
        }
        assertEquals(1.0, appliedIntegral, 1e-9, "2 s at duty 0.5");
        assertEquals(appliedIntegral, recorded, 1e-9, "the record carries the applied duty, in time");
        assertEquals(0.02, s.t(0), 1e-9, "the first pad reading taken after the start");
    }

    private static double skinAt(long nanos) { return 34 + nanos / 1e9 * 0.01; }

    private static double padAt(long nanos) { return 30 + nanos / 1e9 * 0.1; }
}
