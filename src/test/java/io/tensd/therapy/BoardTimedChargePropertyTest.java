package io.tensd.therapy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.config.Limits;
import io.tensd.hw.Button;
import io.tensd.loop.DeviceController;
import io.tensd.loop.VirtualClock;
import io.tensd.safety.SafetySettings;
import io.tensd.safety.Verdict;
import io.tensd.session.CommandOutcome;
import io.tensd.session.EventSink;
import io.tensd.session.SessionCommand;
import io.tensd.session.SessionSettings;
import io.tensd.sim.SimDevice;
import io.tensd.stim.Pattern;
import io.tensd.testkit.SeededCases;
import io.tensd.testkit.TestLimits;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property: when the board times a program's shape (the loop hands it the level and the pattern), every pulse the
 * board makes — read from its pulse timeline, over bursts and amplitude/width/rate modulation — stays within the
 * charge-per-phase limit, and neither the level nor any pulse exceeds the prescription. Random limits (charge 5–30
 * µC), prescriptions across each program's range, presses and remote intensities; the loop is the product's
 * {@link DeviceController} on the in-process board. Seeded ({@link SeededCases#fromMaster}): the
 * failure names the master and case seeds and how to replay them.
 */
class BoardTimedChargePropertyTest {
    private static final int CASES = 1_500;
    private static final long TICK = 10_000_000L;

    @Test
    void boardTimedPulsesNeverExceedTheChargeLimitOrThePrescription() {
        SeededCases cases = SeededCases.fromMaster(20_261_202L, CASES);
        long boardTimed = cases.map(c -> runCase(c.seed())).stream().filter(ran -> ran).count();
        System.out.println("board-timed charge property: " + boardTimed + " of " + cases.size() + " cases ran the board's pattern"
                + " (seed " + cases.master() + ")");
        assertTrue(cases.replaying() || boardTimed > CASES / 2, "most cases must run a board-timed pattern, ran " + boardTimed);
    }

    /** @return true when the board ran the program's pattern during the case */
    private static boolean runCase(long seed) {
        Random r = new Random(seed);
        Limits d = Limits.defaults();
        double chargeLimit = 5 + r.nextDouble() * 25;
        // ramp at most 4× the default: the board's own slew limit (10 mA/s) refuses anything steeper
        Limits limits = TestLimits.stimulation(20 + r.nextDouble() * 60, chargeLimit,
                d.maxRampMilliAmpsPerSecond() * (1 + r.nextInt(4)));
        Prescription rx = patterned(r);
        VirtualClock clock = new VirtualClock(1_000_000_000L + r.nextInt(1_000) * 1_000_000L);
        SimDevice dev = new SimDevice(clock, limits, seed);
        DeviceController c = new DeviceController(dev.io(), limits, SafetySettings.defaults(), SessionSettings.defaults(),
                EventSink.NONE, () -> "p");
        double[] worst = new double[2];     // worst charge (pC) − limit, worst amplitude (µA)
        long[] pulses = new long[1];
        long chargeLimitPico = Math.round(chargeLimit * 1e6);
        dev.board().pulseSink((sched, emitted, amp, width) -> {
            pulses[0]++;
            // levels go out in whole µA: half a µA of rounding over the pulse's width is the only slack
            worst[0] = Math.max(worst[0], (double) amp * width - chargeLimitPico - 0.5 * width);
            worst[1] = Math.max(worst[1], amp);
        });
        CommandOutcome[] started = new CommandOutcome[1];
        c.submit(new SessionCommand.StartSession(rx, SessionCommand.Source.LOCAL), o -> started[0] = o);
        long now = clock.nanos();
        boolean ranPattern = false;
        Pattern want = null;
        int ticks = 300 + r.nextInt(700);
        for (int k = 0; k < ticks; k++) {
            now += TICK;
            clock.set(now);
            dev.advance(now);
            if (r.nextInt(300) == 0) {
                c.submit(new SessionCommand.Press(r.nextBoolean() ? Button.UP : Button.DOWN, SessionCommand.Source.LOCAL), o -> { });
            }
            if (r.nextInt(1500) == 0) {
                c.submit(new SessionCommand.SetIntensity(r.nextDouble() * 200, SessionCommand.Source.REMOTE), o -> { });
            }
            c.tick(now);
            if (started[0] != null && started[0].status() == CommandOutcome.Status.REJECTED) {
                return false;   // e.g. a width trough under the limits minimum: refused, nothing to deliver
            }
            Verdict v = c.verdict();
            double rxMax = c.session().prescription().maxMilliAmps();
            assertTrue(v.levelMilliAmps() <= rxMax + 1e-9, "level " + v.levelMilliAmps() + " mA above the prescription " + rxMax);
            if (v.boardTimed()) {
                assertTrue(v.levelMilliAmps() * v.boardPulseWidthMicros() <= chargeLimit * 1000 + 1e-6,
                        "level " + v.levelMilliAmps() + " mA × peak " + v.boardPulseWidthMicros() + " µs > " + chargeLimit + " µC");
                if (want == null) {
                    want = Pattern.of(c.session().program());
                }
                assertEquals(want, dev.board().pattern(), "the board runs the program's pattern");
                ranPattern = true;
            }
            assertTrue(worst[0] <= 0, "a pulse of " + worst[0] + " pC above the " + chargeLimit + " µC limit, " + rx.program()
                    + " " + rx.programParams() + " at tick " + k);
            assertTrue(worst[1] <= rxMax * 1000 + 0.5, "a pulse of " + worst[1] + " µA above the prescription " + rxMax + " mA");
        }
        assertTrue(!ranPattern || pulses[0] > 0, "the board made pulses");
        return ranPattern;
    }

    /** Burst or modulated across their ranges; a modulation's depth and period mostly in the wire's whole units. */
    private static Prescription patterned(Random r) {
        Map<String, Object> params = new HashMap<>();
        String program;
        double hz;
        int pw = 50 + r.nextInt(201);
        if (r.nextInt(3) == 0) {
            program = "burst";
            hz = 80 + r.nextInt(71);
            // a train lasts ≥ 20 ms and at most half the burst period
            int pulses = (int) Math.ceil(hz * 0.02) + r.nextInt(20 - (int) Math.ceil(hz * 0.02) + 1);
            double rateMax = Math.min(4, hz / (2.0 * pulses));
            params.put("burstRateHz", 1 + r.nextDouble() * (rateMax - 1));
            params.put("pulsesPerBurst", (double) pulses);
        } else {
            program = "modulated";
            String m = new String[] {"amplitude", "width", "rate"}[r.nextInt(3)];
            hz = (m.equals("rate") ? 20 : 2) + r.nextInt(m.equals("rate") ? 131 : 149);
            params.put("modulate", m);
            boolean whole = r.nextInt(5) != 0;
            params.put("depthPercent", whole ? (double) (10 + r.nextInt(51)) : 10 + r.nextDouble() * 50);
            params.put("periodS", whole ? (1000 + r.nextInt(59_001)) / 1000.0 : 1 + r.nextDouble() * 59);
        }
        double max = 1 + r.nextDouble() * 150;
        double target = Math.max(0.5, max * (0.5 + r.nextDouble() / 2));
        return new Prescription(program, hz, pw, target, max, 60, Optional.empty(), params, Optional.empty(),
                Optional.of(Screening.clear("test")));
    }
}
