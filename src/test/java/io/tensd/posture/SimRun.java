package io.tensd.posture;

import io.tensd.hw.ImuSample;
import io.tensd.hw.PostureReading;
import io.tensd.sim.posture.ImuSynth;
import java.util.ArrayList;
import java.util.List;

/** Test harness: an {@link ImuSynth} feeding a {@link PosturePipeline} at 100 Hz on a virtual clock. */
final class SimRun {
    static final long STEP_NANOS = 10_000_000L;

    final ImuSynth synth;
    final PosturePipeline pipeline;
    final List<PostureEvent> events = new ArrayList<>();
    long now = 1_000_000_000L;
    PostureReading last;

    SimRun(ImuSynth.Options options, PostureConfig cfg) {
        synth = new ImuSynth(options);
        pipeline = new PosturePipeline(cfg, options.twoSensors(), events::add);
    }

    /** Stands in neutral for 2 s, captures 5 s, stands 1 s more; fails if calibration did not succeed. */
    SimRun calibrated() {
        run(2000);
        pipeline.startNeutralCapture(now, 5000);
        run(6000);
        if (pipeline.calibration().isEmpty()) {
            throw new AssertionError("calibration failed: " + events);
        }
        return this;
    }

    PostureReading step() {
        ImuSample[] s = synth.sample(now);
        last = pipeline.update(now, s[0], s.length > 1 ? s[1] : null);
        now += STEP_NANOS;
        return last;
    }

    void run(long millis) {
        long end = now + millis * 1_000_000L;
        while (now < end) {
            step();
        }
    }

    <T extends PostureEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
