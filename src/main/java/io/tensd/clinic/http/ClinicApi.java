package io.tensd.clinic.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.tensd.clinic.Adherence;
import io.tensd.clinic.SessionRecord;
import io.tensd.clinic.collector.Collector;
import io.tensd.clinic.store.ClinicStore;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read-only JSON API of {@code tensd clinic} (docs/clinic-api.yaml). Every answer is JSON; a bad parameter is
 * a 400 with {@code {"error": "..."}} naming the parameter, an unknown device a 404, a database outage a 503.
 * Routes live under {@code /api/}; the dashboard adds its own pages beside them on the same server.
 */
public final class ClinicApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClinicApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    public static final int MAX_SESSIONS = 10_000;
    public static final int MAX_DAYS = 366;

    private final ClinicStore store;
    private final Supplier<Collector.Stats> collector;
    private final Clock clock;
    private final ZoneId zone;
    private final Javalin app;

    /** @param collector the running collector's figures, or null when this process serves the API only */
    public ClinicApi(ClinicStore store, Supplier<Collector.Stats> collector, Clock clock, ZoneId zone) {
        this(store, collector, clock, zone, null);
    }

    /** @param pages more routes on the same server (the dashboard, io.tensd.clinic.web), or null */
    public ClinicApi(ClinicStore store, Supplier<Collector.Stats> collector, Clock clock, ZoneId zone,
                     java.util.function.Consumer<io.javalin.config.JavalinConfig> pages) {
        this.store = store;
        this.collector = collector;
        this.clock = clock;
        this.zone = zone;
        this.app = Javalin.create(config -> {
            config.jsonMapper(new JavalinJackson(JSON, false));
            config.startup.showJavalinBanner = false;
            config.routes.get("/api/health", this::health);
            config.routes.get("/api/devices", this::devices);
            config.routes.get("/api/devices/{id}/adherence", this::adherence);
            config.routes.get("/api/sessions", this::sessions);
            if (pages != null) pages.accept(config);
            config.routes.exception(BadRequest.class, (e, ctx) -> error(ctx, e.status, e.getMessage()));
            config.routes.exception(SQLException.class, (e, ctx) -> {
                LOG.warn("database error on {}: {}", ctx.path(), e.getMessage());
                error(ctx, 503, "database unavailable: " + e.getMessage());
            });
            config.routes.error(404, ctx -> {
                // our own 404s (unknown device) are JSON already; Javalin's "Endpoint … not found" is text
                String type = ctx.res().getContentType();
                // (the dashboard's own 404 pages are HTML: kept as well)
                if (type == null || !(type.startsWith("application/json") || type.startsWith("text/html"))) {
                    error(ctx, 404, "no such resource: " + ctx.path());
                }
            });
        });
    }

    /** A client error: answered with its status and message. */
    static final class BadRequest extends RuntimeException {
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** Starts on {@code host:port} (port 0: any free port). */
    public ClinicApi start(String host, int port) {
        app.start(host, port);
        return this;
    }

    public int port() { return app.port(); }

    private static void error(Context ctx, int status, String message) {
        ObjectNode n = JSON.createObjectNode();
        n.put("error", message);
        ctx.status(status).json(n);
    }

    private void health(Context ctx) throws SQLException {
        ObjectNode n = JSON.createObjectNode();
        boolean db = store.ping();
        n.putObject("db").put("ok", db);
        Collector.Stats s = collector == null ? null : collector.get();
        ObjectNode broker = n.putObject("broker");
        broker.put("collecting", s != null);
        if (s != null) {
            broker.put("connected", s.connected());
            ObjectNode lag = n.putObject("lag");
            lag.put("queued", s.queued());
            if (s.lastLagMillis() < 0) lag.putNull("lastBatchMs"); else lag.put("lastBatchMs", s.lastLagMillis());
            if (s.lastCommit() == null) lag.putNull("lastCommit"); else lag.put("lastCommit", s.lastCommit().toString());
            ObjectNode c = n.putObject("collector");
            c.put("stored", s.stored());
            c.put("duplicates", s.duplicates());
            c.put("rejected", s.rejected());
            c.put("acked", s.acked());
            c.put("dbFailures", s.dbFailures());
            if (s.dbError() == null) c.putNull("dbError"); else c.put("dbError", s.dbError());
        }
        if (db) {
            ClinicStore.Totals t = store.totals();
            ObjectNode st = n.putObject("store");
            st.put("devices", t.devices());
            st.put("events", t.events());
            st.put("sessions", t.sessions());
            st.put("openGaps", t.openGaps());
            st.put("rejects", t.rejects());
        }
        boolean ok = db && (s == null || s.connected());
        n.put("status", ok ? "ok" : "degraded");
        ctx.status(ok ? 200 : 503).json(n);
    }

    private void devices(Context ctx) throws SQLException {
        ArrayNode a = JSON.createArrayNode();
        for (ClinicStore.DeviceRow d : store.devices()) {
            ObjectNode n = a.addObject();
            n.put("id", d.deviceId());
            n.put("site", d.site());
            putNullable(n, "patientCode", d.patientCode());
            if (d.online() == null) n.putNull("online"); else n.put("online", d.online());
            n.put("state", d.state());
            putNullable(n, "lastSeen", d.lastSeen() == null ? null : d.lastSeen().toString());
            n.put("contiguousSeq", d.contiguousSeq());
            n.put("maxSeq", d.maxSeq());
            n.put("openGaps", d.openGaps());
            n.put("reportedGaps", d.reportedGaps());
            n.put("resendRequests", d.resendRequests());
        }
        ctx.json(a);
    }

    private void sessions(Context ctx) throws SQLException {
        String device = ctx.queryParam("device");
        if (device != null) requireKnownDevice(device);
        Instant now = clock.instant();
        Instant to = instant(ctx, "to", now.plus(Duration.ofDays(1)), true);
        Instant from = instant(ctx, "from", to.minus(Duration.ofDays(30)), false);
        if (!from.isBefore(to)) throw new BadRequest(400, "from (" + from + ") must be before to (" + to + ")");
        int limit = intParam(ctx, "limit", 1000, 1, MAX_SESSIONS);
        ArrayNode a = JSON.createArrayNode();
        for (SessionRecord r : store.sessions(device, from, to, limit)) a.add(session(r));
        ctx.json(a);
    }

    static ObjectNode session(SessionRecord r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("device", r.deviceId());
        n.put("session", r.sessionId());
        n.put("start", r.start().toString());
        putNullable(n, "end", r.end() == null ? null : r.end().toString());
        putNullable(n, "endReason", r.endReason());
        putNullable(n, "program", r.program());
        putNumber(n, "minutes", r.minutes());
        putNumber(n, "maxMa", r.maxMa());
        putNumber(n, "heatMinutes", r.heatMinutes());
        putNumber(n, "maxSkinC", r.maxSkinC());
        ArrayNode f = n.putArray("faults");
        r.faults().forEach(f::add);
        if (r.pauses() == null) n.putNull("pauses"); else n.put("pauses", r.pauses());
        n.put("slouchAlerts", r.slouchAlerts());
        n.put("slouchHeldMs", r.slouchHeldMs());
        n.put("exerciseReps", r.exerciseReps());
        n.put("events", r.events());
        n.put("complete", r.complete());
        return n;
    }

    private void adherence(Context ctx) throws SQLException {
        String device = ctx.pathParam("id");
        requireKnownDevice(device);
        int days = intParam(ctx, "days", 30, 1, MAX_DAYS);
        LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
        int window = Math.max(days, Adherence.RTM_WINDOW_DAYS);
        Instant since = today.minusDays(window - 1L).atStartOfDay(zone).toInstant();
        Instant until = today.plusDays(1).atStartOfDay(zone).toInstant();
        List<Adherence.SessionFacts> facts = new ArrayList<>();
        for (SessionRecord r : store.sessions(device, since, until, Integer.MAX_VALUE)) facts.add(Adherence.SessionFacts.of(r));
        Adherence a = Adherence.compute(device, facts, store.dataDays(device, since, zone), today, days, zone);
        ObjectNode n = JSON.createObjectNode();
        n.put("device", device);
        n.put("zone", zone.getId());
        n.put("from", a.from().toString());
        n.put("to", a.to().toString());
        n.put("days", days);
        n.put("sessions", a.sessions());
        n.put("therapyMinutes", a.therapyMinutes());
        n.put("daysWithData", a.daysWithData());
        n.put("slouchAlerts", a.slouchAlerts());
        n.put("exerciseReps", a.exerciseReps());
        ObjectNode rtm = n.putObject("rtm");
        rtm.put("windowDays", a.rtm().windowDays());
        rtm.put("daysWithData", a.rtm().daysWithData());
        rtm.put("requiredDays", a.rtm().requiredDays());
        rtm.put("met", a.rtm().met());
        ArrayNode pd = n.putArray("perDay");
        for (Adherence.Day d : a.perDay()) {
            pd.addObject().put("date", d.date().toString()).put("sessions", d.sessions())
                    .put("therapyMinutes", d.therapyMinutes()).put("data", d.data());
        }
        ArrayNode pw = n.putArray("perWeek");
        for (Adherence.Week w : a.perWeek()) {
            pw.addObject().put("weekStart", w.weekStart().toString()).put("sessions", w.sessions())
                    .put("therapyMinutes", w.therapyMinutes()).put("daysWithData", w.daysWithData());
        }
        ctx.json(n);
    }

    private void requireKnownDevice(String device) throws SQLException {
        if (!DEVICE.matcher(device).matches()) {
            throw new BadRequest(400, "device: '" + device + "' is not a device id (1-64 of A-Z a-z 0-9 _ . -)");
        }
        if (!store.deviceExists(device)) throw new BadRequest(404, "no device " + device);
    }

    /** An ISO-8601 instant ({@code 2026-03-01T10:00:00Z}) or a date ({@code 2026-03-01}: its start in the clinic zone). */
    private Instant instant(Context ctx, String name, Instant dflt, boolean dateMeansNextDay) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) return dflt;
        try {
            if (v.length() == 10) {
                LocalDate d = LocalDate.parse(v);
                return (dateMeansNextDay ? d.plusDays(1) : d).atStartOfDay(zone).toInstant();
            }
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new BadRequest(400, name + ": '" + v + "' is not an ISO-8601 instant (2026-03-01T10:00:00Z) or date (2026-03-01)");
        }
    }

    private static int intParam(Context ctx, String name, int dflt, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) return dflt;
        try {
            int i = Integer.parseInt(v);
            if (i < min || i > max) throw new NumberFormatException();
            return i;
        } catch (NumberFormatException e) {
            throw new BadRequest(400, name + ": '" + v + "' must be a whole number from " + min + " to " + max);
        }
    }

    private static void putNullable(ObjectNode n, String k, String v) {
        if (v == null) n.putNull(k); else n.put(k, v);
    }

    private static void putNumber(ObjectNode n, String k, Double v) {
        if (v == null) n.putNull(k); else n.put(k, Math.round(v * 100) / 100.0);
    }

    @Override
    public void close() {
        app.stop();
    }
}
