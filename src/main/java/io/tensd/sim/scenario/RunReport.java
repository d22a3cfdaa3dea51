package io.tensd.sim.scenario;

import java.util.List;

/**
 * Result of a scenario run; serialised as the {@code --report} JSON (field names are a contract).
 * Temperatures in {@link Max} are the thermal model's truth; the sensor maxima are beside them.
 */
public record RunReport(String scenario, String endState, String endReason, long durationMs, long loopPeriodMs, long wallMs,
                        List<FaultRecord> faults, Max max, Object summary, Object posture) {

    /** {@code injectedAtMs} is null when the fault was not caused by an injection of the scenario. */
    public record FaultRecord(String code, Long injectedAtMs, long detectedAtMs, Long safeAtMs) { }

    /** Null where a value never existed (e.g. a sensor that never read). */
    public record Max(Double skinC, Double padC, Double skinSensorC, Double padSensorC, Double stimMa, Double rampMaPerS) { }
}
