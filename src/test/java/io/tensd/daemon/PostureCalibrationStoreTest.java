package io.tensd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.hw.ImuSample;
import io.tensd.hw.PostureReading;
import io.tensd.posture.PostureConfig;
import io.tensd.posture.PosturePipeline;
import io.tensd.sim.posture.ImuSynth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The device keeps a patient's neutral calibration across restarts, so slouch feedback works from the first second. */
class PostureCalibrationStoreTest {
    private static final long MS = 1_000_000L;

    private static PosturePipeline pipeline(PostureCalibrationStore store) {
        return new PosturePipeline(PostureConfig.defaults(), true, store);
    }

    /** Feeds {@code seconds} of synthetic samples from {@code fromMs}; returns the last reading. */
    private static PostureReading feed(PosturePipeline p, ImuSynth synth, long fromMs, int seconds) {
        PostureReading r = null;
        for (long t = fromMs * MS; t < (fromMs + seconds * 1000L) * MS; t += 10 * MS) {
            ImuSample[] s = synth.sample(t);
            r = p.update(t, s[0], s[1]);
        }
        return r;
    }

    @Test
    void aCaptureIsSavedAndARestartRestoresIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("state/posture-calibration.json");
        PostureCalibrationStore first = new PostureCalibrationStore(file, Runnable::run);
        PosturePipeline a = pipeline(first);
        assertTrue(first.restoreOrCapture(a, 0).contains("neutral standing capture"));
        ImuSynth synth = new ImuSynth(ImuSynth.Options.realistic(11, true));
        feed(a, synth, 0, 12);
        assertTrue(Files.exists(file), "saved after the capture");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        synth.setPosture(12_000 * MS, 30, 0, 2_000);
        PostureReading afterA = feed(a, synth, 12_000, 10);

        // a restart: a new pipeline restored from the file classifies at once, no capture needed
        PostureCalibrationStore second = new PostureCalibrationStore(file, Runnable::run);
        PosturePipeline b = pipeline(second);
        assertTrue(second.restoreOrCapture(b, 22_000 * MS).contains("restored"));
        PostureReading afterB = feed(b, synth, 22_000, 3);
        assertNotNull(afterB.postureClass(), "classified within 3 s of start");
        assertEquals("flexed", afterB.postureClass());
        assertEquals(afterA.flexionDeg(), afterB.flexionDeg(), 1.5, "same angles as before the restart");
    }

    @Test
    void anUnreadableFileMeansANewCapture(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("posture-calibration.json");
        Files.writeString(file, "{ not json");
        PostureCalibrationStore store = new PostureCalibrationStore(file, Runnable::run);
        assertTrue(store.restoreOrCapture(pipeline(store), 0).contains("neutral standing capture"));
    }
}
