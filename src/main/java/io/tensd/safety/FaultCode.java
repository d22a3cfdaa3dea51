package io.tensd.safety;

/**
 * Every fault the supervisor can latch. Wire names are stable (they appear in traces, reports and MQTT).
 * Declared in severity order, most severe first: where one report line must be chosen, the earliest wins.
 * All faults latch, all put the outputs into the safe state in the step they are seen, and all clear
 * only by a local {@code clear} once their cause is gone (PX4 style: "how does it clear" is explicit).
 */
public enum FaultCode {
    ESTOP("estop", Severity.CRITICAL, "emergency stop pressed"),
    SKIN_OVER_CEILING("skin-over-ceiling", Severity.CRITICAL, "skin temperature at or above the ceiling"),
    HEATER_RUNAWAY("heater-runaway", Severity.CRITICAL, "heat rising with the heater off, or far above setpoint too long"),
    STIM_OVERCURRENT("stim-overcurrent", Severity.CRITICAL, "stimulator board reports overcurrent"),
    STIM_OUTPUT_MISMATCH("stim-output-mismatch", Severity.CRITICAL, "measured current above the commanded current"),
    LOOP_OVERRUN("loop-overrun", Severity.CRITICAL, "the control loop did not run for longer than the stimulator lease"),
    STIM_LEASE_EXPIRED("stim-lease-expired", Severity.MAJOR, "stimulator board's heartbeat lease ran out"),
    STIM_LINK_LOST("stim-link-lost", Severity.MAJOR, "no valid frame from the stimulator board within the lease"),
    STIM_BOARD_RESET("stim-board-reset", Severity.MAJOR, "stimulator board restarted"),
    STIM_BOARD_FAULT("stim-board-fault", Severity.MAJOR, "stimulator board reports a fault"),
    SKIN_SENSOR_FAULT("skin-sensor-fault", Severity.MAJOR, "skin sensor open, shorted, out of range or not answering"),
    SKIN_SENSOR_STALE("skin-sensor-stale", Severity.MAJOR, "skin sensor reading too old"),
    SKIN_SENSOR_STUCK("skin-sensor-stuck", Severity.MAJOR, "skin sensor reading frozen"),
    SKIN_SENSOR_RATE("skin-sensor-rate", Severity.MAJOR, "skin temperature changing faster than physically possible"),
    PAD_SENSOR_FAULT("pad-sensor-fault", Severity.MAJOR, "pad sensor open, shorted, out of range or not answering"),
    PAD_SENSOR_STALE("pad-sensor-stale", Severity.MAJOR, "pad sensor reading too old"),
    PAD_SENSOR_STUCK("pad-sensor-stuck", Severity.MAJOR, "pad sensor reading frozen"),
    PAD_SENSOR_RATE("pad-sensor-rate", Severity.MAJOR, "pad temperature changing faster than physically possible"),
    TEMP_CHANNEL_MISMATCH("temp-channel-mismatch", Severity.MAJOR,
            "skin and pad channels disagree with each other and the heater's duty: sensor drift, pad off the skin or heater stuck on"),
    HEATER_WATCH("heater-watch", Severity.MAJOR, "heating commanded but the skin does not warm: sensor detached?"),
    HEAT_IMPLAUSIBLE("heat-implausible", Severity.MAJOR,
            "pad at its limit but the skin reads below the setpoint and does not warm: skin channel reading low?");

    private static final FaultCode[] VALUES = values();

    private final String wireName;
    private final Severity severity;
    private final String description;

    FaultCode(String wireName, Severity severity, String description) {
        this.wireName = wireName;
        this.severity = severity;
        this.description = description;
    }

    public String wireName() { return wireName; }

    public Severity severity() { return severity; }

    public String description() { return description; }

    public long bit() { return 1L << ordinal(); }

    public static FaultCode ofOrdinal(int ordinal) { return VALUES[ordinal]; }

    public static FaultCode fromWire(String wire) {
        for (FaultCode f : VALUES) {
            if (f.wireName.equals(wire)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown fault '" + wire + "'");
    }

    /** Most severe fault in {@code bits}, or null. */
    public static FaultCode mostSevere(long bits) {
        return bits == 0 ? null : VALUES[Long.numberOfTrailingZeros(bits)];
    }

    /** Wire names of the faults in {@code bits}, most severe first, joined by {@code sep}. */
    public static String join(long bits, String sep) {
        StringBuilder sb = new StringBuilder();
        appendJoined(bits, sep, sb);
        return sb.toString();
    }

    /** Allocation-free form of {@link #join} for the trace writer. */
    public static void appendJoined(long bits, String sep, StringBuilder out) {
        long rest = bits;
        boolean first = true;
        while (rest != 0) {
            int i = Long.numberOfTrailingZeros(rest);
            rest &= rest - 1;
            if (!first) {
                out.append(sep);
            }
            out.append(VALUES[i].wireName);
            first = false;
        }
    }
}
