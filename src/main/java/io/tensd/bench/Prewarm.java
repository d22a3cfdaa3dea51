package io.tensd.bench;

import io.tensd.config.Limits;
import io.tensd.sim.scenario.RunReport;
import io.tensd.sim.scenario.Scenario;
import io.tensd.sim.scenario.ScenarioRunner;
import io.tensd.therapy.Prescription;
import java.util.List;
import java.util.Optional;

/**
 * Gets the tick path compiled by the JIT before the real-time loop starts, by running a throwaway session
 * (precheck, ramp, active with heat, ramp-down) in virtual time on another controller instance: compiled code
 * is shared by every instance and thread. At 100 Hz the C2 compiler would otherwise need minutes of real
 * ticks, during which the loop runs interpreted (slower, and allocating what C2 would scalar-replace).
 * A daemon can do the same at start-up, before it opens the hardware.
 */
public final class Prewarm {
    private Prewarm() { }

    /** Runs {@code sessions} short sessions at 1 kHz in virtual time; returns the wall milliseconds it took. */
    public static long run(int sessions) {
        long t0 = System.nanoTime();
        for (int i = 0; i < sessions; i++) {
            Prescription rx = new Prescription("conventional", 100, 150, 10.0, 10.0, 1, Optional.of(new Prescription.Heat(40.0)), LiveSession.SCREENING);
            Scenario s = new Scenario("prewarm", "prewarm", 7 + i, rx, List.of());
            SimBench.runLive(s, 1000, "JIT prewarm session " + (i + 1)); // an idle run would compile the idle path only
        }
        return (System.nanoTime() - t0) / 1_000_000L;
    }
}
