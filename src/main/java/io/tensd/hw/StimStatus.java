package io.tensd.hw;

/**
 * The latest valid status frame from the stimulator board, as received by the host.
 *
 * @param receivedAtNanos   host monotonic time the frame arrived; staleness is judged from it
 * @param measuredMicroAmps output current the board measured
 * @param impedanceOhms     electrode impedance the board measured; {@link #IMPEDANCE_UNKNOWN} when not measurable (output off)
 * @param boardFaultBits    {@link BoardFault} bits the board reports
 * @param outputEnabled     whether the board is driving the electrodes now
 * @param leaseRemainingMs  what is left of the heartbeat lease on the board
 * @param bootCount         increments on every board reset; a change mid-session means the board restarted
 */
public record StimStatus(long receivedAtNanos, int measuredMicroAmps, int impedanceOhms, int boardFaultBits,
                         boolean outputEnabled, int leaseRemainingMs, int bootCount) {
    public static final int IMPEDANCE_UNKNOWN = -1;
    public static final StimStatus NONE = new StimStatus(Long.MIN_VALUE / 4, 0, IMPEDANCE_UNKNOWN, 0, false, 0, 0);

    public boolean has(BoardFault fault) { return (boardFaultBits & fault.bit()) != 0; }
}
