package io.tensd.hw;

public interface PostureSource {
    PostureReading latest();

    PostureSource NONE = () -> PostureReading.NONE;
}
