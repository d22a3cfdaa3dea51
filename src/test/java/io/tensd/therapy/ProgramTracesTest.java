package io.tensd.therapy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.sim.scenario.ScenarioHarness;
import io.tensd.sim.scenario.ScenarioHarness.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/** Each program's setpoint sequence, measured on the trace of a simulated session (10 ms rows). */
class ProgramTracesTest {

    private static List<Row> active(String scenario) {
        List<Row> rows = ScenarioHarness.runFile(scenario).rows().stream().filter(r -> r.state().equals("ACTIVE")).toList();
        assertTrue(rows.size() > 5_000, scenario + ": at least 50 s ACTIVE");
        return rows;
    }

    /** Times (ms) of the local minima of a smooth cyclic column. */
    private static List<Long> minima(List<Row> rows, ToDoubleFunction<Row> f) {
        List<Long> out = new ArrayList<>();
        for (int i = 50; i < rows.size() - 50; i++) {
            double v = f.applyAsDouble(rows.get(i));
            boolean min = true;
            for (int k = i - 50; k <= i + 50 && min; k++) {
                double w = f.applyAsDouble(rows.get(k));
                min = k < i ? w > v : w >= v;
            }
            if (min) {
                out.add(rows.get(i).tMs());
            }
        }
        return out;
    }

    private static void assertPeriod(List<Long> at, long periodMs, long tolMs, String what) {
        assertTrue(at.size() >= 5, what + ": cycles seen " + at);
        for (int i = 1; i < at.size(); i++) {
            long d = at.get(i) - at.get(i - 1);
            assertTrue(Math.abs(d - periodMs) <= tolMs, what + ": period " + d + " ms, want " + periodMs + " ±" + tolMs);
        }
    }

    @Test
    void burstTrainsAtTheRateLengthAndPulseRatePrescribed() {
        List<Row> rows = active("burst.yaml");
        List<Long> onsets = new ArrayList<>();
        List<Long> lengths = new ArrayList<>();
        long on = -1;
        for (int i = 1; i < rows.size(); i++) {
            Row r = rows.get(i);
            Row p = rows.get(i - 1);
            if (r.maCmd() > 0 && p.maCmd() == 0) {
                on = r.tMs();
                onsets.add(on);
            } else if (r.maCmd() == 0 && p.maCmd() > 0 && on >= 0) {
                lengths.add(r.tMs() - on);
            }
            assertTrue(r.maCmd() == 0 || r.maCmd() == 20.0, "gate is all or nothing: " + r);
            assertEquals(100.0, r.freqHz(), "pulse rate in the train");
            assertEquals(200, r.pulseUs());
            assertTrue(r.stimEnabled(), "output stays enabled between trains (no re-arm)");
        }
        assertPeriod(onsets, 500, 10, "burst period (2 bursts/s)");
        assertTrue(onsets.size() > 100);
        for (long len : lengths) {
            assertTrue(Math.abs(len - 80) <= 10, "train of 8 pulses at 100 Hz = 80 ms, got " + len);
        }
    }

    @Test
    void modulatedAmplitudeCyclesByTheDepthOverThePeriod() {
        List<Row> rows = active("modulated-amplitude.yaml");
        double lo = rows.stream().mapToDouble(Row::maCmd).min().orElseThrow();
        double hi = rows.stream().mapToDouble(Row::maCmd).max().orElseThrow();
        assertEquals(20.0, hi, 0.01, "peak is the intensity");
        assertEquals(0.40, 1 - lo / hi, 0.005, "depth 40 %");
        assertPeriod(minima(rows, Row::maCmd), 4000, 20, "amplitude period");
        assertTrue(rows.stream().allMatch(r -> r.pulseUs() == 200 && r.freqHz() == 100.0));
    }

    @Test
    void modulatedWidthCyclesByTheDepthOverThePeriod() {
        List<Row> rows = active("modulated-width.yaml");
        int lo = rows.stream().mapToInt(Row::pulseUs).min().orElseThrow();
        int hi = rows.stream().mapToInt(Row::pulseUs).max().orElseThrow();
        assertEquals(200, hi);
        assertEquals(120, lo, "200 µs less 40 %");
        assertPeriod(minima(rows, Row::pulseUs), 4000, 60, "width period");
        assertTrue(rows.stream().allMatch(r -> r.maCmd() == 20.0 && r.freqHz() == 100.0));
    }

    @Test
    void modulatedRateCyclesByTheDepthOverThePeriod() {
        List<Row> rows = active("modulated-rate.yaml");
        double lo = rows.stream().mapToDouble(Row::freqHz).min().orElseThrow();
        double hi = rows.stream().mapToDouble(Row::freqHz).max().orElseThrow();
        assertEquals(100.0, hi);
        assertEquals(60.0, lo, "100 Hz less 40 %");
        assertTrue(rows.stream().allMatch(r -> r.freqHz() == Math.rint(r.freqHz())), "whole hertz, as the board takes");
        assertPeriod(minima(rows, Row::freqHz), 4000, 80, "rate period");
    }

    @Test
    void strengthDurationMovesWidthAndRateInOppositeDirections() {
        List<Row> rows = active("strength-duration.yaml");
        assertEquals(240, rows.stream().mapToInt(Row::pulseUs).max().orElseThrow());
        assertEquals(120, rows.stream().mapToInt(Row::pulseUs).min().orElseThrow());
        assertEquals(120.0, rows.stream().mapToDouble(Row::freqHz).max().orElseThrow());
        assertEquals(60.0, rows.stream().mapToDouble(Row::freqHz).min().orElseThrow());
        double mw = rows.stream().mapToDouble(Row::pulseUs).average().orElseThrow();
        double mf = rows.stream().mapToDouble(Row::freqHz).average().orElseThrow();
        double cov = 0, vw = 0, vf = 0;
        for (Row r : rows) {
            cov += (r.pulseUs() - mw) * (r.freqHz() - mf);
            vw += (r.pulseUs() - mw) * (r.pulseUs() - mw);
            vf += (r.freqHz() - mf) * (r.freqHz() - mf);
        }
        double corr = cov / Math.sqrt(vw * vf);
        assertTrue(corr < -0.99, "width and rate anti-correlated, r = " + corr);
        assertPeriod(minima(rows, Row::pulseUs), 6000, 60, "strength-duration period");
        // 240 µs at the 25 µC limit allows 104 mA; the prescribed max 150 mA was clamped at start
        assertTrue(rows.stream().allMatch(r -> r.maCmd() * r.pulseUs() <= 25_000 + 1e-6));
    }

    @Test
    void acupunctureLikeIsLowRateWidePulses() {
        List<Row> rows = active("acupuncture-like.yaml");
        assertTrue(rows.stream().allMatch(r -> r.freqHz() == 2.0 && r.pulseUs() == 250 && r.maCmd() == 30.0));
    }
}
