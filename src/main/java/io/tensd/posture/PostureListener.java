package io.tensd.posture;

/** Receives posture events on the IMU acquisition thread. Must not block: hand off to a queue. */
@FunctionalInterface
public interface PostureListener {
    void onEvent(PostureEvent event);

    PostureListener NONE = e -> { };
}
