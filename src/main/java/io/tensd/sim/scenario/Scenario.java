package io.tensd.sim.scenario;

import io.tensd.sim.PadPlant;
import io.tensd.therapy.Prescription;
import java.util.List;

/**
 * A parsed scenario file (format: docs/scenarios.md). Timeline entries are sorted by time, file order kept for ties.
 * {@code plant} is the simulated pad ({@code prescription.heat.plant}; nominal when absent).
 */
public record Scenario(String file, String name, long seed, Prescription prescription, List<TimelineEntry> timeline,
                       PadPlant plant) {
    public Scenario {
        timeline = List.copyOf(timeline);
    }

    public Scenario(String file, String name, long seed, Prescription prescription, List<TimelineEntry> timeline) {
        this(file, name, seed, prescription, timeline, PadPlant.NOMINAL);
    }

    public long lastEntryMillis() {
        return timeline.isEmpty() ? 0 : timeline.get(timeline.size() - 1).atMillis();
    }
}
