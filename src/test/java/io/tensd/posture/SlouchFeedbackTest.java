package io.tensd.posture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.sim.posture.ImuSynth;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SlouchFeedbackTest {

    /** First sample time at which the true flexion exceeds {@code thresholdDeg}. */
    private static long slouchFrom(SimRun r, double thresholdDeg, long withinMillis) {
        long t = r.now;
        long end = r.now + withinMillis * 1_000_000L;
        for (; t < end; t += SimRun.STEP_NANOS) {
            if (r.synth.truthFlexionDeg(t) > thresholdDeg) {
                return t;
            }
        }
        throw new AssertionError("truth never crossed " + thresholdDeg);
    }

    @Test
    void alertFiresAtTheConfiguredDelayWithinOneSample() {
        Random seeds = new Random(20240601L);
        long worstNanos = 0;
        long worstTruthNanos = 0;
        for (int i = 0; i < 12; i++) {
            long seed = seeds.nextLong();
            Random rnd = new Random(seed);
            boolean two = rnd.nextBoolean();
            long delayMillis = i < 2 ? 120_000 : 3_000 + rnd.nextInt(57_000);
            double flexion = 25 + rnd.nextDouble() * 30;
            PostureConfig cfg = PostureConfig.defaults().withSlouch(20, delayMillis);
            SimRun r = new SimRun(ImuSynth.Options.realistic(seed, two), cfg).calibrated();
            r.run(3000);
            r.synth.setPosture(r.now, flexion, 0, 1500);
            long truthCrossing = slouchFrom(r, 20, 2000);
            long measuredCrossing = Long.MIN_VALUE;
            long end = r.now + (delayMillis + 3000) * 1_000_000L;
            while (r.now < end) {
                long t = r.now;
                if (r.step().flexionDeg() > 20 && measuredCrossing == Long.MIN_VALUE) {
                    measuredCrossing = t;
                }
            }
            List<PostureEvent.SlouchAlert> alerts = r.events(PostureEvent.SlouchAlert.class);
            String ctx = "seed " + seed + " two=" + two + " delay " + delayMillis + " flexion " + flexion;
            assertEquals(1, alerts.size(), ctx);
            long delayNanos = delayMillis * 1_000_000L;
            long afterMeasured = alerts.get(0).atNanos() - measuredCrossing - delayNanos;
            long afterTruth = alerts.get(0).atNanos() - truthCrossing - delayNanos;
            worstNanos = Math.max(worstNanos, afterMeasured);
            worstTruthNanos = Math.max(worstTruthNanos, Math.abs(afterTruth));
            // fires on the first sample at or after crossing + delay: never early, less than one sample late
            assertTrue(afterMeasured >= 0 && afterMeasured < SimRun.STEP_NANOS, ctx + ": alert " + afterMeasured / 1e6 + " ms after the delay");
            // and the estimate crosses the threshold within a sample of the true angle
            assertTrue(Math.abs(afterTruth) <= 2 * SimRun.STEP_NANOS, ctx + ": " + afterTruth / 1e6 + " ms off the true crossing + delay");
            assertEquals(1, r.pipeline.stats().slouchAlerts(), ctx);
        }
        System.out.printf("slouch alert timing over 12 seeded runs: alert - (measured crossing + delay) <= %.1f ms;"
                + " |alert - (true crossing + delay)| <= %.1f ms%n", worstNanos / 1e6, worstTruthNanos / 1e6);
    }

    @Test
    void trackingModeRecordsTheEpisodeButNeverAlerts() {
        PostureConfig cfg = PostureConfig.defaults().withSlouch(20, 5_000).withMode(FeedbackMode.TRACKING);
        SimRun r = new SimRun(ImuSynth.Options.realistic(3, false), cfg).calibrated();
        for (int i = 0; i < 3; i++) {
            r.synth.setPosture(r.now, 35, 0, 1000);
            r.run(10_000);
            r.synth.setPosture(r.now, 0, 0, 1000);
            r.run(5_000);
        }
        assertEquals(List.of(), r.events(PostureEvent.SlouchAlert.class));
        PostureStats s = r.pipeline.stats();
        assertEquals(0, s.slouchAlerts());
        assertEquals(3, s.slouchEpisodes());
        assertTrue(s.slouchMillis() > 25_000, "slouch time " + s.slouchMillis());
    }

    @Test
    void shortSlouchesLyingAndUncalibratedGiveNoAlert() {
        PostureConfig cfg = PostureConfig.defaults().withSlouch(20, 10_000);
        // uncalibrated: flexed for a minute, nothing
        SimRun raw = new SimRun(ImuSynth.Options.realistic(5, false), cfg);
        raw.synth.setPosture(raw.now, 40, 0, 1000);
        raw.run(60_000);
        assertEquals(List.of(), raw.events);
        assertEquals(null, raw.last.postureClass());

        SimRun r = new SimRun(ImuSynth.Options.realistic(5, false), cfg).calibrated();
        r.synth.setPosture(r.now, 35, 0, 500);
        r.run(8_000); // shorter than the delay
        r.synth.setPosture(r.now, 0, 0, 500);
        r.run(3_000);
        r.synth.setBase(r.now, ImuSynth.Base.SUPINE, 2000);
        r.run(30_000);
        assertEquals("lying", r.last.postureClass());
        assertEquals(List.of(), r.events(PostureEvent.SlouchAlert.class));
    }

    @Test
    void sittingUpRearmsTheAlert() {
        PostureConfig cfg = PostureConfig.defaults().withSlouch(20, 4_000);
        SimRun r = new SimRun(ImuSynth.Options.realistic(9, true), cfg).calibrated();
        r.synth.setPosture(r.now, 30, 0, 500);
        r.run(20_000); // one long episode: one alert
        assertEquals(1, r.events(PostureEvent.SlouchAlert.class).size());
        r.synth.setPosture(r.now, 17, 0, 500); // within the hysteresis band: still the same episode
        r.run(10_000);
        assertEquals(1, r.events(PostureEvent.SlouchAlert.class).size());
        r.synth.setPosture(r.now, 5, 0, 500);
        r.run(3_000);
        r.synth.setPosture(r.now, 30, 0, 500);
        r.run(6_000);
        assertEquals(2, r.events(PostureEvent.SlouchAlert.class).size());
    }
}
