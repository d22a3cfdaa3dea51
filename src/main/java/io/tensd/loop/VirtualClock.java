package io.tensd.loop;

/** A clock the simulator advances; lets tests run hours of session in milliseconds. */
public final class VirtualClock implements Clock {
    private volatile long nanos;

    public VirtualClock(long startNanos) { this.nanos = startNanos; }

    @Override
    public long nanos() { return nanos; }

    public void set(long nanos) {
        if (nanos < this.nanos) {
            throw new IllegalArgumentException("virtual time must not go backwards");
        }
        this.nanos = nanos;
    }

    public void advance(long deltaNanos) { set(nanos + deltaNanos); }
}
