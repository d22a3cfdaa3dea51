package io.tensd.therapy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.config.Limits;
import io.tensd.hw.BatteryReading;
import io.tensd.hw.Button;
import io.tensd.hw.PostureReading;
import io.tensd.hw.SensorStatus;
import io.tensd.hw.StimStatus;
import io.tensd.hw.TempReading;
import io.tensd.safety.Inputs;
import io.tensd.safety.Request;
import io.tensd.safety.SafetySettings;
import io.tensd.safety.SafetySupervisor;
import io.tensd.safety.Verdict;
import io.tensd.session.CommandOutcome;
import io.tensd.session.EventSink;
import io.tensd.session.Session;
import io.tensd.session.SessionCommand;
import io.tensd.session.SessionSettings;
import io.tensd.testkit.SeededCases;
import io.tensd.testkit.TestLimits;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property: over every program and its whole parameter range, random limits, random intensities and patient
 * presses, the charge per phase (mA × µs) is never above the limit — neither in what the session asks for
 * (the envelope) nor in what the supervisor lets out. Seeded ({@link SeededCases#fromMaster}): the failure names
 * the master and case seeds and how to replay them.
 */
class ChargePerPhasePropertyTest {
    private static final int CASES = 2_500;
    private static final long TICK = 10_000_000L;

    @Test
    void chargePerPhaseNeverAboveTheLimit() {
        SeededCases cases = SeededCases.fromMaster(20_240_611L, CASES);
        long started = cases.map(c -> runCase(c.seed())).stream().filter(ran -> ran).count();
        assertTrue(cases.replaying() || started > CASES / 2, "most random prescriptions must be valid, started " + started);
    }

    private static boolean runCase(long seed) {
        Random r = new Random(seed);
        Limits d = Limits.defaults();
        double chargeLimit = 5 + r.nextDouble() * 25;
        Limits limits = TestLimits.stimulation(20 + r.nextDouble() * 80, chargeLimit,
                d.maxRampMilliAmpsPerSecond() * (1 + r.nextInt(50)));
        Prescription rx = randomPrescription(r);
        Session s = new Session(limits, SessionSettings.defaults(), SafetySettings.defaults(), EventSink.NONE, () -> "p");
        SafetySupervisor sup = new SafetySupervisor(limits, SafetySettings.defaults());
        CommandOutcome[] out = new CommandOutcome[1];
        long now = 1_000_000_000L;
        s.submit(now, new SessionCommand.StartSession(rx, SessionCommand.Source.LOCAL), o -> out[0] = o);
        if (out[0].status() == CommandOutcome.Status.REJECTED) {
            return false;
        }
        Inputs in = new Inputs();
        Request req = new Request();
        int ticks = 200 + r.nextInt(1000);
        long offset = (long) (r.nextDouble() * 120e9); // start phase of the envelope relative to the loop
        now += offset % TICK;
        for (int k = 0; k < ticks; k++) {
            now += TICK;
            double jitter = (k % 7) * 0.001;
            in.set(TempReading.ok(34.0 + jitter, now), TempReading.ok(33.0 + jitter, now),
                    new StimStatus(now, 0, 1000, 0, true, 100, 1), false,
                    new BatteryReading(80, 4.0, SensorStatus.OK, now), PostureReading.NONE);
            if (r.nextInt(200) == 0) {
                s.submit(now, new SessionCommand.Press(r.nextBoolean() ? Button.UP : Button.DOWN, SessionCommand.Source.LOCAL), o -> { });
            }
            if (r.nextInt(2000) == 0) {
                s.submit(now, new SessionCommand.SetIntensity(r.nextDouble() * 200, SessionCommand.Source.REMOTE), o -> { });
            }
            s.plan(now, in, req);
            double asked = req.milliAmps() * Math.min(1, Math.max(0, req.envelopeFraction()));
            if (req.stimEnabled()) {
                assertTrue(asked * req.pulseWidthMicros() <= chargeLimit * 1000 + 1e-6,
                        "envelope " + rx.program() + " asks " + asked + " mA × " + req.pulseWidthMicros() + " µs > "
                                + chargeLimit + " µC at tick " + k + " " + rx);
                assertTrue(req.envelopeFraction() >= 0 && req.envelopeFraction() <= 1, "envelope above the intensity");
            }
            Verdict v = sup.step(now, in, req);
            assertTrue(v.stimMilliAmps() * v.pulseWidthMicros() <= chargeLimit * 1000 + 1e-6,
                    "supervisor lets out " + v.stimMilliAmps() + " mA × " + v.pulseWidthMicros() + " µs at tick " + k);
            assertTrue(v.stimMilliAmps() <= v.levelMilliAmps() + 1e-12);
            s.observe(now, v, in, TICK);
        }
        return true;
    }

    /** Mostly valid programs across their ranges; about one in ten strays outside (must be refused, not run). */
    static Prescription randomPrescription(Random r) {
        String program = new String[] {"conventional", "acupuncture-like", "burst", "modulated", "strength-duration"}[r.nextInt(5)];
        boolean stray = r.nextInt(10) == 0;
        Map<String, Object> params = new HashMap<>();
        double hz;
        int pw;
        switch (program) {
            case "conventional" -> { hz = 80 + r.nextInt(71); pw = 50 + r.nextInt(151); }
            case "acupuncture-like" -> { hz = 1 + r.nextInt(5); pw = 200 + r.nextInt(51); }
            case "burst" -> {
                hz = 80 + r.nextInt(71);
                pw = 50 + r.nextInt(201);
                params.put("burstRateHz", 1 + r.nextDouble() * 3);
                params.put("pulsesPerBurst", (double) (2 + r.nextInt(19)));
            }
            case "modulated" -> {
                String m = new String[] {"amplitude", "width", "rate"}[r.nextInt(3)];
                hz = (m.equals("rate") ? 20 : 2) + r.nextInt(m.equals("rate") ? 131 : 149);
                pw = 50 + r.nextInt(201);
                params.put("modulate", m);
                params.put("depthPercent", 10 + r.nextDouble() * 50);
                params.put("periodS", 1 + r.nextDouble() * 59);
            }
            default -> {
                hz = 20 + r.nextInt(131);
                pw = 50 + r.nextInt(201);
                params.put("depthPercent", 10 + r.nextDouble() * 50);
                params.put("periodS", 1 + r.nextDouble() * 59);
            }
        }
        if (stray) {
            pw = r.nextBoolean() ? pw * 3 : pw / 3;
        }
        double max = 1 + r.nextDouble() * 150;
        double target = Math.max(0.5, max * r.nextDouble());
        return new Prescription(program, hz, pw, target, max, 60, Optional.empty(), params, Optional.empty(),
                Optional.of(Screening.clear("test")));
    }
}
