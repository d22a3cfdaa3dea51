package io.tensd.therapy;

/** Mutable output of a program's envelope for one tick (reused; the loop does not allocate). */
public final class Setpoint {
    public double milliAmps;
    public int pulseWidthMicros;
    public double frequencyHz;

    public Setpoint set(double milliAmps, int pulseWidthMicros, double frequencyHz) {
        this.milliAmps = milliAmps;
        this.pulseWidthMicros = pulseWidthMicros;
        this.frequencyHz = frequencyHz;
        return this;
    }
}
