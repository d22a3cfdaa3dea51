package io.tensd.hw;

/**
 * The heat pad: a PWM switch and, in series, an enable switch (through the stimulator board's lease).
 * Both must conduct for current to flow. Called by the loop thread; must not block.
 */
public interface HeaterOutput {
    void drive(boolean enabled, double duty);

    /** Cut the enable line now, from any thread (e-stop listener). */
    void forceSafe();
}
