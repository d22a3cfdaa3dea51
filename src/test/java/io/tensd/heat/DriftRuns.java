package io.tensd.heat;

import io.tensd.config.ConfigException;
import io.tensd.config.Limits;
import io.tensd.sim.scenario.RunReport;
import io.tensd.sim.scenario.Scenario;
import io.tensd.sim.scenario.ScenarioParser;
import io.tensd.sim.scenario.ScenarioRunner;
import java.io.StringReader;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Slow sensor drifts as scenario files: a drift of {@code rate} °C per minute from {@code onsetMinutes} is a
 * {@code drift:} step every minute (each one ramps in over 60 s, so the offset grows linearly).
 */
final class DriftRuns {
    private DriftRuns() { }

    /** One drifting channel. {@code channel}: skin-sensor or pad-sensor. */
    record Drift(String channel, double ratePerMinute, double onsetMinutes) { }

    static String scenario(double setpoint, int minutes, long seed, Drift... drifts) {
        StringBuilder sb = new StringBuilder();
        sb.append("name: drift\nseed: ").append(seed).append("\nprescription:\n  program: conventional\n  frequencyHz: 100\n"
                + "  pulseWidthMicros: 150\n  targetMilliAmps: 20.0\n  durationMinutes: ").append(minutes)
                .append("\n  heat: { setpointCelsius: ").append(setpoint).append(" }\ntimeline:\n");
        boolean any = false;
        for (Drift d : drifts) {
            int steps = (int) Math.ceil(minutes + 1 - d.onsetMinutes());
            for (int k = 0; k < steps; k++) {
                double offset = Math.max(-20, Math.min(20, d.ratePerMinute() * (k + 1)));
                long atMs = Math.round((d.onsetMinutes() + k) * 60_000);
                sb.append(String.format(Locale.ROOT, "  - { at: %dms, inject: { %s: \"drift:%.4f\" } }%n", atMs, d.channel(), offset));
                any = true;
            }
        }
        if (!any) {
            sb.append("  []\n");
        }
        return sb.toString();
    }

    static RunReport run(String yaml, Consumer<ScenarioRunner> before) {
        try {
            Scenario s = ScenarioParser.parse("drift.yaml", new StringReader(yaml));
            ScenarioRunner runner = new ScenarioRunner(s, ScenarioRunner.Options.defaults(Limits.defaults()));
            before.accept(runner);
            return runner.run();
        } catch (ConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }
}
