package io.tensd.daemon;

import io.tensd.telemetry.EmbeddedBroker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

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
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=clinic CA");
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-keyout", "other.key", "-out", "other-ca.crt", "-subj", "/CN=some other CA");
        run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", "san.ext", "-out", "server.crt");
        Files.writeString(dir.resolve("mosquitto.conf"), """
                log_dest file %1$s/mosquitto.log
                listener %2$d 127.0.0.1
                cafile %1$s/ca.crt
                certfile %1$s/server.crt
                keyfile %1$s/server.key
                allow_anonymous true
                """.formatted(dir, port));
        if ("root".equals(System.getProperty("user.name"))) {
            run("chown", "-R", "mosquitto:", dir.toString());
            run("chmod", "o+rx", dir.getParent().toString()); // mosquitto drops to its own user
        }
        process = new ProcessBuilder("mosquitto", "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(20);
            }
        }
        throw new IOException("mosquitto did not start: " + Files.readString(dir.resolve("stdout.log")));
    }

    String url() { return "ssl://localhost:" + port; }

    Path ca() { return dir.resolve("ca.crt"); }

    Path otherCa() { return dir.resolve("other-ca.crt"); }

    private void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
