package io.tensd.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.bench.BurstEdgeRig;
import io.tensd.sim.SimStimulator;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product's loop with a burst program over the real serial stack (DeviceController → SerialStimulator →
 * jSerialComm → socat → board emulator), train edges read from the emulator's pulse timeline. A v2 board gets the
 * level and the pattern and times the trains itself (edges within 1 ms of the prescribed grid); a v1 board gets the
 * host's gate at loop ticks as before. Both run fault-free for more than 10 s, and the board cuts its output by
 * itself within a lease and a status period once the loop stops. About 30 s of real time.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class BoardTimedBurstLoopTest {
    private static final long WINDOW_MS = 11_000;
    private static final long LEASE_MS = 100;
    private static final double STATUS_PERIOD_MS = SimStimulator.STATUS_PERIOD_NANOS / 1e6;
    /** The last tick's frame crosses the pty and waits for the board's thread: a few ms on a loaded machine. */
    private static final double TRANSIT_MS = 10;

    @TempDir
    Path dir;

    @Test
    void aV2BoardTimesTheLoopsBurstTrainsWithin1Ms() {
        BurstEdgeRig.Result r = runLive(dir, 2, 17);
        System.out.println("loop-driven burst, " + r.describe());
        assertEquals(2, r.boardVersion());
        assertTrue(r.live(), "session stimulating without fault on every tick of the window: " + r.describe());
        assertTrue(r.windowMillis() >= 10_000, r.describe());
        assertTrue(r.boardRanPattern(), "the loop handed the burst to the board");
        assertTrue(r.trains().size() >= 15, "trains: " + r.trains().size());
        assertTrue(r.maxEdgeErrorMs() <= 1.0, "train edges within 1 ms of the prescription: " + r.describe());
        for (long[] t : r.trains()) {
            assertEquals(8, t[2], "pulses per train");
        }
        assertTrue(r.offPhaseFrames() > 0, "the board drove its train while the host's own envelope was off, without a mismatch");
        assertTrue(r.maxPulseMicroAmps() <= BurstEdgeRig.LEVEL_MILLIAMPS * 1000, "no pulse above the prescribed level");
        assertOffAfterStop(r);
    }

    @Test
    void aV1BoardGetsTheHostGateAtLoopTicks() {
        BurstEdgeRig.Result r = runLive(dir, 1, 18);
        System.out.println("loop-driven burst, " + r.describe());
        assertEquals(1, r.boardVersion());
        assertTrue(r.live(), "session stimulating without fault on every tick of the window: " + r.describe());
        assertFalse(r.boardRanPattern(), "a v1 board never runs a pattern");
        assertTrue(r.trains().size() >= 15, "trains: " + r.trains().size());
        long[] pulses = r.trains().stream().mapToLong(t -> t[2]).sorted().toArray();
        for (long n : pulses) {
            assertTrue(n >= 1 && n <= 10, "a host-gated train of 8 pulses at 80 Hz never passes more than 8 + 2: " + n);
        }
        // a late tick (a loaded machine) shortens a host-gated train: that is the v1 limitation, not a fault
        long median = pulses[pulses.length / 2];
        assertTrue(median >= 6 && median <= 10, "host-gated trains pass 8 ± 2 pulses (median " + median + ")");
        assertTrue(r.maxPulseMicroAmps() <= BurstEdgeRig.LEVEL_MILLIAMPS * 1000, "no pulse above the prescribed level");
        assertOffAfterStop(r);
    }

    /**
     * The rig paces a real loop against a board behind real ptys: a machine that starves them past the 100 ms lease
     * makes the board cut, really (the run says so: not live). Such a run did not test the code, so it runs once more;
     * a second run that is not live fails the test.
     */
    private static BurstEdgeRig.Result runLive(Path dir, int boardVersion, long seed) {
        BurstEdgeRig.Result r = BurstEdgeRig.run(dir(dir, "run1"), boardVersion, WINDOW_MS, seed);
        if (!r.live()) {
            System.out.println("not live, the machine starved the loop or the link (" + r.describe() + "): running it once more");
            r = BurstEdgeRig.run(dir(dir, "run2"), boardVersion, WINDOW_MS, seed);
        }
        return r;
    }

    private static Path dir(Path parent, String name) {
        try {
            return java.nio.file.Files.createDirectories(parent.resolve(name));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertOffAfterStop(BurstEdgeRig.Result r) {
        assertFalse(Double.isNaN(r.offAfterStopMs()), "the board cut its output after the loop stopped");
        assertTrue(r.offAfterStopMs() <= LEASE_MS + STATUS_PERIOD_MS + TRANSIT_MS,
                "board output off " + r.offAfterStopMs() + " ms after the loop's last tick");
    }
}
