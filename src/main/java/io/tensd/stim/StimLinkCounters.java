package io.tensd.stim;

/**
 * Diagnostics of the host side of the stimulator link, for hw-check and telemetry. All counts since start.
 *
 * @param statusFrames     valid STATUS frames received
 * @param crcErrors        delimited chunks with a bad CRC (line noise)
 * @param malformedFrames  other chunks that were not frames, plus frames the host cannot use
 * @param droppedBytes     bytes discarded as garbage
 * @param setpointsSent    SETPOINT frames sent for new setpoints (resends and forced-safe ones not included)
 * @param resends          SETPOINT frames resent because neither ACK nor STATUS confirmed them
 * @param giveUps          setpoints abandoned after the resend bound (the link then stays silent and the lease runs out)
 * @param heartbeatsSent   HEARTBEAT frames sent
 * @param forcedSafe       disable SETPOINTs sent by {@code forceSafe()}
 * @param nacks            NACKs received
 * @param lastNack         reason of the latest NACK, or "none"
 * @param hellos           HELLO frames sent
 * @param connects         times the port was opened (the first included)
 * @param disconnects      times the port vanished or failed
 * @param bootCountChanges times a board reset was seen mid-link
 * @param ticksCoalesced   loop ticks the writer thread never saw because the next one came first
 * @param writeFailures    frames the driver did not take (port gone)
 * @param leaseWithheld    ticks on which a frame keeping output on was not sent because no valid STATUS
 *                         was seen within the lease (the board then cuts by itself)
 */
public record StimLinkCounters(long statusFrames, long crcErrors, long malformedFrames, long droppedBytes,
                              long setpointsSent, long resends, long giveUps, long heartbeatsSent, long forcedSafe,
                              long nacks, String lastNack, long hellos, long connects, long disconnects,
                              long bootCountChanges, long ticksCoalesced, long writeFailures,
                              long leaseWithheld) {
    /** Reconnections after the first connect. */
    public long reconnects() { return Math.max(0, connects - 1); }
}
