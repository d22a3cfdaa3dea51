package io.tensd.clinic.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensd.clinic.Gap;
import io.tensd.clinic.GapTracker;
import io.tensd.clinic.Inbound;
import io.tensd.clinic.SessionAssembly;
import io.tensd.clinic.SessionRecord;
import io.tensd.clinic.StoredEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * Plain JDBC over the clinic schema. {@link #write} stores one batch of messages in one transaction: after it
 * returns, every message of the batch is committed and may be acknowledged. Writers (several collectors in one
 * share group) serialise per device with a transaction-scoped advisory lock, so the session rows and gaps
 * rebuilt after the inserts see every committed event of that device.
 */
public final class ClinicStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DataSource ds;

    public ClinicStore(DataSource ds) {
        this.ds = ds;
    }

    public DataSource dataSource() { return ds; }

    /** What one committed batch did. */
    public record BatchResult(int inserted, int duplicates, int rejected, int sessionsTouched) { }

    public BatchResult write(List<Inbound> batch, Instant now) throws SQLException {
        TreeMap<String, String> siteOf = new TreeMap<>();
        Map<String, Instant> lastSeen = new HashMap<>();
        List<Inbound.Journaled> journaled = new ArrayList<>();
        List<Inbound.Rejected> rejected = new ArrayList<>();
        for (Inbound in : batch) {
            if (in instanceof Inbound.Journaled j) {
                journaled.add(j);
                siteOf.put(j.deviceId(), j.site());
                lastSeen.merge(j.deviceId(), j.ts(), (a, b) -> a.isAfter(b) ? a : b);
            } else if (in instanceof Inbound.Status s) {
                siteOf.put(s.deviceId(), s.site());
            } else if (in instanceof Inbound.Birth b) {
                siteOf.put(b.deviceId(), b.site());
            } else if (in instanceof Inbound.Rejected r) {
                rejected.add(r);
            }
        }
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                lockDevices(c, siteOf.keySet());
                upsertDevices(c, siteOf, lastSeen);
                int inserted = insertEvents(c, journaled);
                Set<List<String>> sessions = new LinkedHashSet<>();
                Set<String> journaledDevices = new TreeSet<>();
                for (Inbound.Journaled j : journaled) {
                    journaledDevices.add(j.deviceId());
                    if (j.sessionId() != null) sessions.add(List.of(j.deviceId(), j.sessionId()));
                }
                for (List<String> s : sessions) rebuildSession(c, s.get(0), s.get(1));
                Set<String> gapDevices = new TreeSet<>(journaledDevices);
                for (Inbound in : batch) {
                    if (in instanceof Inbound.Status s) {
                        applyStatus(c, s);
                    } else if (in instanceof Inbound.Birth b) {
                        applyBirth(c, b);
                        gapDevices.add(b.deviceId());
                    }
                }
                for (String d : gapDevices) updateGaps(c, d, now);
                insertRejects(c, rejected);
                c.commit();
                return new BatchResult(inserted, journaled.size() - inserted, rejected.size(), sessions.size());
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is gone; the transaction is gone with it
                }
                throw e;
            }
        }
    }

    private static void lockDevices(Connection c, Set<String> sortedDevices) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 7))")) {
            for (String d : sortedDevices) {
                ps.setString(1, d);
                ps.execute();
            }
        }
    }

    private static void upsertDevices(Connection c, Map<String, String> siteOf, Map<String, Instant> lastSeen) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO devices (device_id, site, last_seen) VALUES (?, ?, ?)
                ON CONFLICT (device_id) DO UPDATE SET site = EXCLUDED.site,
                  last_seen = GREATEST(devices.last_seen, EXCLUDED.last_seen)""")) {
            for (Map.Entry<String, String> e : siteOf.entrySet()) {
                ps.setString(1, e.getKey());
                ps.setString(2, e.getValue());
                Instant seen = lastSeen.get(e.getKey());
                if (seen == null) ps.setNull(3, Types.TIMESTAMP_WITH_TIMEZONE); else ps.setTimestamp(3, Timestamp.from(seen));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static int insertEvents(Connection c, List<Inbound.Journaled> events) throws SQLException {
        if (events.isEmpty()) return 0;
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO events (device_id, seq, session_id, type, ts, mono_ms, replayed, body)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT (device_id, seq) DO NOTHING""")) {
            for (Inbound.Journaled j : events) {
                ps.setString(1, j.deviceId());
                ps.setLong(2, j.seq());
                ps.setString(3, j.sessionId());
                ps.setString(4, j.type());
                ps.setTimestamp(5, Timestamp.from(j.ts()));
                ps.setLong(6, j.monoMs());
                ps.setBoolean(7, j.replayed());
                ps.setString(8, j.body().toString());
                ps.addBatch();
            }
            int n = 0;
            for (int r : ps.executeBatch()) {
                if (r > 0) n += r;
            }
            return n;
        }
    }

    private static void rebuildSession(Connection c, String device, String session) throws SQLException {
        List<StoredEvent> events = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT seq, type, ts, body FROM events WHERE device_id = ? AND session_id = ?")) {
            ps.setString(1, device);
            ps.setString(2, session);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    events.add(new StoredEvent(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(), json(rs.getString(4))));
                }
            }
        }
        SessionRecord r = SessionAssembly.assemble(device, session, events);
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO sessions (device_id, session_id, started_at, ended_at, end_reason, program, minutes, max_ma,
                  heat_minutes, max_skin_c, faults, pauses, slouch_alerts, slouch_held_ms, exercise_reps, events, complete)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (device_id, session_id) DO UPDATE SET started_at = EXCLUDED.started_at,
                  ended_at = EXCLUDED.ended_at, end_reason = EXCLUDED.end_reason, program = EXCLUDED.program,
                  minutes = EXCLUDED.minutes, max_ma = EXCLUDED.max_ma, heat_minutes = EXCLUDED.heat_minutes,
                  max_skin_c = EXCLUDED.max_skin_c, faults = EXCLUDED.faults, pauses = EXCLUDED.pauses,
                  slouch_alerts = EXCLUDED.slouch_alerts, slouch_held_ms = EXCLUDED.slouch_held_ms,
                  exercise_reps = EXCLUDED.exercise_reps, events = EXCLUDED.events, complete = EXCLUDED.complete""")) {
            ps.setString(1, device);
            ps.setString(2, session);
            ps.setTimestamp(3, Timestamp.from(r.start()));
            ps.setTimestamp(4, r.end() == null ? null : Timestamp.from(r.end()));
            ps.setString(5, r.endReason());
            ps.setString(6, r.program());
            setDouble(ps, 7, r.minutes());
            setDouble(ps, 8, r.maxMa());
            setDouble(ps, 9, r.heatMinutes());
            setDouble(ps, 10, r.maxSkinC());
            ps.setString(11, JSON.valueToTree(r.faults()).toString());
            if (r.pauses() == null) ps.setNull(12, Types.INTEGER); else ps.setInt(12, r.pauses());
            ps.setInt(13, r.slouchAlerts());
            ps.setLong(14, r.slouchHeldMs());
            ps.setInt(15, r.exerciseReps());
            ps.setInt(16, r.events());
            ps.setBoolean(17, r.complete());
            ps.executeUpdate();
        }
    }

    private static void updateGaps(Connection c, String device, Instant now) throws SQLException {
        long contiguous;
        long journalLast;
        try (PreparedStatement ps = c.prepareStatement("SELECT contiguous_seq, journal_last_seq FROM devices WHERE device_id = ?")) {
            ps.setString(1, device);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                contiguous = rs.getLong(1);
                journalLast = rs.getLong(2);
            }
        }
        List<Long> above = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM events WHERE device_id = ? AND seq > ? ORDER BY seq")) {
            ps.setString(1, device);
            ps.setLong(2, contiguous);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) above.add(rs.getLong(1));
            }
        }
        List<Gap> before = new ArrayList<>();
        Map<Long, Instant> reportedBefore = new HashMap<>();
        Map<Long, Instant> resendBefore = new HashMap<>();
        Map<Long, Integer> requestsBefore = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT from_seq, to_seq, opened_at, reported_at, resend_at, resend_requests FROM gaps WHERE device_id = ?")) {
            ps.setString(1, device);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    before.add(new Gap(rs.getLong(1), rs.getLong(2), rs.getTimestamp(3).toInstant()));
                    Timestamp rep = rs.getTimestamp(4);
                    if (rep != null) reportedBefore.put(rs.getLong(1), rep.toInstant());
                    Timestamp res = rs.getTimestamp(5);
                    if (res != null) resendBefore.put(rs.getLong(1), res.toInstant());
                    requestsBefore.put(rs.getLong(1), rs.getInt(6));
                }
            }
        }
        GapTracker.Result r = GapTracker.update(contiguous, above.stream().mapToLong(Long::longValue).toArray(), before, now,
                journalLast);
        long max = above.isEmpty() ? r.contiguousSeq() : Math.max(above.get(above.size() - 1), r.contiguousSeq());
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE devices SET contiguous_seq = ?, max_seq = GREATEST(max_seq, ?) WHERE device_id = ?")) {
            ps.setLong(1, r.contiguousSeq());
            ps.setLong(2, max);
            ps.setString(3, device);
            ps.executeUpdate();
        }
        if (before.equals(r.open())) return;
        try (PreparedStatement del = c.prepareStatement("DELETE FROM gaps WHERE device_id = ?")) {
            del.setString(1, device);
            del.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO gaps (device_id, from_seq, to_seq, opened_at, reported_at, resend_at, resend_requests) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (Gap g : r.open()) {
                // a hole partly filled keeps what its old hole had: report, last resend request, request count
                Instant reported = null;
                Instant resend = null;
                int requests = 0;
                for (Gap old : before) {
                    if (old.fromSeq() > g.toSeq() || old.toSeq() < g.fromSeq()) continue;
                    if (reportedBefore.containsKey(old.fromSeq())) reported = reportedBefore.get(old.fromSeq());
                    Instant rs = resendBefore.get(old.fromSeq());
                    if (rs != null && (resend == null || rs.isAfter(resend))) resend = rs;
                    requests = Math.max(requests, requestsBefore.getOrDefault(old.fromSeq(), 0));
                }
                ps.setString(1, device);
                ps.setLong(2, g.fromSeq());
                ps.setLong(3, g.toSeq());
                ps.setTimestamp(4, Timestamp.from(g.openedAt()));
                ps.setTimestamp(5, reported == null ? null : Timestamp.from(reported));
                ps.setTimestamp(6, resend == null ? null : Timestamp.from(resend));
                ps.setInt(7, requests);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void applyStatus(Connection c, Inbound.Status s) throws SQLException {
        // the broker delivers one topic's messages in order: the latest status applied is the current one
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE devices SET online = ?, status_reason = ?, status_ts = ? WHERE device_id = ?")) {
            ps.setBoolean(1, s.online());
            ps.setString(2, s.reason());
            ps.setTimestamp(3, Timestamp.from(s.ts()));
            ps.setString(4, s.deviceId());
            ps.executeUpdate();
        }
    }

    private static void applyBirth(Connection c, Inbound.Birth b) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE devices SET journal_last_seq = GREATEST(journal_last_seq, ?) WHERE device_id = ?")) {
            ps.setLong(1, b.lastSeq());
            ps.setString(2, b.deviceId());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE devices SET birth = ?::jsonb, birth_ts = ?
                WHERE device_id = ? AND (birth_ts IS NULL OR birth_ts <= ?)""")) {
            ps.setString(1, b.json());
            ps.setTimestamp(2, Timestamp.from(b.ts()));
            ps.setString(3, b.deviceId());
            ps.setTimestamp(4, Timestamp.from(b.ts()));
            ps.executeUpdate();
        }
    }

    private static void insertRejects(Connection c, List<Inbound.Rejected> rejected) throws SQLException {
        if (rejected.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO rejects (topic, reason, payload) VALUES (?, ?, ?)")) {
            for (Inbound.Rejected r : rejected) {
                ps.setString(1, r.topic());
                ps.setString(2, r.reason().length() > 2000 ? r.reason().substring(0, 2000) : r.reason());
                ps.setBytes(3, r.payload());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** A gap reported once (by whichever collector gets there first) when it outlives {@code timeout}. */
    public record ReportedGap(String deviceId, long fromSeq, long toSeq, Instant openedAt) { }

    public List<ReportedGap> reportOverdueGaps(Instant now, Duration timeout) throws SQLException {
        List<ReportedGap> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     UPDATE gaps SET reported_at = ? WHERE reported_at IS NULL AND opened_at <= ?
                     RETURNING device_id, from_seq, to_seq, opened_at""")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setTimestamp(2, Timestamp.from(now.minus(timeout)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ReportedGap(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getTimestamp(4).toInstant()));
                }
            }
        }
        return out;
    }

    /** A resend request to make: the device's {@code fromSeq..toSeq}, the {@code attempt}-th for this hole. */
    public record RepairRequest(String deviceId, String site, long fromSeq, long toSeq, int attempt) { }

    /**
     * Claims the gaps due for a resend request: open for at least {@code after} and not asked for within
     * {@code after} (within {@code reportedEvery} once the gap was reported as overdue), of devices not known to be
     * offline. One UPDATE claims them, so with several collectors each gap is asked for once per interval.
     * Counted per gap and per device.
     */
    public List<RepairRequest> claimGapRepairs(Instant now, Duration after, Duration reportedEvery) throws SQLException {
        List<RepairRequest> out = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("""
                        UPDATE gaps g SET resend_at = ?, resend_requests = g.resend_requests + 1
                        FROM devices d
                        WHERE d.device_id = g.device_id AND d.online IS NOT FALSE AND g.opened_at <= ?
                          AND (g.resend_at IS NULL OR g.resend_at <= CASE WHEN g.reported_at IS NULL THEN ?::timestamptz ELSE ?::timestamptz END)
                        RETURNING g.device_id, d.site, g.from_seq, g.to_seq, g.resend_requests""")) {
                    ps.setTimestamp(1, Timestamp.from(now));
                    ps.setTimestamp(2, Timestamp.from(now.minus(after)));
                    ps.setTimestamp(3, Timestamp.from(now.minus(after)));
                    ps.setTimestamp(4, Timestamp.from(now.minus(reportedEvery)));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(new RepairRequest(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getInt(5)));
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE devices SET resend_requests = resend_requests + 1 WHERE device_id = ?")) {
                    for (RepairRequest r : out) {
                        ps.setString(1, r.deviceId());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return out;
    }

    // ---- read side (the JSON API) ----

    public record DeviceRow(String deviceId, String site, String patientCode, Boolean online, String state, Instant lastSeen,
                            long contiguousSeq, long maxSeq, int openGaps, int reportedGaps, long resendRequests) { }

    public List<DeviceRow> devices() throws SQLException {
        List<DeviceRow> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT d.device_id, d.site, d.patient_code, d.online, d.last_seen, d.contiguous_seq, d.max_seq,
                       (SELECT count(*) FROM gaps g WHERE g.device_id = d.device_id),
                       (SELECT count(*) FROM gaps g WHERE g.device_id = d.device_id AND g.reported_at IS NOT NULL),
                       (SELECT s.ended_at IS NULL AND NOT s.complete FROM sessions s WHERE s.device_id = d.device_id
                          ORDER BY s.started_at DESC LIMIT 1),
                       d.resend_requests
                     FROM devices d ORDER BY d.device_id""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Timestamp seen = rs.getTimestamp(5);
                boolean online = rs.getBoolean(4);
                Boolean onlineOrNull = rs.wasNull() ? null : online;
                boolean inSession = rs.getBoolean(10);
                String state = rs.wasNull() ? "no-sessions" : inSession ? "in-session" : "idle";
                out.add(new DeviceRow(rs.getString(1), rs.getString(2), rs.getString(3), onlineOrNull, state,
                        seen == null ? null : seen.toInstant(), rs.getLong(6), rs.getLong(7), rs.getInt(8), rs.getInt(9), rs.getLong(11)));
            }
        }
        return out;
    }

    public boolean deviceExists(String deviceId) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM devices WHERE device_id = ?")) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Sessions started in {@code [from, to)}, oldest first; {@code device} null means every device. */
    public List<SessionRecord> sessions(String device, Instant from, Instant to, int limit) throws SQLException {
        List<SessionRecord> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT device_id, session_id, started_at, ended_at, end_reason, program, minutes, max_ma, heat_minutes,
                       max_skin_c, faults, pauses, slouch_alerts, slouch_held_ms, exercise_reps, events, complete
                     FROM sessions WHERE (?::text IS NULL OR device_id = ?) AND started_at >= ? AND started_at < ?
                     ORDER BY started_at, device_id, session_id LIMIT ?""")) {
            ps.setString(1, device);
            ps.setString(2, device);
            ps.setTimestamp(3, Timestamp.from(from));
            ps.setTimestamp(4, Timestamp.from(to));
            ps.setInt(5, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> faults = new ArrayList<>();
                    for (JsonNode f : json(rs.getString(11))) faults.add(f.asText());
                    Timestamp end = rs.getTimestamp(4);
                    int pauses = rs.getInt(12);
                    Integer p = rs.wasNull() ? null : pauses;
                    out.add(new SessionRecord(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                            end == null ? null : end.toInstant(), rs.getString(5), rs.getString(6), dbl(rs, 7), dbl(rs, 8),
                            dbl(rs, 9), dbl(rs, 10), faults, p, rs.getInt(13), rs.getLong(14), rs.getInt(15), rs.getInt(16),
                            rs.getBoolean(17)));
                }
            }
        }
        return out;
    }

    /** Dates (in {@code zone}) on which the device stored any event, from {@code since} on. */
    public Set<LocalDate> dataDays(String device, Instant since, ZoneId zone) throws SQLException {
        Set<LocalDate> out = new HashSet<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT DISTINCT (ts AT TIME ZONE ?)::date FROM events WHERE device_id = ? AND ts >= ?")) {
            ps.setString(1, zone.getId());
            ps.setString(2, device);
            ps.setTimestamp(3, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getDate(1).toLocalDate());
            }
        }
        return out;
    }

    /** Totals for health and tests: stored events, sessions, open gaps, rejects, devices, resend requests made. */
    public record Totals(long events, long sessions, long openGaps, long rejects, long devices, long resendRequests) { }

    public Totals totals() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM sessions), (SELECT count(*) FROM gaps),
                            (SELECT count(*) FROM rejects), (SELECT count(*) FROM devices),
                            (SELECT coalesce(sum(resend_requests), 0) FROM devices)""")) {
            rs.next();
            return new Totals(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6));
        }
    }

    /** Assigns (or clears, with null) a device's pseudonymous patient code. */
    public void setPatientCode(String device, String site, String code) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO devices (device_id, site, patient_code) VALUES (?, ?, ?)
                     ON CONFLICT (device_id) DO UPDATE SET patient_code = EXCLUDED.patient_code""")) {
            ps.setString(1, device);
            ps.setString(2, site);
            ps.setString(3, code);
            ps.executeUpdate();
        }
    }

    public boolean ping() {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            return s.execute("SELECT 1");
        } catch (SQLException e) {
            return false;
        }
    }

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException("stored JSON unreadable: " + e.getMessage(), e);
        }
    }

    private static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
        if (v == null) ps.setNull(i, Types.DOUBLE); else ps.setDouble(i, v);
    }

    private static Double dbl(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
    }
}
