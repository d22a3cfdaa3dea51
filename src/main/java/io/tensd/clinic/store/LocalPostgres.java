package io.tensd.clinic.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.tukaani.xz.XZInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clinic's embedded database: the real PostgreSQL binaries that ship in a Maven jar (io.zonky.test.postgres),
 * unpacked once under {@code HOME/pg/}, with the cluster in {@code HOME/data/}, listening on 127.0.0.1 only.
 * PostgreSQL refuses to run as root; started by root, the server runs as {@code nobody} (setpriv), which owns
 * the data folder. A server left running by a killed JVM is stopped and started again on the next start.
 */
public final class LocalPostgres implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);
    public static final String USER = "tensd";
    private static final String UNPRIVILEGED_USER = "nobody";
    private static final String UNPRIVILEGED_GROUP = "nogroup";

    private final Path home;
    private final Path bin;
    private final Path data;
    private final boolean root;
    private final int port;
    private Thread hook;

    private LocalPostgres(Path home, int port) {
        this.home = home;
        this.bin = home.resolve("pg/bin");
        this.data = home.resolve("data");
        this.root = "root".equals(System.getProperty("user.name"));
        this.port = port;
    }

    /** Unpacks (first time), initialises (first time) and starts the server on a free port. */
    public static LocalPostgres start(Path home) throws IOException {
        LocalPostgres pg = new LocalPostgres(home.toAbsolutePath(), freePort());
        pg.startServer();
        return pg;
    }

    public int port() { return port; }

    public Path dataDir() { return data; }

    /** JDBC URL of database {@code db} (trust authentication on loopback; user {@value #USER}). */
    public String jdbcUrl(String db) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + db + "?user=" + USER;
    }

    private void startServer() throws IOException {
        Files.createDirectories(home);
        unpack();
        Path log = home.resolve("postgres.log");
        if (!Files.exists(log)) Files.createFile(log);
        if (!Files.exists(data.resolve("PG_VERSION"))) {
            Files.createDirectories(data);
            setPosix(data, "rwx------");
            giveToServerUser(data);
            giveToServerUser(log);
            run(60, bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "-A", "trust", "-E", "UTF8",
                    "--locale=C");
            Files.writeString(data.resolve("postgresql.conf"), """

                    # tensd clinic (embedded): loopback TCP only, no Unix socket
                    listen_addresses = '127.0.0.1'
                    unix_socket_directories = ''
                    """, java.nio.file.StandardOpenOption.APPEND);
        } else if (Files.exists(data.resolve("postmaster.pid")) && runQuiet(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "status") == 0) {
            LOG.warn("a PostgreSQL server from an earlier run still uses {}: stopping it", data);
            run(60, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop");
        }
        run(120, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", log.toString(), "-w", "-t", "110",
                "-o", "-p " + port, "start");
        hook = new Thread(this::stopQuietly, "local-postgres-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        LOG.info("embedded PostgreSQL on 127.0.0.1:{} (data {})", port, data);
    }

    private void unpack() throws IOException {
        Path marker = home.resolve("pg/.unpacked");
        if (Files.exists(marker)) return;
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> System.getProperty("os.arch");
        };
        Path target = home.resolve("pg");
        Files.createDirectories(target);
        String resource = "/postgres-linux-" + arch + ".txz";
        // xz in Java, the tar format by the system's tar (modes and symbolic links as packed)
        Process tar = new ProcessBuilder("tar", "-x", "--no-same-owner", "-C", target.toString()).redirectErrorStream(true).start();
        try (InputStream txz = LocalPostgres.class.getResourceAsStream(resource)) {
            if (txz == null) throw new IOException("no PostgreSQL binaries for " + arch + " on the class path (" + resource + ")");
            try (XZInputStream xz = new XZInputStream(txz); var toTar = tar.getOutputStream()) {
                xz.transferTo(toTar);
            }
            String out = new String(tar.getInputStream().readAllBytes());
            if (tar.waitFor() != 0) throw new IOException("unpacking " + resource + " failed: " + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        Files.writeString(marker, "unpacked\n");
    }

    private List<String> asServerUser(String... cmd) {
        List<String> c = new ArrayList<>();
        if (root) {
            c.addAll(List.of("setpriv", "--reuid=" + UNPRIVILEGED_USER, "--regid=" + UNPRIVILEGED_GROUP, "--clear-groups"));
        }
        c.addAll(List.of(cmd));
        return c;
    }

    private void run(int seconds, String... cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(asServerUser(cmd)).directory(home.toFile()).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        try {
            // pg_ctl start leaves the server holding no pipe of ours (it logs to -l), so reading to the end is safe.
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(seconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                String log = Files.exists(home.resolve("postgres.log")) ? tail(Files.readString(home.resolve("postgres.log"))) : "";
                throw new IOException(String.join(" ", cmd) + " failed: " + new String(out).trim() + (log.isEmpty() ? "" : "\n" + log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private int runQuiet(String... cmd) {
        try {
            Process p = new ProcessBuilder(asServerUser(cmd)).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String tail(String s) {
        String[] lines = s.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 5), lines.length));
    }

    private void giveToServerUser(Path p) throws IOException {
        if (!root) return;
        UserPrincipalLookupService users = p.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        view.setOwner(users.lookupPrincipalByName(UNPRIVILEGED_USER));
        GroupPrincipal g = users.lookupPrincipalByGroupName(UNPRIVILEGED_GROUP);
        view.setGroup(g);
    }

    private static void setPosix(Path p, String perms) throws IOException {
        Files.setPosixFilePermissions(p, perms(perms));
    }

    private static Set<PosixFilePermission> perms(String s) {
        return s.isEmpty() ? EnumSet.noneOf(PosixFilePermission.class) : java.nio.file.attribute.PosixFilePermissions.fromString(s);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void stopQuietly() {
        if (runQuiet(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop") != 0) {
            LOG.warn("could not stop the embedded PostgreSQL in {}", data);
        }
    }

    /** Fast shutdown (open transactions roll back; committed data is on disk). */
    @Override
    public void close() {
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                return;
            }
            hook = null;
            stopQuietly();
        }
    }
}
