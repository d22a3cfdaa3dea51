package io.tensd.clinic.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.sse.SseClient;
import io.tensd.clinic.Adherence;
import io.tensd.clinic.SessionRecord;
import io.tensd.clinic.store.ClinicStore;
import io.tensd.report.WeeklyChart;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clinician's dashboard, served beside the JSON API: login (clinician / viewer), the live view of every device
 * ({@code /}, updated by Server-Sent Events from {@code /live}), a device page with its sessions, and commands sent
 * from the page (clinicians only). The pages are jte templates (src/main/jte, rendered by {@link Html}) with every
 * value escaped; one small script ({@code /static/dashboard.js}), no external resources.
 */
public final class Dashboard {
    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
    public static final String SESSION_COOKIE = "tensd_session";
    public static final String LOGIN_COOKIE = "tensd_login";
    private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern SESSION = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    /** Commands the page may send: pause, resume, stop and set-intensity (its one field bounded here, clamped by the device). */
    public static final Set<String> COMMANDS = Set.of("pause", "resume", "stop", "set-intensity");
    /** The set-intensity schema's bound (tensd.cmd.set-intensity.v1: 0-100 mA); the device's limits file clamps further. */
    public static final double MAX_MILLIAMPS = 100.0;
    /** Adherence calendars the device page offers. */
    public static final Set<Integer> CALENDAR_DAYS = Set.of(30, 90);
    /** Flexion beyond neutral counted as slouching in the report's plots (as {@code tensd report}'s default). */
    static final double SLOUCH_DEG = 20.0;
    /** At most 10 hours of 1 Hz samples per report. */
    static final int MAX_SAMPLES = 36_000;

    private final Users users;
    private final ClinicStore store;
    private final io.tensd.clinic.store.SessionDetails details;
    private final LiveFeed feed;
    private final Clock clock;
    private final ZoneId zone;
    private final WebSessions sessions;
    private final LoginLimiter limiter = new LoginLimiter();
    private final Set<SseClient> watchers = new CopyOnWriteArraySet<>();

    /** Raised by a handler: answered with its status and a one-line page. */
    static final class WebError extends RuntimeException {
        final int status;

        WebError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    public Dashboard(Users users, ClinicStore store, LiveFeed feed, Clock clock, ZoneId zone) {
        this.users = users;
        this.store = store;
        this.details = new io.tensd.clinic.store.SessionDetails(store.dataSource());
        this.feed = feed;
        this.clock = clock;
        this.zone = zone;
        this.sessions = new WebSessions(clock);
        feed.onChange(this::broadcast);
    }

    /** Adds the dashboard's routes to the clinic server's configuration (ClinicApi). */
    public void routes(JavalinConfig config) {
        config.routes.before(this::guard);
        config.routes.get("/static/dashboard.js", ctx -> resource(ctx, "dashboard.js", "text/javascript"));
        config.routes.get("/static/dashboard.css", ctx -> resource(ctx, "dashboard.css", "text/css"));
        config.routes.get("/login", this::loginPage);
        config.routes.post("/login", this::login);
        config.routes.post("/logout", this::logout);
        config.routes.get("/", this::liveView);
        config.routes.sse("/live", this::live);
        config.routes.get("/devices/{id}", this::devicePage);
        config.routes.get("/devices/{id}/sessions/{session}", this::sessionReport);
        config.routes.post("/devices/{id}/cmd/{name}", this::command);
        config.routes.exception(WebError.class, (e, ctx) -> {
            ctx.status(e.status).contentType("text/html; charset=utf-8")
                    .result(Html.render("error.jte", Map.of("status", e.status, "message", e.getMessage())));
        });
    }

    /** Every page but the login and static files needs a session; every POST needs the session's CSRF token. */
    private void guard(Context ctx) {
        String path = ctx.path();
        if (path.startsWith("/api/") || path.startsWith("/static/")) return;
        if (path.equals("/favicon.ico")) {
            ctx.status(204);
            ctx.skipRemainingHandlers();
            return;
        }
        if (path.equals("/login")) {
            if (ctx.method() == HandlerType.POST && !same(ctx.cookie(LOGIN_COOKIE), ctx.formParam("csrf"))) {
                LOG.warn("dashboard: login POST from {} without its CSRF token refused", ctx.ip());
                throw new WebError(403, "missing or wrong CSRF token: reload the login page");
            }
            return;
        }
        WebSessions.Session s = sessions.find(ctx.cookie(SESSION_COOKIE)).orElse(null);
        if (s == null) {
            if (ctx.method() == HandlerType.GET && !path.equals("/live")) {
                ctx.redirect("/login");
                ctx.skipRemainingHandlers();
                return;
            }
            throw new WebError(401, "not logged in (or the session expired): log in again");
        }
        if (ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD) {
            String token = ctx.formParam("csrf");
            if (token == null) token = ctx.header("X-CSRF-Token");
            if (!same(s.csrf(), token)) LOG.warn("dashboard: {} {} by {} without the CSRF token refused", ctx.method(), path, s.user());
            if (!same(s.csrf(), token)) throw new WebError(403, "missing or wrong CSRF token: nothing was sent");
        }
        ctx.attribute("session", s);
    }

