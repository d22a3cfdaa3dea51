package io.tensd.posture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.hw.ImuSample;
import io.tensd.hw.PostureReading;
import io.tensd.hw.SensorStatus;
import io.tensd.sim.posture.ImuSynth;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ActivityAndClassTest {

    @Test
    void walkingIsMovingAndStepsAreCounted() {
        Random seeds = new Random(5);
        long worst = 0;
        for (int i = 0; i < 8; i++) {
            long seed = seeds.nextLong();
            Random rnd = new Random(seed);
            boolean two = rnd.nextBoolean();
            double cadence = 80 + rnd.nextDouble() * 50;
            SimRun r = new SimRun(ImuSynth.Options.realistic(seed, two), PostureConfig.defaults()).calibrated();
            r.run(2000);
            r.synth.startWalking(r.now, cadence);
            r.run(30_000);
            assertEquals("moving", r.last.postureClass(), "seed " + seed);
            r.synth.stopWalking(r.now);
            r.run(5_000);
            assertEquals("upright", r.last.postureClass(), "seed " + seed);
            long truth = r.synth.truthSteps(r.now);
            long counted = r.pipeline.stats().steps();
            worst = Math.max(worst, Math.abs(counted - truth));
            assertTrue(Math.abs(counted - truth) <= 2, "seed " + seed + " cadence " + cadence + ": " + counted + " steps, truth " + truth);
        }
        System.out.printf("steps: worst |counted - true| = %d over 8 seeded 30 s walks (40-65 true steps each)%n", worst);
    }

    @Test
    void noStepsWhileSittingOrBending() {
        SimRun r = new SimRun(ImuSynth.Options.realistic(4, false), PostureConfig.defaults()).calibrated();
        r.synth.startBending(r.now, 25, 0.8, 20_000);
        r.run(25_000);
        assertEquals(0, r.pipeline.stats().steps());
    }

    @Test
    void classesFollowPosture() {
        SimRun r = new SimRun(ImuSynth.Options.realistic(12, true), PostureConfig.defaults()).calibrated();
        assertEquals("upright", r.last.postureClass());
        r.synth.setPosture(r.now, 30, 0, 1000);
        r.run(3000);
        assertEquals("flexed", r.last.postureClass());
        r.synth.setPosture(r.now, -15, 0, 1000);
        r.run(3000);
        assertEquals("extended", r.last.postureClass());
        r.synth.setPosture(r.now, 0, 0, 1000);
        r.synth.setBase(r.now, ImuSynth.Base.SUPINE, 2000);
        r.run(4000);
        assertEquals("lying", r.last.postureClass());
        r.synth.setBase(r.now, ImuSynth.Base.SIDE_LEFT, 2000);
        r.run(4000);
        assertEquals("lying", r.last.postureClass());
        PostureStats s = r.pipeline.stats();
        long total = s.millisByClass().values().stream().mapToLong(Long::longValue).sum();
        assertEquals(s.monitoredMillis(), total);
        assertTrue(s.millisByClass().get("flexed") >= 2000, s.toString());
        long hist = s.flexionHistogramMillis().stream().mapToLong(Long::longValue).sum();
        assertEquals(s.monitoredMillis() - s.millisByClass().get("lying"), hist);
    }

    @Test
    void aClassMustPersistForTheDwellTimeBeforeItIsReported() {
        SimRun r = new SimRun(ImuSynth.Options.realistic(13, false), PostureConfig.defaults()).calibrated();
        r.synth.setPosture(r.now, 30, 0, 200);
        r.run(600); // flexed for well under the 1 s dwell
        assertEquals("upright", r.last.postureClass());
        r.run(1000);
        assertEquals("flexed", r.last.postureClass());
    }

    @Test
    void captureWhileMovingIsRefusedAndNothingIsClassified() {
        SimRun r = new SimRun(ImuSynth.Options.realistic(14, false), PostureConfig.defaults());
        r.synth.startBending(r.now, 20, 0.7, 10_000);
        r.pipeline.startNeutralCapture(r.now, 5000);
        r.run(6000);
        PostureEvent.Calibration c = r.events(PostureEvent.Calibration.class).get(0);
        assertFalse(c.ok());
        assertTrue(c.reason().contains("moved"), c.reason());
        assertTrue(r.pipeline.calibration().isEmpty());
        assertEquals(null, r.last.postureClass());
    }

    @Test
    void sensorWornSidewaysIsRefused() {
        ImuSynth.Options o = ImuSynth.Options.realistic(15, false);
        o = new ImuSynth.Options(o.seed(), false, o.accelNoiseG(), o.gyroNoiseDps(), o.lowerBiasDps(), o.upperBiasDps(),
                o.biasWalkDpsPerSqrtS(), new ImuSynth.Vec3(0, 0, 85), o.upperMountDeg(), o.pelvisShare());
        SimRun r = new SimRun(o, PostureConfig.defaults());
        r.pipeline.startNeutralCapture(r.now, 5000);
        r.run(6000);
        PostureEvent.Calibration c = r.events(PostureEvent.Calibration.class).get(0);
        assertFalse(c.ok());
        assertTrue(c.reason().contains("tilted"), c.reason());
    }

    @Test
    void badSamplesAreRejectedAndCounted() {
        SimRun r = new SimRun(ImuSynth.Options.realistic(16, true), PostureConfig.defaults()).calibrated();
        ImuSample[] s = r.synth.sample(r.now);
        PostureReading bad = r.pipeline.update(r.now, s[0], null);
        assertTrue(Double.isNaN(bad.flexionDeg()));
        assertEquals(null, bad.postureClass());
        r.now += SimRun.STEP_NANOS;
        s = r.synth.sample(r.now);
        ImuSample broken = new ImuSample(r.now, 0, 0, 0, 0, 0, 0, SensorStatus.BUS_ERROR);
        assertEquals(null, r.pipeline.update(r.now, broken, s[1]).postureClass());
        assertEquals(bad.sampledAtNanos() + SimRun.STEP_NANOS, r.pipeline.latest().sampledAtNanos());
        r.now += SimRun.STEP_NANOS;
        r.run(100);
        assertEquals("upright", r.last.postureClass());
        assertEquals(2, r.pipeline.stats().rejectedSamples());
    }

    @Test
    void restoredCalibrationGivesTheSameAnglesAsTheCapture() {
        SimRun a = new SimRun(ImuSynth.Options.realistic(17, true), PostureConfig.defaults()).calibrated();
        SimRun b = new SimRun(ImuSynth.Options.realistic(18, true), PostureConfig.defaults());
        b.pipeline.setCalibration(a.pipeline.calibration().orElseThrow());
        b.synth.setPosture(b.now, 25, 5, 1000);
        b.run(4000);
        assertEquals(b.synth.truthFlexionDeg(b.now), b.last.flexionDeg(), 1.0);
        assertEquals("flexed", b.last.postureClass());
    }
}
