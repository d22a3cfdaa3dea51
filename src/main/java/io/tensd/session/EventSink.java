package io.tensd.session;

/** Receives events from the loop thread. Must not block: implementations hand off to a bounded queue. */
@FunctionalInterface
public interface EventSink {
    void emit(SessionEvent event);

    EventSink NONE = e -> { };
}