    private static boolean same(String expected, String given) {
        if (expected == null || given == null) return false;
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    private static WebSessions.Session session(Context ctx) {
        return ctx.attribute("session");
    }

    private static void html(Context ctx, String page) {
        ctx.contentType("text/html; charset=utf-8").header("Cache-Control", "no-store").result(page);
    }

    private void resource(Context ctx, String name, String type) throws IOException {
        try (InputStream in = Dashboard.class.getResourceAsStream(name)) {
            if (in == null) throw new WebError(404, "no " + name);
            ctx.contentType(type + "; charset=utf-8").result(in.readAllBytes());
        }
    }

    private void cookie(Context ctx, String name, String value, int maxAgeSeconds) {
        // HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it), Secure when served over HTTPS
        ctx.cookie(new io.javalin.http.Cookie(name, value, "/", maxAgeSeconds, ctx.req().isSecure(), true, null, io.javalin.http.SameSite.STRICT));
    }

    private void loginPage(Context ctx) {
        // keep the browser's token: a second GET (another tab, the favicon's redirect) must not void an open form
        String token = ctx.cookie(LOGIN_COOKIE);
        if (token == null || !token.matches("[A-Za-z0-9_-]{43}")) token = WebSessions.token();
        cookie(ctx, LOGIN_COOKIE, token, 3600);
        html(ctx, loginForm(token, null));
    }

    private static String loginForm(String token, String error) {
        Map<String, Object> p = new HashMap<>();
        p.put("token", token);
        p.put("error", error);
        return Html.render("login.jte", p);
    }

    private void login(Context ctx) {
        String client = ctx.ip();
        Instant now = clock.instant();
        long wait = limiter.retryAfterSeconds(client, now);
        if (wait > 0) {
            ctx.header("Retry-After", Long.toString(wait));
            throw new WebError(429, "too many wrong passwords from this address: try again in " + wait + " s");
        }
        Users.User u = users.check(ctx.formParam("user"), ctx.formParam("password")).orElse(null);
        if (u == null) {
            limiter.failed(client, now);
            LOG.warn("dashboard: failed login for '{}' from {}", ctx.formParam("user"), client);
            ctx.status(401);
            html(ctx, loginForm(ctx.cookie(LOGIN_COOKIE), "wrong name or password"));
            return;
        }
        limiter.succeeded(client);
        WebSessions.Session s = sessions.open(u.name(), u.role());
        cookie(ctx, SESSION_COOKIE, s.id(), (int) WebSessions.IDLE.toSeconds());
        cookie(ctx, LOGIN_COOKIE, "", 0);
        LOG.info("dashboard: {} logged in as {}", u.name(), u.role());
        ctx.redirect("/");
    }

    private void logout(Context ctx) {
        sessions.close(session(ctx).id());
        cookie(ctx, SESSION_COOKIE, "", 0);
        ctx.redirect("/login");
    }

    /** Store devices (everything the collector has seen) and live ones, by id. */
    private Map<String, DeviceView> allDevices(StringBuilder databaseError) {
        Map<String, DeviceView> all = new TreeMap<>();
        try {
            for (ClinicStore.DeviceRow r : store.devices()) {
                all.put(r.deviceId(), new DeviceView(r.site(), r.deviceId(), r.online(), null, null, null, null, null, null, null,
                        null, null, List.of(), null));
            }
        } catch (SQLException e) {
            databaseError.append(e.getMessage());
        }
        all.putAll(feed.devices());
        return all;
    }

    private void liveView(Context ctx) {
        WebSessions.Session s = session(ctx);
        StringBuilder databaseError = new StringBuilder();
        Map<String, DeviceView> all = allDevices(databaseError);
        Map<String, Object> p = new HashMap<>();
        p.put("user", s.user());
        p.put("csrf", s.csrf());
        p.put("devices", all.values());
        p.put("databaseError", databaseError.length() == 0 ? null : databaseError.toString());
        html(ctx, Html.render("live.jte", p));
    }

    /** One device's row of the live view (row.jte): the page's script redraws it from the "device" events. */
    static String row(DeviceView d) {
        return Html.render("row.jte", Map.of("d", d));
    }

    private void live(SseClient client) {
        client.keepAlive();
        watchers.add(client);
        client.onClose(() -> watchers.remove(client));
        for (DeviceView d : feed.devices().values()) client.sendEvent("device", d.toJson().toString());
    }

    private void broadcast(DeviceView d) {
        String data = d.toJson().toString();
        for (SseClient c : watchers) {
            try {
                if (c.terminated()) watchers.remove(c); else c.sendEvent("device", data);
            } catch (RuntimeException e) {
                watchers.remove(c);
            }
        }
    }

    private String knownDevice(Context ctx) throws SQLException {
        String id = ctx.pathParam("id");
        if (!DEVICE.matcher(id).matches()) throw new WebError(400, "'" + id + "' is not a device id (1-64 of A-Z a-z 0-9 _ . -)");
        if (feed.device(id).isEmpty() && !store.deviceExists(id)) throw new WebError(404, "no device " + id);
        return id;
    }

    private void devicePage(Context ctx) throws SQLException {
        WebSessions.Session s = session(ctx);
        String id = knownDevice(ctx);
        int days = calendarDays(ctx.queryParam("days"));
        DeviceView d = feed.device(id).orElse(DeviceView.empty("", id));
        Instant now = clock.instant();
        List<SessionRecord> newestFirst = new ArrayList<>(store.sessions(id, now.minus(Duration.ofDays(90)), now.plus(Duration.ofDays(1)), 500));
        Collections.reverse(newestFirst);
        html(ctx, Html.render("device.jte", Map.of("p", adherence(s, id, d, newestFirst, days, now))));
    }

    /** {@code ?days=} of the device page: 30 (default) or 90. */
    static int calendarDays(String v) {
        if (v == null || v.isEmpty()) return 30;
        try {
            int d = Integer.parseInt(v);
            if (CALENDAR_DAYS.contains(d)) return d;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new WebError(400, "days: '" + v + "' must be 30 or 90");
    }

    /** The device page with its adherence calendar (days with data, therapy minutes per day, the 16-of-30 line) and posture/exercise per week. */
    private DevicePage adherence(WebSessions.Session s, String id, DeviceView live, List<SessionRecord> recent, int days, Instant now)
            throws SQLException {
        LocalDate today = LocalDate.ofInstant(now, zone);
        int window = Math.max(days, Adherence.RTM_WINDOW_DAYS);
        Instant since = today.minusDays(window - 1L).atStartOfDay(zone).toInstant();
        Instant until = today.plusDays(1).atStartOfDay(zone).toInstant();
        List<SessionRecord> sessions = store.sessions(id, since, until, Integer.MAX_VALUE);
        List<Adherence.SessionFacts> facts = sessions.stream().map(Adherence.SessionFacts::of).toList();
        Adherence a = Adherence.compute(id, facts, store.dataDays(id, since, zone), today, days, zone);
        // one row per ISO week, Monday first; a day outside the window is null (a blank cell)
        Map<LocalDate, Adherence.Day> byDate = new TreeMap<>();
        for (var day : a.perDay()) byDate.put(day.date(), day);
        List<DevicePage.CalendarWeek> calendar = new ArrayList<>();
        for (LocalDate m = a.from().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)); !m.isAfter(a.to()); m = m.plusWeeks(1)) {
            List<Adherence.Day> week = new ArrayList<>();
            for (int i = 0; i < 7; i++) week.add(byDate.get(m.plusDays(i)));
            calendar.add(new DevicePage.CalendarWeek(m, Collections.unmodifiableList(week)));
        }
        WeeklyTrends t = WeeklyTrends.of(sessions, a.from(), a.to(), zone);
        List<String> labels = new ArrayList<>();
        double[] slouch = new double[t.weeks().size()];
        double[] reps = new double[t.weeks().size()];
        for (int i = 0; i < t.weeks().size(); i++) {
            WeeklyTrends.Week w = t.weeks().get(i);
            labels.add(w.monday().format(DateTimeFormatter.ofPattern("d MMM", Locale.ROOT)));
            slouch[i] = w.slouchMinutes();
            reps[i] = w.exerciseReps();
        }
        return new DevicePage(s.user(), s.csrf(), s.role().mayCommand(), id, live, List.copyOf(recent), days, a, List.copyOf(calendar), t,
                WeeklyChart.bars("chart-slouch", "Minutes held slouched before an alert, per week", "minutes", labels, slouch),
                WeeklyChart.bars("chart-reps", "Exercise repetitions per week", "repetitions", labels, reps), zone);
    }

