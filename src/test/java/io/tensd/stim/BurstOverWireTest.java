package io.tensd.stim;

import io.tensd.loop.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A burst program (2 trains/s of 8 pulses at 80 Hz) over real ptys, from the emulator's pulse timeline: a v2
 * board times the trains itself (edges on the prescribed grid); a v1 board still runs it, gated by the host at
 * its loop ticks. Prints the edge errors of both.
 */
@Timeout(30)
class BurstOverWireTest {
    private static final long MS = 1_000_000L;
    private static final Clock CLOCK = Clock.SYSTEM;
    private static final Pattern BURST = Pattern.burst(2, 8);
    private static final long PERIOD = 500 * MS;
    private static final long TRAIN = 7 * 12_500_000L;     // first to last pulse of a train

    @TempDir
    Path dir;

    private record Pulse(long scheduled, long emitted, int microAmps) { }

    @Test
    void aV2BoardTimesTheTrainsOnThePrescribedGrid() throws Exception {
        List<long[]> trains = run(2);
        double[] sched = errors(trains, 0);
        double[] emit = errors(trains, 1);
        System.out.printf(Locale.ROOT, "burst edges, v2 board (board-timed), %d trains: timeline max |error| start %.3f ms,"
                + " end %.3f ms; emitted by the emulator thread max |error| start %.3f ms, end %.3f ms%n",
                trains.size(), sched[0], sched[1], emit[0], emit[1]);
        assertTrue(trains.size() >= 3, "trains seen: " + trains.size());
        assertTrue(sched[0] <= 1.0 && sched[1] <= 1.0, "train edges off the prescription");
    }

    @Test
    void aV1BoardStillRunsTheBurstGatedByTheHost() throws Exception {
        List<long[]> trains = run(1);
        double[] sched = errors(trains, 0);
        System.out.printf(Locale.ROOT, "burst edges, v1 board (host-gated at loop ticks), %d trains: max |error| start %.3f ms,"
                + " end %.3f ms%n", trains.size(), sched[0], sched[1]);
        assertTrue(trains.size() >= 3, "trains seen: " + trains.size());
    }

    /** Trains as {scheduled start, emitted start, scheduled end, emitted end}, from pulses with current. */
    private List<long[]> run(int boardVersion) throws Exception {
        List<Pulse> pulses = new ArrayList<>();
        try (SocatPair socat = SocatPair.start(dir);
             StimBoardEmulator board = new StimBoardEmulator(socat.board.toString(), new BoardLogic(BoardLogic.Caps.defaults(), 3),
                     CLOCK, 5, 10, boardVersion).start();
             SerialStimulator link = new SerialStimulator(StimLinkConfig.defaults(socat.host.toString(), 100), CLOCK).start()) {
            long deadline = CLOCK.nanos() + 5_000 * MS;
            while (link.board().isEmpty() && CLOCK.nanos() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(boardVersion, link.board().orElseThrow().version());
            board.logic().pulseSink((s, e, a, w) -> {
                synchronized (pulses) {
                    pulses.add(new Pulse(s, e, a));
                }
            });
            long end = CLOCK.nanos() + 2_300 * MS;
            while (CLOCK.nanos() < end) {
                link.commandPattern(CLOCK.nanos(), true, 2_000, 200, 80, BURST);
                Thread.sleep(10);
            }
            link.command(CLOCK.nanos(), false, 0, 0, 0);
        }
        List<long[]> trains = new ArrayList<>();
        Pulse prev = null;
        long[] cur = null;
        synchronized (pulses) {
            for (Pulse p : pulses) {
                if (p.microAmps() == 0) {
                    continue;
                }
                if (prev == null || p.scheduled() - prev.scheduled() > 100 * MS) {
                    if (cur != null) {
                        trains.add(cur);
                    }
                    cur = new long[]{p.scheduled(), p.emitted(), p.scheduled(), p.emitted()};
                } else {
                    cur[2] = p.scheduled();
                    cur[3] = p.emitted();
                }
                prev = p;
            }
        }
        if (cur != null) {
            trains.add(cur);
        }
        if (trains.size() > 2) {
            trains = trains.subList(1, trains.size() - 1);     // the first and last may be cut by start and stop
        }
        return trains;
    }

    /** Max |error| (ms) of train starts against first start + k·period, and of ends against start + 87.5 ms. */
    private static double[] errors(List<long[]> trains, int column) {
        double start = 0;
        double end = 0;
        long origin = trains.isEmpty() ? 0 : trains.get(0)[column];
        for (long[] t : trains) {
            long k = Math.round((double) (t[column] - origin) / PERIOD);
            long want = origin + k * PERIOD;
            start = Math.max(start, Math.abs(t[column] - want) / 1e6);
            end = Math.max(end, Math.abs(t[column + 2] - (want + TRAIN)) / 1e6);
        }
        return new double[]{start, end};
    }
}
