package io.tensd.clinic.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** The connection pool (HikariCP) on a JDBC URL, with the clinic schema migrated (Flyway, db/clinic). */
public final class ClinicDb implements AutoCloseable {
    private final HikariDataSource pool;

    private ClinicDb(HikariDataSource pool) {
        this.pool = pool;
    }

    /** Opens a pool of {@code maxConnections} and migrates the schema to the newest version. */
    public static ClinicDb open(String jdbcUrl, int maxConnections) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(jdbcUrl);
        c.setMaximumPoolSize(maxConnections);
        c.setMinimumIdle(1);
        c.setPoolName("clinic");
        // a database outage must not stop the service from starting later: fail fast per call, not at boot
        c.setInitializationFailTimeout(-1);
        c.setConnectionTimeout(5_000);
        c.setValidationTimeout(2_000);
        HikariDataSource ds = new HikariDataSource(c);
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/clinic").load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new ClinicDb(ds);
    }

    public DataSource dataSource() { return pool; }

    @Override
    public void close() {
        pool.close();
    }
}
