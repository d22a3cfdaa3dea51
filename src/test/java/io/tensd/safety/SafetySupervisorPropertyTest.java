package io.tensd.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.config.Limits;
import io.tensd.hw.BatteryReading;
import io.tensd.hw.BoardFault;
import io.tensd.hw.PostureReading;
import io.tensd.hw.SensorStatus;
import io.tensd.hw.StimStatus;
import io.tensd.hw.TempReading;
import java.util.Random;
import io.tensd.testkit.SeededCases;
import org.junit.jupiter.api.Test;

/**
 * Safety invariants over thousands of seeded random request and fault sequences. On failure the message
 * names the seed and step; rerun a single case with -Dtensd.seed=N.
 */
class SafetySupervisorPropertyTest {
    private static final long MS = 1_000_000L;
    private static final int CASES = SeededCases.casesProperty(3000);
    private static final int STEPS = 400;

    @Test
    void outputsStayWithinEveryLimitRampAndFaultRule() {
        SeededCases.sequential(20261128L, CASES).run(c -> runCase(c.seed()));
    }

    private static void runCase(long seed) {
        Random r = new Random(seed);
        Limits limits = randomLimits(r);
        SafetySupervisor sup = new SafetySupervisor(limits, SafetySettings.defaults());
        Inputs in = new Inputs();
        Request req = new Request();
        long now = 1_000 * MS;
        double lastMa = 0;
        long latched = 0;
        long lastClearNanos = Long.MIN_VALUE / 2;
        long lastClearAskedNanos = Long.MIN_VALUE / 2;
        long[] latchedAt = new long[FaultCode.values().length];
        boolean estop = false;
        boolean skinOpen = false;
        int boardFaults = 0;
        int boot = 3;
        double skin = 34 + r.nextDouble() * 5;
        double pad = skin + r.nextDouble();
        long stimRx = now;
        for (int i = 0; i < STEPS; i++) {
            long dt = (r.nextInt(20) == 0 ? 1 + r.nextInt(150) : 10) * MS; // mostly 10 ms ticks, some late ones
            now += dt;
            // random fault causes come and go
            if (r.nextInt(60) == 0) estop = !estop;
            if (r.nextInt(80) == 0) skinOpen = !skinOpen;
            if (r.nextInt(100) == 0) boardFaults ^= BoardFault.OVERCURRENT.bit();
            if (r.nextInt(200) == 0) boot++;
            if (r.nextInt(50) != 0) stimRx = now; // frames usually arrive
            skin += r.nextGaussian() * 0.02;
            pad += r.nextGaussian() * 0.02;
            TempReading skinR = skinOpen ? TempReading.failed(SensorStatus.OPEN, now) : TempReading.ok(skin, now);
            StimStatus st = new StimStatus(stimRx, (int) (lastMa * 1000), 1000, boardFaults, lastMa > 0, 80, boot);
            in.set(skinR, TempReading.ok(pad, now), st, estop, BatteryReading.UNKNOWN, PostureReading.NONE);
            double reqMa = r.nextInt(10) == 0 ? r.nextDouble() * 300 - 50 : r.nextDouble() * 120;
            int pw = r.nextInt(700) - 50;
            double hz = r.nextDouble() * 300 - 20;
            double rxMax = r.nextDouble() * 120;
            req.stim(r.nextInt(8) != 0, reqMa, pw, hz, rxMax)
               .heater(r.nextBoolean(), r.nextDouble() * 1.5 - 0.2, 38 + r.nextDouble() * 4);
            boolean clear = r.nextInt(40) == 0;
            if (clear) {
                // a press stamped now, or one that waited in the queue through a stall (pressed up to 3 s ago)
                if (r.nextInt(3) == 0) {
                    sup.requestClear();
                    lastClearAskedNanos = now;
                } else {
                    lastClearAskedNanos = now - (r.nextBoolean() ? 0 : r.nextInt(3_000) * MS);
                    sup.requestClear(lastClearAskedNanos);
                }
                lastClearNanos = now;
            }
            long before = sup.latchedFaults();
            Verdict v = sup.step(now, in, req);
            String at = "step " + i + " t=" + now / MS + "ms";

            // 1. every output within every limit
            assertTrue(v.stimMilliAmps() >= 0, at + ": negative amplitude");
            assertTrue(v.stimMilliAmps() <= limits.maxMilliAmps() + 1e-9, at + ": above limits max " + v.stimMilliAmps());
            assertTrue(v.stimMilliAmps() <= HardwareCaps.MAX_MILLIAMPS, at + ": above hardware cap");
            if (v.stimEnabled()) {
                assertTrue(v.stimMilliAmps() <= Math.max(0, rxMax) + 1e-9, at + ": above prescription max");
                assertTrue(v.pulseWidthMicros() >= limits.minPulseWidthMicros() && v.pulseWidthMicros() <= limits.maxPulseWidthMicros(),
                        at + ": pulse width " + v.pulseWidthMicros());
                assertTrue(v.frequencyHz() >= limits.minFrequencyHz() && v.frequencyHz() <= limits.maxFrequencyHz(),
                        at + ": frequency " + v.frequencyHz());
                double chargeUc = v.stimMilliAmps() * v.pulseWidthMicros() / 1000.0;
                assertTrue(chargeUc <= limits.maxChargePerPhaseMicroCoulombs() + 1e-9, at + ": charge per phase " + chargeUc);
            } else {
                assertEquals(0.0, v.stimMilliAmps(), at + ": disabled but amplitude");
            }
            assertTrue(v.heaterDuty() >= 0 && v.heaterDuty() <= SafetySettings.defaults().heaterDutyCap() + 1e-12, at + ": duty");
            if (!v.heaterEnabled()) {
                assertEquals(0.0, v.heaterDuty(), at + ": heater disabled but duty");
            }
            // 2. ramp: never up faster than the limit rate (dt capped at 50 ms), decreases are free
            double allowedUp = limits.maxRampMilliAmpsPerSecond() * Math.min(dt, 50 * MS) / 1e9;
            assertTrue(v.stimMilliAmps() <= lastMa + allowedUp + 1e-9,
                    at + ": ramp " + lastMa + " -> " + v.stimMilliAmps() + " allowed +" + allowedUp);
            // 3. a latched fault gives the safe state in the same step
            if (v.faultBits() != 0) {
                assertTrue(v.outputsSafe(), at + ": faulted but outputs not safe");
            }
            if (estop) {
                assertTrue(v.faulted() && v.outputsSafe(), at + ": estop active but not safe");
            }
            if (skinOpen) {
                assertTrue((v.faultBits() & FaultCode.SKIN_SENSOR_FAULT.bit()) != 0, at + ": open skin sensor not latched");
            }
            // 4. a latched fault never clears without a clear request (clears act within the clear window only)
            long gone = before & ~v.faultBits();
            if (gone != 0) {
                assertTrue(v.clearedBits() == gone, at + ": faults vanished without being reported as cleared");
                assertTrue(now - lastClearNanos <= 500 * MS,
                        at + ": fault " + FaultCode.join(gone, ",") + " cleared without a clear");
                // ... and only by a clear asked AFTER it latched
                for (long rest = gone; rest != 0; rest &= rest - 1) {
                    int f = Long.numberOfTrailingZeros(rest);
                    assertTrue(latchedAt[f] < lastClearAskedNanos, at + ": " + FaultCode.ofOrdinal(f).wireName()
                            + " latched at " + latchedAt[f] / MS + " ms cleared by a clear asked at " + lastClearAskedNanos / MS + " ms");
                }
            }
            for (long rest = v.faultBits() & ~before; rest != 0; rest &= rest - 1) {
                latchedAt[Long.numberOfTrailingZeros(rest)] = now;
            }
            // raised faults are a subset of latched ones
            assertEquals(v.raisedBits(), v.raisedBits() & v.faultBits(), at + ": raised but not latched");
            lastMa = v.stimMilliAmps();
            latched |= v.faultBits();
        }
        assertTrue(latched != 0, "a case with these fault rates should latch something");
    }

    private static Limits randomLimits(Random r) {
        double maxMa = 10 + r.nextDouble() * 90;
        int pwMin = 20 + r.nextInt(100);
        int pwMax = pwMin + r.nextInt(500 - pwMin);
        double hzMin = 0.5 + r.nextDouble() * 10;
        double hzMax = hzMin + r.nextDouble() * (200 - hzMin);
        return new Limits(maxMa, pwMin, pwMax, hzMin, hzMax, 5 + r.nextDouble() * 25, 0.5 + r.nextDouble() * 5,
                60, 41, 60, 500, 100);
    }
}
