package io.tensd.sim.scenario;

import io.tensd.therapy.Prescription;
import java.util.List;

/** A parsed scenario file (format: docs/scenarios.md). Timeline entries are sorted by time, file order kept for ties. */
public record Scenario(String file, String name, long seed, Prescription prescription, List<TimelineEntry> timeline) {
    public Scenario {
        timeline = List.copyOf(timeline);
    }

    public long lastEntryMillis() {
        return timeline.isEmpty() ? 0 : timeline.get(timeline.size() - 1).atMillis();
    }
}
