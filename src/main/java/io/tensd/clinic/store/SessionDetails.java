package io.tensd.clinic.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * What the session report needs beyond the session row: the session's stored events (with the daemon run's
 * monotonic ms) and its 1 Hz telemetry samples (written by the dashboard from its live subscription).
 */
public final class SessionDetails {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DataSource ds;

    public SessionDetails(DataSource ds) {
        this.ds = ds;
    }

    /** One stored event or summary of a session; {@code body} is the event's data or the summary object. */
    public record Event(long seq, String type, Instant ts, long monoMs, JsonNode body) { }

    /** One telemetry sample; unknown numbers are null. */
    public record Sample(String deviceId, String sessionId, long monoMs, Instant ts, String state, Double setMa, Double measMa,
                         Double pulseUs, Double freqHz, Double heaterDuty, Double heatSetpointC, Double skinC, Double padC,
                         Double skinCeilingC, Double flexionDeg, String posture, String faults) { }

    /** The session's events in seq order; empty when the store has no such session. */
    public List<Event> events(String device, String session) throws SQLException {
        List<Event> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT seq, type, ts, mono_ms, body FROM events WHERE device_id = ? AND session_id = ? ORDER BY seq")) {
            ps.setString(1, device);
            ps.setString(2, session);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    JsonNode body;
                    try {
                        body = JSON.readTree(rs.getString(5));
                    } catch (java.io.IOException e) {
                        throw new SQLException("stored event body unreadable: " + e.getMessage(), e);
                    }
                    out.add(new Event(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getLong(4), body));
                }
            }
        }
        return out;
    }

    /** Stores samples; a sample already stored (same device, session, mono ms: a second dashboard) is skipped. */
    public int write(List<Sample> samples) throws SQLException {
        if (samples.isEmpty()) return 0;
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO telemetry_samples (device_id, session_id, mono_ms, ts, state, set_ma, meas_ma, pulse_us, freq_hz,
                       heater_duty, heat_setpoint_c, skin_c, pad_c, skin_ceiling_c, flexion_deg, posture, faults)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            for (Sample s : samples) {
                ps.setString(1, s.deviceId());
                ps.setString(2, s.sessionId());
                ps.setLong(3, s.monoMs());
                ps.setTimestamp(4, Timestamp.from(s.ts()));
                ps.setString(5, s.state());
                Double[] v = {s.setMa(), s.measMa(), s.pulseUs(), s.freqHz(), s.heaterDuty(), s.heatSetpointC(), s.skinC(), s.padC(),
                        s.skinCeilingC(), s.flexionDeg()};
                for (int i = 0; i < v.length; i++) {
                    if (v[i] == null) ps.setNull(6 + i, Types.DOUBLE); else ps.setDouble(6 + i, v[i]);
                }
                ps.setString(16, s.posture());
                ps.setString(17, s.faults());
                ps.addBatch();
            }
            int n = 0;
            for (int r : ps.executeBatch()) if (r > 0) n += r;
            return n;
        }
    }

    /** The session's samples, oldest first (at most {@code limit}). */
    public List<Sample> samples(String device, String session, int limit) throws SQLException {
        List<Sample> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT mono_ms, ts, state, set_ma, meas_ma, pulse_us, freq_hz, heater_duty, heat_setpoint_c, skin_c, pad_c,
                       skin_ceiling_c, flexion_deg, posture, faults
                     FROM telemetry_samples WHERE device_id = ? AND session_id = ? ORDER BY mono_ms LIMIT ?""")) {
            ps.setString(1, device);
            ps.setString(2, session);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Sample(device, session, rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), dbl(rs, 4),
                            dbl(rs, 5), dbl(rs, 6), dbl(rs, 7), dbl(rs, 8), dbl(rs, 9), dbl(rs, 10), dbl(rs, 11), dbl(rs, 12),
                            dbl(rs, 13), rs.getString(14), rs.getString(15)));
                }
            }
        }
        return out;
    }

    private static Double dbl(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
    }
}
