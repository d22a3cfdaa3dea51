package io.tensd.stim;

/**
 * Tuning of the host side of the stimulator link.
 *
 * @param portPath            the UART device (e.g. /dev/serial0) or a pty link in tests
 * @param leaseMillis         lease asked of the board with every setpoint and heartbeat (limits file: stimulatorLeaseMillis)
 * @param heartbeatMillis     a HEARTBEAT is due this long after the last frame; well inside the lease
 * @param resendMillis        an unconfirmed SETPOINT is resent after this long (only on a loop tick)
 * @param maxResends          resends of one setpoint before the link falls silent and lets the lease run out
 * @param helloTimeoutMillis  HELLO is repeated after this long without HELLO_ACK
 * @param reconnectPollMillis how often a vanished port's path is looked for
 * @param waveform            the pulse shape asked for (the loop's interface has no waveform)
 * @param slewMicroAmpsPerSecond slew limit asked of the board in HELLO (§5.7); 0 = the board's own maximum
 */
public record StimLinkConfig(String portPath, int leaseMillis, int heartbeatMillis, int resendMillis, int maxResends,
                             int helloTimeoutMillis, int reconnectPollMillis, Waveform waveform, int slewMicroAmpsPerSecond) {
    public StimLinkConfig {
        if (portPath == null || portPath.isBlank()) {
            throw new IllegalArgumentException("stimulator port path missing");
        }
        if (leaseMillis <= 0 || heartbeatMillis <= 0 || heartbeatMillis * 2 > leaseMillis) {
            throw new IllegalArgumentException("heartbeat (" + heartbeatMillis + " ms) must be at most half the lease ("
                    + leaseMillis + " ms)");
        }
        if (resendMillis <= 0 || maxResends < 0 || helloTimeoutMillis <= 0 || reconnectPollMillis <= 0 || waveform == null
                || slewMicroAmpsPerSecond < 0) {
            throw new IllegalArgumentException("invalid stimulator link settings");
        }
    }

    /** Lease from the limits file; heartbeat at a quarter of it, resend after 20 ms, at most 3 resends. */
    public static StimLinkConfig defaults(String portPath, int leaseMillis) {
        return new StimLinkConfig(portPath, leaseMillis, Math.max(1, leaseMillis / 4), 20, 3, 250, 100,
                Waveform.SYMMETRIC_BIPHASIC, 0);
    }

    /**
     * The board's slew limit for a host that ramps at most {@code rampMilliAmpsPerSecond} (limits file): a quarter
     * above it, so the board never refuses the host's own ramp but does refuse anything steeper.
     */
    public StimLinkConfig withRamp(double rampMilliAmpsPerSecond) {
        return new StimLinkConfig(portPath, leaseMillis, heartbeatMillis, resendMillis, maxResends, helloTimeoutMillis,
                reconnectPollMillis, waveform, (int) Math.ceil(rampMilliAmpsPerSecond * 1000 * 1.25));
    }
}
