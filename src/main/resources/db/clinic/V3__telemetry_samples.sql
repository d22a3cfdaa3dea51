-- The 1 Hz telemetry of sessions, kept for the session report's plots (the dashboard writes what it receives; QoS 0,
-- so a sample the broker dropped is simply missing). Device and session ids only: no patient-identifying data.
CREATE TABLE telemetry_samples (
    device_id      text             NOT NULL,
    session_id     text             NOT NULL,
    mono_ms        bigint           NOT NULL, -- the daemon run's monotonic ms (same clock as events.mono_ms)
    ts             timestamptz      NOT NULL,
    state          text,
    set_ma         double precision,
    meas_ma        double precision,
    pulse_us       double precision,
    freq_hz        double precision,
    heater_duty    double precision,
    heat_setpoint_c double precision,
    skin_c         double precision,
    pad_c          double precision,
    skin_ceiling_c double precision,
    flexion_deg    double precision,
    posture        text,
    faults         text             NOT NULL,
    PRIMARY KEY (device_id, session_id, mono_ms)
);
