package io.tensd.hw;

import io.tensd.therapy.Program;

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

    /**
     * True when the link, as negotiated now, lets the board time {@code program}'s shape itself (burst trains,
     * modulation: protocol v2 with the capability). Called by the loop; never blocks, never allocates once a
     * program has been seen. Default: no link times anything.
     */
    default boolean timesProgram(Program program) { return false; }

    /**
     * A loop tick for a board that times {@code program}'s shape: {@code levelMicroAmps} is the level (the shape's
     * peak, ramped and clamped), {@code pulseWidthMicros} and {@code frequencyHz} the shape's peak width and rate.
     * Same rules as {@link #command} (the loop's call, renews the lease, no blocking, no allocation). The loop calls
     * it only after {@link #timesProgram} said yes; a link asked anyway for a shape it cannot run sends "off".
     */
    default void commandProgram(long nowNanos, boolean enabled, int levelMicroAmps, int pulseWidthMicros, int frequencyHz,
                                Program program) {
        command(nowNanos, false, 0, 0, 0);
    }

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
