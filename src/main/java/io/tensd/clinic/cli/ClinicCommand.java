package io.tensd.clinic.cli;

import io.tensd.cli.UserError;
import io.tensd.clinic.collector.Collector;
import io.tensd.clinic.http.ClinicApi;
import io.tensd.clinic.store.ClinicDb;
import io.tensd.clinic.store.ClinicStore;
import io.tensd.clinic.store.LocalPostgres;
import io.tensd.config.ConfigException;
import io.tensd.telemetry.EmbeddedBroker;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tensd clinic}: the clinic service. Collects every device's events and summaries from the broker into
 * PostgreSQL (embedded under {@code ./tensd-clinic/} unless {@code --db}) and serves the read-only JSON API.
 * Registered by Main only when this class is on the class path: the device package leaves it out.
 */
@Command(name = "clinic", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The clinic service: store every session of the clinic's devices in PostgreSQL and serve them as JSON.",
                "Several instances with the same --share-group share the load (MQTT 5 shared subscriptions). See docs/clinic.md."},
        exitCodeList = {"0:stopped", "1:could not start (database, broker, port)", "2:bad options or config file (FILE:LINE: message)"})
public final class ClinicCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--broker", paramLabel = "URL", description = "MQTT broker (default tcp://127.0.0.1:1883)")
    String broker;

    @Option(names = "--embedded-broker", description = "start the embedded MQTT 5 broker on --broker's port (a demo without mosquitto)")
    boolean embeddedBroker;

    @Option(names = "--db", paramLabel = "JDBC_URL", description = "PostgreSQL server, e.g. jdbc:postgresql://db/tensd?user=tensd&password=…; "
            + "default: the embedded PostgreSQL under --data")
    String db;

    @Option(names = "--data", paramLabel = "DIR", description = "folder of the embedded PostgreSQL (default ./tensd-clinic)")
    Path data;

    @Option(names = "--share-group", paramLabel = "NAME", description = "MQTT shared-subscription group of all instances (default tensd-clinic)")
    String shareGroup;

    @Option(names = "--client-id", paramLabel = "ID", description = "MQTT client id, stable per instance: the broker keeps its session "
            + "(default tensd-clinic-<host>-<group>)")
    String clientId;

    @Option(names = "--http", paramLabel = "PORT", description = "HTTP port of the JSON API (default 8080; 0 = any free port; -1 = off)")
    Integer http;

    @Option(names = "--http-host", paramLabel = "ADDR", description = "HTTP listen address (default 127.0.0.1)")
    String httpHost;

    @Option(names = "--gap-timeout", paramLabel = "SECONDS", description = "a missing seq open this long is reported (default 600)")
    Integer gapTimeout;

    @Option(names = "--gap-repair", paramLabel = "SECONDS", description = "a gap open this long makes the clinic ask the device "
            + "to resend it, again every SECONDS while it stays open (default 20)")
    Integer gapRepair;

    @Option(names = "--users", paramLabel = "F", description = "dashboard users file (lines 'name clinician|viewer bcrypt-hash'): "
            + "serves the dashboard at / beside the API")
    Path users;

    @Option(names = "--https-cert", paramLabel = "PEM", description = "HTTPS certificate chain (PEM, server first); with --https-key "
            + "the API and dashboard are served over HTTPS only")
    Path httpsCert;

    @Option(names = "--https-key", paramLabel = "PEM", description = "private key of --https-cert (PKCS#8 PEM, -----BEGIN PRIVATE KEY-----)")
    Path httpsKey;

    @Option(names = "--config", paramLabel = "F", description = "YAML file with these settings and the devices' pseudonymous patient codes")
    Path config;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ClinicConfig c;
        try {
            c = config == null ? ClinicConfig.empty() : ClinicConfig.load(config);
        } catch (ConfigException e) {
            throw e;
        }
        String brokerUrl = first(broker, c.broker(), "tcp://127.0.0.1:1883");
        String group = first(shareGroup, c.shareGroup(), "tensd-clinic");
        if (!group.matches("[A-Za-z0-9_.-]{1,64}")) throw new UserError("--share-group '" + group + "': 1-64 of A-Z a-z 0-9 _ . -", null, 2, null);
        String id = first(clientId, c.clientId(), "tensd-clinic-" + host() + "-" + group);
        int httpPort = http != null ? http : c.http() != null ? c.http() : 8080;
        if (httpPort < -1 || httpPort > 65535) throw new UserError("--http " + httpPort + ": a port 0-65535, or -1 for no API", null, 2, null);
        String bind = first(httpHost, c.httpHost(), "127.0.0.1");
        Duration gap = Duration.ofSeconds(gapTimeout != null ? gapTimeout : c.gapTimeoutSeconds() != null ? c.gapTimeoutSeconds() : 600);
        int repairSeconds = gapRepair != null ? gapRepair : c.gapRepairSeconds() != null ? c.gapRepairSeconds()
                : (int) Collector.DEFAULT_GAP_REPAIR.toSeconds();
        if (repairSeconds < 1) throw new UserError("--gap-repair " + repairSeconds + ": at least 1 second", null, 2, null);
        ZoneId zone = c.zone() != null ? c.zone() : ZoneId.systemDefault();
        String jdbc = first(db, c.db(), null);
        Path home = data != null ? data : c.data() != null ? c.data() : Path.of("tensd-clinic");

        List<AutoCloseable> open = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            closeAll(open);
            stopped.countDown();
        }, "clinic-stop"));
        try {
            if (jdbc == null) {
                out.println("starting the embedded PostgreSQL in " + home.toAbsolutePath() + "…");
                LocalPostgres pg;
                try {
                    pg = LocalPostgres.start(home);
                } catch (java.io.IOException e) {
                    throw new UserError("cannot start the embedded PostgreSQL in " + home + ": " + e.getMessage(),
                            "choose another folder with --data DIR, or use a server with --db JDBC_URL", 1, e);
                }
                open.add(0, pg);
                createDatabase(pg, "clinic");
                jdbc = pg.jdbcUrl("clinic");
            }
            ClinicDb database;
            try {
                database = ClinicDb.open(jdbc, 8);
            } catch (RuntimeException e) {
                throw new UserError("cannot open the database " + redact(jdbc) + ": " + rootMessage(e),
                        "is PostgreSQL running and the URL right (jdbc:postgresql://HOST/DB?user=U)?", 1, e);
            }
            open.add(0, database);
            ClinicStore store = new ClinicStore(database.dataSource());
            for (Map.Entry<String, ClinicConfig.Patient> p : c.patients().entrySet()) {
                store.setPatientCode(p.getKey(), p.getValue().site(), p.getValue().code());
            }
            if (embeddedBroker) {
                int port = Integer.parseInt(brokerUrl.substring(brokerUrl.lastIndexOf(':') + 1));
                out.println("starting the embedded MQTT 5 broker on port " + port + "…");
                EmbeddedBroker b = EmbeddedBroker.start(port);
                open.add(0, b::close);
            }
            Collector.Settings settings = Collector.Settings.defaults(brokerUrl, id, group).withGapTimeout(gap)
                    .withGapRepair(Duration.ofSeconds(repairSeconds))
                    .withAuth(c.username(), c.passwordFile(), c.caFile());
            Collector collector = new Collector(settings, store);
            collector.start();
            open.add(0, collector);
            out.println("clinic: collecting from " + brokerUrl + " as " + id + " in share group " + group + " into " + redact(jdbc));
            if (httpPort >= 0) {
                ClinicApi api;
                String scheme;
                try {
                    java.util.function.Consumer<io.javalin.config.JavalinConfig> pages = null;
                    if (users != null) {
                        io.tensd.clinic.web.LiveFeed feed = new io.tensd.clinic.web.LiveFeed(brokerUrl, id + "-dashboard", Clock.systemUTC())
                                .withAuth(c.username(), c.passwordFile(), c.caFile());
                        open.add(0, feed);
                        // the session report's plots: the sessions' telemetry, stored as it arrives
                        open.add(0, new io.tensd.clinic.web.SampleWriter(new io.tensd.clinic.store.SessionDetails(store.dataSource()), feed));
                        feed.start(Duration.ofSeconds(30));
                        pages = new io.tensd.clinic.web.Dashboard(io.tensd.clinic.web.Users.load(users), store, feed, Clock.systemUTC(), zone)::routes;
                    }
                    Path cert = httpsCert != null ? httpsCert : c.httpsCert();
                    Path key = httpsKey != null ? httpsKey : c.httpsKey();
                    if ((cert == null) != (key == null)) {
                        throw new UserError("HTTPS needs both a certificate and its key (--https-cert and --https-key)",
                                "give both, or neither for plain HTTP on 127.0.0.1", 2, null);
                    }
                    if (cert != null) {
                        java.util.function.Consumer<io.javalin.config.JavalinConfig> tls;
                        try {
                            tls = io.tensd.clinic.http.Https.connector(bind, httpPort, cert, key);
                        } catch (java.io.IOException e) {
                            throw new UserError("cannot use the HTTPS certificate: " + e.getMessage(),
                                    "give the PEM certificate chain and its PKCS#8 PEM key", 2, e);
                        }
                        pages = pages == null ? tls : pages.andThen(tls);
                    }
                    scheme = cert != null ? "https" : "http";
                    api = new ClinicApi(store, collector::stats, Clock.systemUTC(), zone, pages).start(bind, httpPort);
                } catch (UserError e) {
                    throw e;
                } catch (RuntimeException e) {
                    throw new UserError("cannot serve HTTP on " + bind + ":" + httpPort + ": " + rootMessage(e),
                            "choose another port with --http PORT", 1, e);
                }
                open.add(0, api);
                out.println("clinic: JSON API on " + scheme + "://" + bind + ":" + api.port() + "/api/health");
                if (users != null) out.println("clinic: dashboard on " + scheme + "://" + bind + ":" + api.port() + "/");
            }
            out.flush();
        } catch (RuntimeException | java.io.IOException | java.sql.SQLException | org.eclipse.paho.mqttv5.common.MqttException e) {
            closeAll(open);
            throw e;
        }
        stopped.await();
        return 0;
    }

    private static void createDatabase(LocalPostgres pg, String name) throws java.sql.SQLException {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"));
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) return;
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            }
        }
    }

    private static synchronized void closeAll(List<AutoCloseable> open) {
        for (AutoCloseable c : List.copyOf(open)) {
            try {
                c.close();
            } catch (Exception ignored) {
                // stopping: close the rest
            }
        }
        open.clear();
    }

    static String redact(String jdbc) {
        return jdbc.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    private static String first(String a, String b, String dflt) {
        return a != null ? a : b != null ? b : dflt;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9_.-]", "-");
        } catch (java.io.IOException e) {
            return "host";
        }
    }
}
