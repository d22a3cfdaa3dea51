package io.tensd.clinic;

import java.time.Instant;
import java.util.List;

/**
 * One therapy session as the clinic reports it, assembled from the session's events and its summary.
 * Numbers the device did not report are null (an interrupted session has no summary).
 *
 * @param complete        the summary has arrived (the device finished the session)
 * @param minutes         delivered stimulation minutes (pauses excluded)
 * @param slouchHeldMs    total time the patient held a slouch before each alert
 * @param exerciseReps    repetitions counted by the posture pipeline during the session
 */
public record SessionRecord(String deviceId, String sessionId, Instant start, Instant end, String endReason,
                            String program, Double minutes, Double maxMa, Double heatMinutes, Double maxSkinC,
                            List<String> faults, Integer pauses, int slouchAlerts, long slouchHeldMs,
                            int exerciseReps, int events, boolean complete) {
    public SessionRecord {
        faults = List.copyOf(faults);
    }
}
