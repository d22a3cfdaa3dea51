package io.tensd.session;

import java.util.Map;

/**
 * Something a clinician must learn about: session started/paused/resumed/completed/aborted, fault
 * raised/cleared, electrode lift, slouch alert, command result… {@code type} is the wire name
 * (kebab-case). Events are rare, so allocating one on the loop thread is acceptable; they go to the
 * journal first and are published from there.
 *
 * @param atNanos monotonic time; the journal stamps wall time when it records the event
 * @param data    small flat values only (strings, numbers, booleans, lists of those)
 */
public record SessionEvent(String type, String sessionId, long atNanos, Map<String, Object> data) {
    public SessionEvent {
        data = Map.copyOf(data);
    }
}
