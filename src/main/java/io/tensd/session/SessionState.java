package io.tensd.session;

/** Session states. The names are the wire form (trace `state` column, telemetry, reports). */
public enum SessionState {
    IDLE, PRECHECK, RAMP_UP, ACTIVE, PAUSED, RAMP_DOWN, COMPLETE, FAULT;

    /** States in which a session exists and counts time. */
    public boolean inSession() {
        return this == PRECHECK || this == RAMP_UP || this == ACTIVE || this == PAUSED || this == RAMP_DOWN;
    }
}
