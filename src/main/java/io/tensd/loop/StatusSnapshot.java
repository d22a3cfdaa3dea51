package io.tensd.loop;

import java.util.List;

/**
 * A consistent copy of the loop's state for telemetry and the console view. Numbers that do not exist
 * (no heat prescribed, no posture sensor) are NaN. {@code faults} are wire names of active faults.
 */
public record StatusSnapshot(long atNanos, String sessionId, String state, String program,
                             boolean stimEnabled, double stimMilliAmpsSet, double stimMilliAmpsMeasured,
                             int pulseWidthMicros, double frequencyHz, int impedanceOhms,
                             boolean heaterEnabled, double heaterDuty, double heatSetpointCelsius,
                             double skinCelsius, double padCelsius,
                             double flexionDeg, String postureClass,
                             long sessionElapsedMillis, long sessionDurationMillis,
                             double batteryPercent, List<String> faults) { }
