package io.tensd.daemon;

import io.tensd.telemetry.EmbeddedBroker;
import io.tensd.telemetry.MosquittoProcess;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Debian's mosquitto with TLS on a free port (anonymous), its server certificate signed by a CA made here, and
 * a second, unrelated CA: the wrong caFile a device may be given.
 */
final class TlsMosquitto implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Process process;

    TlsMosquitto(Path dir) throws Exception {
        this.dir = dir;
        this.port = EmbeddedBroker.freePort();
        MosquittoProcess.serverCertificate(dir, "clinic CA");
        MosquittoProcess.run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-days", "2", "-keyout", "other.key", "-out", "other-ca.crt", "-subj", "/CN=some other CA");
        Files.writeString(dir.resolve("mosquitto.conf"), """
                log_dest file %1$s/mosquitto.log
                listener %2$d 127.0.0.1
                cafile %1$s/ca.crt
                certfile %1$s/server.crt
                keyfile %1$s/server.key
                allow_anonymous true
                """.formatted(dir, port));
        MosquittoProcess.chownIfRoot(dir);
        if ("root".equals(System.getProperty("user.name"))) {
            MosquittoProcess.run(dir, "chmod", "o+rx", dir.getParent().toString()); // mosquitto drops to its own user
        }
        process = MosquittoProcess.start(dir, port);
    }

    String url() { return "ssl://localhost:" + port; }

    Path ca() { return dir.resolve("ca.crt"); }

    Path otherCa() { return dir.resolve("other-ca.crt"); }

    @Override
    public void close() throws InterruptedException {
        MosquittoProcess.stop(process, 5);
    }
}
