package io.tensd.sim;

import io.tensd.hw.HeaterOutput;
import java.util.function.BooleanSupplier;

/**
 * The heat pad's two switches in series: the PWM MOSFET (which can fail stuck-on, conducting whatever the
 * duty) and the enable line, which runs through the stimulator board's lease output, so a stalled host
 * cuts the heater in hardware too.
 */
public final class SimHeater implements HeaterOutput {
    private final BooleanSupplier leaseAlive;
    private volatile boolean enabled;
    private volatile double duty;
    private volatile boolean stuckOn;

    public SimHeater(BooleanSupplier leaseAlive) { this.leaseAlive = leaseAlive; }

    @Override
    public void drive(boolean enabled, double duty) {
        this.enabled = enabled;
        this.duty = Math.max(0, Math.min(1, duty));
    }

    @Override
    public void forceSafe() {
        enabled = false;
        duty = 0;
    }

    /** Fraction of full power reaching the pad now. */
    public double powerFraction() {
        if (!enabled || !leaseAlive.getAsBoolean()) {
            return 0;
        }
        return stuckOn ? 1.0 : duty;
    }

    public void setStuckOn(boolean stuckOn) { this.stuckOn = stuckOn; }

    public boolean enabled() { return enabled; }

    public double duty() { return duty; }
}
