package io.tensd.hw;

/** Level of the emergency-stop input: true while the e-stop is pressed (latched in hardware until released). */
@FunctionalInterface
public interface EstopLine {
    boolean active();
}
