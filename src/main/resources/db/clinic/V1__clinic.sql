-- The clinic store. Device ids and a pseudonymous patient code only: no patient-identifying data.

CREATE TABLE devices (
    device_id      text PRIMARY KEY,
    site           text NOT NULL,
    patient_code   text,                      -- pseudonymous code assigned by the clinic, never a name
    online         boolean,
    status_reason  text,
    status_ts      timestamptz,
    birth          jsonb,
    birth_ts       timestamptz,
    last_seen      timestamptz,               -- newest ts of anything stored for the device
    contiguous_seq bigint NOT NULL DEFAULT 0, -- every seq 1..contiguous_seq is stored
    max_seq        bigint NOT NULL DEFAULT 0
);

-- Events and summaries share the device's gapless seq: (device_id, seq) makes redelivery a no-op.
CREATE TABLE events (
    device_id   text        NOT NULL,
    seq         bigint      NOT NULL,
    session_id  text,
    type        text        NOT NULL,
    ts          timestamptz NOT NULL,
    mono_ms     bigint      NOT NULL,
    replayed    boolean     NOT NULL,
    body        jsonb       NOT NULL,         -- the event's data, or the summary object
    stored_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, seq)
);
CREATE INDEX events_session ON events (device_id, session_id) WHERE session_id IS NOT NULL;
CREATE INDEX events_ts ON events (device_id, ts);

-- One row per session, rebuilt from its events and summary after every batch that touches it.
CREATE TABLE sessions (
    device_id      text        NOT NULL,
    session_id     text        NOT NULL,
    started_at     timestamptz NOT NULL,
    ended_at       timestamptz,
    end_reason     text,
    program        text,
    minutes        double precision,
    max_ma         double precision,
    heat_minutes   double precision,
    max_skin_c     double precision,
    faults         jsonb       NOT NULL,
    pauses         integer,
    slouch_alerts  integer     NOT NULL,
    slouch_held_ms bigint      NOT NULL,
    exercise_reps  integer     NOT NULL,
    events         integer     NOT NULL,
    complete       boolean     NOT NULL,
    PRIMARY KEY (device_id, session_id)
);
CREATE INDEX sessions_start ON sessions (started_at);

-- Open holes in a device's seq; reported_at is set once a hole outlives the gap timeout.
CREATE TABLE gaps (
    device_id   text        NOT NULL,
    from_seq    bigint      NOT NULL,
    to_seq      bigint      NOT NULL,
    opened_at   timestamptz NOT NULL,
    reported_at timestamptz,
    PRIMARY KEY (device_id, from_seq)
);

-- Malformed or schema-invalid messages: kept for a technician, acknowledged so they never block the share group.
CREATE TABLE rejects (
    id          bigserial PRIMARY KEY,
    topic       text        NOT NULL,
    reason      text        NOT NULL,
    payload     bytea       NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
