package io.tensd.hw;

/** A temperature channel (skin or pad). {@link #latest()} never blocks and never returns null. */
public interface TemperatureSensor {
    TempReading latest();
}
