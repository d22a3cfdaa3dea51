package io.tensd.telemetry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's mosquitto, started by a test in a temp folder on a free port: TLS (certificates made with openssl),
 * password file (mosquitto_passwd) and the repository's own ACL ({@code config/mosquitto/acl}).
 */
final class MosquittoBroker implements AutoCloseable {
    static final List<String[]> USERS = List.of(
            new String[] {"dev-m1", "pw-dev-m1"}, new String[] {"dev-m2", "pw-dev-m2"}, new String[] {"dev-kill", "pw-dev-kill"},
            new String[] {"clinician-anna", "pw-anna"}, new String[] {"intruder", "pw-intruder"}, new String[] {"monitor", "pw-monitor"});

    final Path dir;
    final int port;
    private Process process;

    MosquittoBroker() throws Exception {
        dir = Files.createTempDirectory("tensd-mosquitto-");
        port = EmbeddedBroker.freePort();
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=tensd test CA");
        run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", "san.ext", "-out", "server.crt");
        boolean first = true;
        for (String[] u : USERS) {
            if (first) run("mosquitto_passwd", "-c", "-b", "passwd", u[0], u[1]);
            else run("mosquitto_passwd", "-b", "passwd", u[0], u[1]);
            first = false;
            Files.writeString(dir.resolve(u[0] + ".pw"), u[1] + "\n");
            SecureFiles.setPosix(dir.resolve(u[0] + ".pw"), "rw-------");
        }
        Path repoAcl = Path.of("config/mosquitto/acl");
        Files.copy(repoAcl, dir.resolve("acl"));
        Files.writeString(dir.resolve("mosquitto.conf"), """
                per_listener_settings true
                persistence true
                persistence_location %1$s/
                log_dest file %1$s/mosquitto.log
                max_keepalive 120
                listener %2$d 127.0.0.1
                protocol mqtt
                cafile %1$s/ca.crt
                certfile %1$s/server.crt
                keyfile %1$s/server.key
                tls_version tlsv1.2
                require_certificate false
                allow_anonymous false
                password_file %1$s/passwd
                acl_file %1$s/acl
                """.formatted(dir, port));
        if ("root".equals(System.getProperty("user.name"))) run("chown", "-R", "mosquitto:", dir.toString());
        start();
    }

    String url() { return "ssl://localhost:" + port; }

    Path ca() { return dir.resolve("ca.crt"); }

    Path passwordFile(String user) { return dir.resolve(user + ".pw"); }

    void start() throws Exception {
        process = new ProcessBuilder("mosquitto", "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) break;
                Thread.sleep(20);
            }
        }
        throw new IOException("mosquitto did not start: " + Files.readString(dir.resolve("stdout.log"))
                + (Files.exists(dir.resolve("mosquitto.log")) ? Files.readString(dir.resolve("mosquitto.log")) : ""));
    }

    /** Orderly stop (SIGTERM: mosquitto saves its persistent sessions). */
    void stop() throws InterruptedException {
        if (process == null) return;
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }

    private void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }

    @Override
    public void close() throws Exception {
        stop();
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
