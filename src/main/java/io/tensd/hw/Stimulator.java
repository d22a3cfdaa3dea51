package io.tensd.hw;

/**
 * The host side of the stimulator board.
 *
 * <p>{@link #command} is called by the loop thread on every tick and is what renews the board's
 * heartbeat lease: an implementation must never renew the lease on its own, so a stalled loop lets
 * the lease run out and the board silences itself. It must not block (it hands the setpoint to the
 * link's own thread or writes a few bytes to a UART buffer).
 */
public interface Stimulator {
    void command(long nowNanos, boolean enabled, int amplitudeMicroAmps, int pulseWidthMicros, int frequencyHz);

    /** Latest valid status frame; {@link StimStatus#NONE} before the first. Never blocks. */
    StimStatus latest();

    /** Ask the link to zero the output now, from any thread (e-stop listener). */
    void forceSafe();

    /**
     * Send CLEAR_FAULT to the board (a local clear only: the loop calls it when a technician clears).
     * The board drops its latched OVERCURRENT/OVERVOLTAGE and informational bits; output stays off.
     */
    void clearFaults();
}
