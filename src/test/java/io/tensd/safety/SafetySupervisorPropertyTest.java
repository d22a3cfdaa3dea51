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
 *
 * <p>A current clamp only bites once the ramp has brought the level up to it, and the level falls to 0 at every
 * latched fault and every step with stim off. So half the cases are quiet (faults a hundred times rarer, no loop
 * overrun), half hold their stim request for stretches, and the current and charge limits are drawn so that a
 * quiet, held case's ramp reaches the low ones within its steps. One case in six builds limits and settings wider
 * than the hardware (what the loader refuses), so there the hardware caps are the binding ones.
 *
 * <p>A third of the cases run a program with a shape: host-timed (an envelope fraction each tick, burst gate or
 * modulation, sometimes out of 0–1 or NaN) or board-timed (the shape's peak width and rate, drawn out of range too).
 * The ramp then binds the level, the output is the level scaled by the envelope, and the board's peaks stay in the
 * ranges with the level's charge per phase at the wider width.
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
        Random r = new Random(seed); // SeededCases mixes consecutive case seeds (see there)
        boolean quiet = r.nextBoolean();
        boolean beyondHardware = r.nextInt(6) == 0;
        int faultRarity = quiet ? 100 : 1;
        Limits limits = randomLimits(r, beyondHardware);
        SafetySettings settings = withHeaterDutyCap(SafetySettings.defaults(),
                beyondHardware ? 1 + r.nextDouble() * 0.5 : 0.2 + r.nextDouble() * 0.8);
        SafetySupervisor sup = new SafetySupervisor(limits, settings);
        int pwLo = Math.max(limits.minPulseWidthMicros(), HardwareCaps.MIN_PULSE_WIDTH_MICROS);
        int pwHi = Math.min(limits.maxPulseWidthMicros(), HardwareCaps.MAX_PULSE_WIDTH_MICROS);
        double hzLo = Math.max(limits.minFrequencyHz(), HardwareCaps.MIN_FREQUENCY_HZ);
        double hzHi = Math.min(limits.maxFrequencyHz(), HardwareCaps.MAX_FREQUENCY_HZ);
        double dutyCap = Math.min(settings.heaterDutyCap(), HardwareCaps.MAX_HEATER_DUTY);
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
        // skin up to the ceiling (41 °C, guard band from 40.5) and, in one case in four, a pad up to 6 °C above it (its
        // limit, 43.7 °C with the default model, scales the duty down from 43.2)
        double skin = 34 + r.nextDouble() * 7;
        double pad = skin + (r.nextInt(4) == 0 ? r.nextDouble() * 6 : r.nextDouble());
        long stimRx = now;
        // Held: a patient who set a level and left it, so the ramp climbs into the clamps; otherwise every step
        // asks for something new and the level jumps around under them.
        int redraw = r.nextBoolean() ? 100 : 1;
        double askMaxMa = beyondHardware ? 250 : 160;
        boolean stimOn = false;
        double reqMa = 0;
        int pw = 0;
        double hz = 0;
        double rxMax = 0;
        // the program's shape: 0 plain, 1 host-timed envelope, 2 board-timed (peaks redrawn with the request)
        int shape = r.nextInt(3) == 0 ? 1 + r.nextInt(2) : 0;
        int peakPw = 0;
        double peakHz = 0;
        double lastLevel = 0;
        for (int i = 0; i < STEPS; i++) {
            // mostly 10 ms ticks, some late ones (past the 50 ms ramp step; past the 100 ms lease only when noisy)
            long dt = (r.nextInt(20) == 0 ? 1 + r.nextInt(quiet ? 100 : 150) : 10) * MS;
            now += dt;
            // random fault causes come and go
            if (r.nextInt(60 * faultRarity) == 0) estop = !estop;
            if (r.nextInt(80 * faultRarity) == 0) skinOpen = !skinOpen;
            if (r.nextInt(100 * faultRarity) == 0) boardFaults ^= BoardFault.OVERCURRENT.bit();
            if (r.nextInt(200 * faultRarity) == 0) boot++;
            if (r.nextInt(50) != 0) stimRx = now; // frames usually arrive
            skin += r.nextGaussian() * 0.02;
            pad += r.nextGaussian() * 0.02;
            TempReading skinR = skinOpen ? TempReading.failed(SensorStatus.OPEN, now) : TempReading.ok(skin, now);
            StimStatus st = new StimStatus(stimRx, (int) (lastMa * 1000), 1000, boardFaults, lastMa > 0, 80, boot);
            in.set(skinR, TempReading.ok(pad, now), st, estop, BatteryReading.UNKNOWN, PostureReading.NONE);
            // current and prescription above every limit, the hardware's 100 mA included (often, beyond the hardware)
            if (i == 0 || r.nextInt(redraw) == 0) {
                stimOn = r.nextInt(8) != 0; // stim off resets the ramp to 0
            }
            if (i == 0 || r.nextInt(redraw) == 0) {
                reqMa = r.nextInt(50) == 0 ? Double.NaN
                        : r.nextInt(10) == 0 ? r.nextDouble() * 300 - 50 : r.nextDouble() * askMaxMa;
            }
            if (i == 0 || r.nextInt(redraw) == 0) {
                pw = r.nextInt(700) - 50;
                hz = r.nextInt(50) == 0 ? Double.NaN : r.nextDouble() * 300 - 20;
            }
            if (i == 0 || r.nextInt(redraw) == 0) {
                rxMax = r.nextDouble() * askMaxMa;
                // a board-timed shape's peaks: mostly at or above this tick's width and rate, some out of range
                peakPw = r.nextInt(4) == 0 ? r.nextInt(700) - 50 : Math.max(pw, 0) + r.nextInt(300);
                peakHz = r.nextInt(50) == 0 ? Double.NaN : r.nextInt(4) == 0 ? r.nextDouble() * 300 - 20 : hz + r.nextDouble() * 100;
            }
            // a burst gate (0 or 1), a modulation (0-1), and now and then a fraction no program should give
            int e = r.nextInt(40);
            double fraction = e == 0 ? Double.NaN : e == 1 ? -r.nextDouble() : e == 2 ? 1 + r.nextDouble() * 2
                    : e < 20 ? (r.nextBoolean() ? 1 : 0) : r.nextDouble();
            double duty = r.nextInt(50) == 0 ? Double.NaN : r.nextDouble() * 1.5 - 0.2;
            // setpoints up to 46 °C ask the model bound for more than the hardware's full duty; NaN: heat not prescribed
            double setpoint = r.nextInt(10) == 0 ? Double.NaN : 36 + r.nextDouble() * 10;
            req.stim(stimOn, reqMa, pw, hz, rxMax);
            if (shape == 1) {
                req.envelope(fraction);
            } else if (shape == 2) {
                req.boardTimed(peakPw, peakHz);
            }
            req.heater(r.nextBoolean(), duty, setpoint);
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

            // 1. every output within every limit; the level (before the envelope) too, and the output never above it
            assertTrue(v.stimMilliAmps() >= 0, at + ": negative amplitude " + v.stimMilliAmps());
            assertTrue(v.stimMilliAmps() <= v.levelMilliAmps() + 1e-12, at + ": output " + v.stimMilliAmps()
                    + " above the level " + v.levelMilliAmps() + " (envelope " + fraction + ")");
            assertTrue(v.levelMilliAmps() <= limits.maxMilliAmps() + 1e-9, at + ": above limits max " + v.levelMilliAmps());
            assertTrue(v.levelMilliAmps() <= HardwareCaps.MAX_MILLIAMPS, at + ": above hardware cap");
            if (shape == 1 && v.stimEnabled()) {
                double expected = !(fraction > 0) ? 0 : v.levelMilliAmps() * Math.min(1, fraction);
                assertEquals(expected, v.stimMilliAmps(), 1e-9, at + ": envelope " + fraction + " of level " + v.levelMilliAmps());
            } else {
                assertEquals(v.levelMilliAmps(), v.stimMilliAmps(), 1e-12, at + ": no envelope, output is the level");
            }
            if (v.boardTimed()) {
                assertTrue(shape == 2 && v.stimEnabled() && v.faultBits() == 0, at + ": board-timed without a board-timed request");
                assertTrue(v.boardPulseWidthMicros() >= pwLo && v.boardPulseWidthMicros() <= pwHi,
                        at + ": board peak width " + v.boardPulseWidthMicros() + " outside " + pwLo + ".." + pwHi);
                assertTrue(v.boardFrequencyHz() >= hzLo && v.boardFrequencyHz() <= hzHi,
                        at + ": board peak rate " + v.boardFrequencyHz() + " outside " + hzLo + ".." + hzHi);
                double peakChargeUc = v.levelMilliAmps() * v.boardPulseWidthMicros() / 1000.0;
                assertTrue(peakChargeUc <= limits.maxChargePerPhaseMicroCoulombs() + 1e-9,
                        at + ": level's charge per phase at the board's peak width " + peakChargeUc);
            } else if (shape == 2 && v.stimEnabled()) {
                throw new AssertionError(at + ": a board-timed request with stimulation on came out host-timed");
            }
            if (v.stimEnabled()) {
                assertTrue(v.levelMilliAmps() <= Math.max(0, rxMax) + 1e-9, at + ": above prescription max");
                // within the limits and the hardware range, whichever is narrower
                assertTrue(v.pulseWidthMicros() >= pwLo && v.pulseWidthMicros() <= pwHi,
                        at + ": pulse width " + v.pulseWidthMicros() + " outside " + pwLo + ".." + pwHi);
                assertTrue(v.frequencyHz() >= hzLo && v.frequencyHz() <= hzHi,
                        at + ": frequency " + v.frequencyHz() + " outside " + hzLo + ".." + hzHi);
                double chargeUc = v.levelMilliAmps() * v.pulseWidthMicros() / 1000.0;
                assertTrue(chargeUc <= limits.maxChargePerPhaseMicroCoulombs() + 1e-9, at + ": charge per phase " + chargeUc);
            } else {
                assertEquals(0.0, v.levelMilliAmps(), at + ": disabled but amplitude");
            }
            assertTrue(v.heaterDuty() >= 0 && v.heaterDuty() <= dutyCap + 1e-12, at + ": duty " + v.heaterDuty() + " cap " + dutyCap);
            // energy bound: never more than the weakest pad needs to hold the setpoint (0 without a setpoint)
            double bound = sup.thermalLimits().dutyBound(setpoint);
            assertTrue(v.heaterDuty() <= bound + 1e-12, at + ": duty " + v.heaterDuty() + " above model bound " + bound);
            // pad limit: a truthful pad channel scales the duty down to 0 at the pad limit
            double padFactor = sup.thermalLimits().padLimitFactor(pad);
            assertTrue(v.heaterDuty() <= Math.min(dutyCap, bound) * padFactor + 1e-12,
                    at + ": duty " + v.heaterDuty() + " at pad " + pad + " (pad limit factor " + padFactor + ")");
            // guard band: no heat once the skin reads within 0.5 °C of the ceiling
            if (!skinOpen && skin >= limits.skinCeilingCelsius() - 0.5) {
                assertEquals(0.0, v.heaterDuty(), at + ": heat at skin " + skin);
            }
            if (!v.heaterEnabled()) {
                assertEquals(0.0, v.heaterDuty(), at + ": heater disabled but duty");
            }
            // 2. ramp: the level never up faster than the limit rate (dt capped at 50 ms), decreases are free; a
            // burst gate or modulation under it is the program's shape, not a step of intensity
            double allowedUp = limits.maxRampMilliAmpsPerSecond() * Math.min(dt, 50 * MS) / 1e9;
            assertTrue(v.levelMilliAmps() <= lastLevel + allowedUp + 1e-9,
                    at + ": ramp " + lastLevel + " -> " + v.levelMilliAmps() + " allowed +" + allowedUp);
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
            lastLevel = v.levelMilliAmps();
            latched |= v.faultBits();
        }
        if (!quiet) {
            assertTrue(latched != 0, "a case with these fault rates should latch something");
        }
    }

    /**
     * Within the schema's ranges (current 1–100 mA, ramp ≤ 10 mA/s, charge 1–50 µC): a quiet case's ramp reaches
     * tens of mA, above many current and charge limits. Beyond the hardware: a limits file the loader refuses.
     */
    private static Limits randomLimits(Random r, boolean beyondHardware) {
        if (beyondHardware) {
            return new Limits(100 + r.nextDouble() * 50, 5 + r.nextInt(15), 500 + r.nextInt(200),
                    0.1 + r.nextDouble() * 0.4, 200 + r.nextDouble() * 100, 50 + r.nextDouble() * 50,
                    10 + r.nextDouble() * 90, 60, 41, 60, 500, 100);
        }
        // log-uniform: the low current and charge limits a ramp of a few seconds reaches are drawn often
        double maxMa = Math.exp(r.nextDouble() * Math.log(100));
        int pwMin = 20 + r.nextInt(100);
        int pwMax = pwMin + r.nextInt(500 - pwMin);
        double hzMin = 0.5 + r.nextDouble() * 10;
        double hzMax = hzMin + r.nextDouble() * (200 - hzMin);
        double maxCharge = Math.exp(r.nextDouble() * Math.log(50));
        return new Limits(maxMa, pwMin, pwMax, hzMin, hzMax, maxCharge, 0.5 + r.nextDouble() * 9.5,
                60, 41, 60, 500, 100);
    }

    private static SafetySettings withHeaterDutyCap(SafetySettings d, double cap) {
        return new SafetySettings(d.tempValidMinCelsius(), d.tempValidMaxCelsius(), d.tempMaxStepCelsius(), d.stuckMillis(),
                d.padMaxAboveSkinCelsius(), d.skinMaxAbovePadCelsius(), d.idleAgreementCelsius(), d.idleSettleMillis(),
                d.padMaxCelsius(), d.watchPeriodMillis(), d.watchRiseCelsius(), d.watchMinDuty(), d.runawayWindowMillis(),
                d.runawayRiseCelsius(), d.runawayAboveSetpointCelsius(), d.runawayAboveSetpointMillis(), cap,
                d.outputMismatchMilliAmps(), d.outputMismatchFrames(), d.stimStartupGraceMillis(), d.heatModel());
    }
}
