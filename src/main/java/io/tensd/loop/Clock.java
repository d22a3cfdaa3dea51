package io.tensd.loop;

/** Monotonic time in nanoseconds. Never the wall clock: a wall-clock jump must change nothing but report timestamps. */
@FunctionalInterface
public interface Clock {
    long nanos();

    Clock SYSTEM = System::nanoTime;
}
