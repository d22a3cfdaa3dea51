package io.tensd.telemetry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
        MosquittoProcess.serverCertificate(dir, "tensd test CA");
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
        MosquittoProcess.chownIfRoot(dir);
        start();
    }

    String url() { return "ssl://localhost:" + port; }

    Path ca() { return dir.resolve("ca.crt"); }

    Path passwordFile(String user) { return dir.resolve(user + ".pw"); }

    void start() throws Exception {
        process = MosquittoProcess.start(dir, port);
    }

    /** Orderly stop (SIGTERM: mosquitto saves its persistent sessions). */
    void stop() throws InterruptedException {
        MosquittoProcess.stop(process, 10);
    }

    private void run(String... cmd) throws Exception {
        MosquittoProcess.run(dir, cmd);
    }

    @Override
    public void close() throws Exception {
        stop();
        MosquittoProcess.deleteTree(dir);
    }
}
