package io.tensd.sim.scenario;

/** One thing that happens at {@code atMillis} of virtual time; {@code line} points back into the file. */
public record TimelineEntry(long atMillis, int line, Action action) { }
