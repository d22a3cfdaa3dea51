package io.tensd.clinic;

import io.tensd.clinic.store.LocalPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL (the clinic's embedded one) per test JVM; each test gets a fresh database in it, so tests
 * never see each other's rows and the server starts once.
 */
public final class TestPg {
    private static LocalPostgres pg;
    private static final AtomicInteger DBS = new AtomicInteger();

    private TestPg() { }

    public static synchronized LocalPostgres server() throws Exception {
        if (pg == null) {
            Path home = Files.createTempDirectory("tensd-clinic-pg-");
            home.toFile().setExecutable(true, false);
            pg = LocalPostgres.start(home);
        }
        return pg;
    }

    /** The JDBC URL of a new, empty database. */
    public static String freshDatabase() throws Exception {
        LocalPostgres s = server();
        String name = "t" + ProcessHandle.current().pid() + "_" + DBS.incrementAndGet();
        try (Connection c = DriverManager.getConnection(s.jdbcUrl("postgres")); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        return s.jdbcUrl(name);
    }
}
