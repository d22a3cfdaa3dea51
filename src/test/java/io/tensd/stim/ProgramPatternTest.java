package io.tensd.stim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tensd.therapy.Programs;
import io.tensd.therapy.Setpoint;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Pattern#of}: a program's board-timed form means what the host's envelope means. Over a whole cycle the
 * pattern's factor equals the envelope's (amplitude, width, rate), a burst pattern's train holds exactly the pulses
 * the host's gate lets through, and the reference board accepts every pattern of a program inside its ranges.
 * Seeded ({@code -Dtensd.seed=N}).
 */
class ProgramPatternTest {
    private static final long MS = 1_000_000L;

    @Test
    void modulationFactorIsTheHostEnvelopeOverAWholeCycle() {
        long master = Long.getLong("tensd.seed", 1702L);
        Random r = new Random(master);
        Setpoint sp = new Setpoint();
        for (int i = 0; i < 1_000; i++) {
            Programs.Modulation m = Programs.Modulation.values()[r.nextInt(3)];
            double depth = 10 + r.nextInt(51);
            double periodS = (1_000 + r.nextInt(59_001)) / 1000.0;
            double hz = (m == Programs.Modulation.RATE ? 20 : 2) + r.nextInt(m == Programs.Modulation.RATE ? 131 : 149);
            int pw = 50 + r.nextInt(201);
            Programs.Modulated prog = new Programs.Modulated(m, depth, periodS, hz, pw);
            Pattern p = Pattern.of(prog);
            assertNotNull(p, "whole percent and whole milliseconds have a pattern form: " + prog);
            assertEquals(m.ordinal() + 1, p.modulationCode());
            long period = Math.round(periodS * 1e9);
            for (int k = 0; k <= 200; k++) {
                long t = period * k / 200 + (k == 200 ? 0 : r.nextInt(1_000));
                double f = p.factor(t);
                prog.envelope(t, 20.0, sp);
                String where = "seed " + master + " case " + i + " " + prog + " at " + t + " ns";
                switch (m) {
                    case AMPLITUDE -> assertEquals(sp.milliAmps / 20.0, f, 1e-9, where);
                    case WIDTH -> assertEquals(sp.pulseWidthMicros, (int) Math.round(pw * f), where);
                    case RATE -> assertEquals(sp.frequencyHz, Math.max(1, Math.round(hz * f)), 1e-9, where);
                }
            }
        }
    }

    @Test
    void aBurstPatternsTrainHoldsThePulsesTheHostGateLetsThrough() {
        for (double rate = 1; rate <= 4; rate += 0.25) {
            for (int n = 2; n <= 20; n++) {
                for (double hz = 80; hz <= 150; hz += 10) {
                    Programs.Burst prog;
                    try {
                        prog = new Programs.Burst(rate, hz, n, 200);
                    } catch (IllegalArgumentException e) {
                        continue;       // outside the program's definition
                    }
                    Pattern p = Pattern.of(prog);
                    assertEquals(n, p.pulsesPerTrain());
                    assertEquals(Math.round(1e6 / rate), p.burstPeriodMicros(), "period, 1 µs resolution");
                    // the board's pulses at k/hz (k < n) all fall in the host's gate [0, n/hz); the next would not
                    long gate = prog.trainNanos();
                    for (int k = 0; k < n; k++) {
                        assertTrue(Math.round(k * 1e9 / hz) < gate, prog + ": pulse " + k);
                    }
                    assertTrue(Math.round(n * 1e9 / hz) >= gate, prog + ": pulse " + n);
                    BoardLogic b = new BoardLogic(BoardLogic.Caps.defaults(), 1);
                    assertEquals(ReplyCode.OK, b.setpoint(MS, 1, 0, true, 1_000, 200, (int) Math.round(hz),
                            Waveform.SYMMETRIC_BIPHASIC, p, 100), prog + " runs on the reference board");
                }
            }
        }
    }

    @Test
    void everyModulatedProgramsPatternRunsOnTheReferenceBoard() {
        for (Programs.Modulation m : Programs.Modulation.values()) {
            for (int depth = 10; depth <= 60; depth += 10) {
                for (int pw : new int[]{50, 125, 250}) {
                    for (double hz : new double[]{20, 80, 150}) {
                        Programs.Modulated prog = new Programs.Modulated(m, depth, 1.5, hz, pw);
                        Pattern p = Pattern.of(prog);
                        BoardLogic b = new BoardLogic(BoardLogic.Caps.defaults(), 1);
                        ReplyCode rc = b.setpoint(MS, 1, 0, true, 1_000, prog.maxPulseWidthMicros(),
                                (int) Math.round(prog.maxFrequencyHz()), Waveform.SYMMETRIC_BIPHASIC, p, 100);
                        if (rc != ReplyCode.OK) {
                            fail(prog + " → " + p + ": " + rc);
                        }
                    }
                }
            }
        }
    }

    @Test
    void constantProgramsAreContinuousAndTheRestKeepHostGating() {
        assertSame(Pattern.CONTINUOUS, Pattern.of(new Programs.Conventional(100, 150)));
        assertSame(Pattern.CONTINUOUS, Pattern.of(new Programs.AcupunctureLike(2, 200)));
        assertNull(Pattern.of(new Programs.StrengthDuration(30, 2, 100, 150)),
                "width and rate move in opposite directions: no one-parameter pattern says that");
        assertNull(Pattern.of(new Programs.Modulated(Programs.Modulation.AMPLITUDE, 30.5, 2, 100, 150)), "depth 30.5 %");
        assertNull(Pattern.of(new Programs.Modulated(Programs.Modulation.AMPLITUDE, 30, 2.0004, 100, 150)), "period 2000.4 ms");
        assertEquals(Pattern.modulated(Pattern.RATE, 30, 2_500), Pattern.of(new Programs.Modulated(Programs.Modulation.RATE, 30, 2.5, 100, 150)));
    }
}