    /** The device-side session report (io.tensd.report) of a stored session, with its plots from the stored telemetry. */
    private void sessionReport(Context ctx) throws SQLException {
        WebSessions.Session s = session(ctx);
        String id = knownDevice(ctx);
        String sid = ctx.pathParam("session");
        if (!SESSION.matcher(sid).matches()) throw new WebError(400, "'" + sid + "' is not a session id (1-64 of A-Z a-z 0-9 _ . : -)");
        List<io.tensd.clinic.store.SessionDetails.Event> events = details.events(id, sid);
        if (events.isEmpty()) throw new WebError(404, "no session " + sid + " of device " + id + " in the clinic store");
        io.tensd.report.SessionRecord r = StoredReport.record(id, sid, events, details.samples(id, sid, MAX_SAMPLES));
        String report = io.tensd.report.HtmlReport.render(r, io.tensd.report.ReportFigures.of(r, SLOUCH_DEG),
                "Served by the tensd clinic dashboard to " + s.user());
        String nav = Html.render("report-nav.jte", Map.of("deviceId", id));
        html(ctx, report.replaceFirst("<body>\n", "<body>\n" + java.util.regex.Matcher.quoteReplacement(nav)));
    }

    /** The set-intensity field: a number from 0 to {@link #MAX_MILLIAMPS} mA, otherwise 400 and nothing is sent. */
    static double milliAmps(String v) {
        String why = "milliAmps: '" + (v == null ? "" : v) + "' must be a number from 0 to " + String.format(Locale.ROOT, "%.0f", MAX_MILLIAMPS)
                + " (mA): nothing was sent";
        if (v == null || v.isBlank() || v.length() > 16) throw new WebError(400, why);
        double ma;
        try {
            ma = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new WebError(400, why);
        }
        if (!Double.isFinite(ma) || ma < 0 || ma > MAX_MILLIAMPS) throw new WebError(400, why);
        return ma;
    }

