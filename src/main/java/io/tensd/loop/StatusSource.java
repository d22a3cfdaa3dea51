package io.tensd.loop;

/** Readers (telemetry, console) take a snapshot whenever they like; the loop never waits for them. */
@FunctionalInterface
public interface StatusSource {
    StatusSnapshot snapshot();
}