    private void command(Context ctx) throws SQLException, InterruptedException {
        WebSessions.Session s = session(ctx);
        if (!s.role().mayCommand()) throw new WebError(403, "the " + s.role().name().toLowerCase(Locale.ROOT) + " role may not send commands");
        String id = knownDevice(ctx);
        String name = ctx.pathParam("name");
        if (!COMMANDS.contains(name)) throw new WebError(400, "unknown command '" + name + "' (one of " + String.join(", ", COMMANDS) + ")");
        com.fasterxml.jackson.databind.node.ObjectNode fields = null;
        if (name.equals("set-intensity")) {
            fields = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("milliAmps", milliAmps(ctx.formParam("milliAmps")));
        }
        DeviceView d = feed.device(id).orElseThrow(() -> new WebError(409, id + " has not been seen on the broker: nothing was sent"));
        LOG.info("dashboard: {} sends {} {} to {}", s.user(), name, fields == null ? "" : fields, id);
        JsonNode answer;
        try {
            answer = feed.command(d.site(), id, name, fields).get();
        } catch (ExecutionException e) {
            String why = e.getCause() instanceof TimeoutException ? "no answer within " + LiveFeed.COMMAND_TIMEOUT.toSeconds() + " s"
                    : e.getCause().getMessage();
            throw new WebError(504, name + " sent to " + id + ": " + why);
        }
        StringBuilder reasons = new StringBuilder();
        answer.path("reasons").forEach(r -> reasons.append(reasons.length() == 0 ? "" : "; ").append(r.isTextual() ? r.asText() : r.toString()));
        answer.path("clamps").forEach(c -> reasons.append(reasons.length() == 0 ? "" : "; ").append(c.path("text").asText()));
        Map<String, Object> p = new HashMap<>();
        p.put("user", s.user());
        p.put("csrf", s.csrf());
        p.put("deviceId", id);
        p.put("name", name);
        p.put("status", answer.path("status").asText("?"));
        p.put("reasons", reasons.toString());
        html(ctx, Html.render("command.jte", p));
    }
}
