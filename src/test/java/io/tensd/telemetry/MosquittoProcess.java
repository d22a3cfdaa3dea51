package io.tensd.telemetry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What every test broker built on Debian's mosquitto needs: run a tool in its folder, make a CA and a server
 * certificate for localhost, start {@code mosquitto -c DIR/mosquitto.conf} and wait for its port, stop it.
 * One place, so the plain, TLS+ACL and wrong-CA brokers of the tests start and stop the same way.
 */
public final class MosquittoProcess {
    private MosquittoProcess() { }

    /** Runs a command in {@code dir}; a non-zero exit is an IOException with the command's output. */
    public static void run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    /** ca.crt/ca.key (CN {@code caName}) and server.crt/server.key for localhost and 127.0.0.1, signed by that CA. */
    public static void serverCertificate(Path dir, String caName) throws Exception {
        run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=" + caName);
        run(dir, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        run(dir, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", "san.ext", "-out", "server.crt");
    }

    /** mosquitto started as root drops to user mosquitto: it must own its folder. */
    public static void chownIfRoot(Path dir) throws Exception {
        if ("root".equals(System.getProperty("user.name"))) {
            run(dir, "chown", "-R", "mosquitto:", dir.toString());
        }
    }

    /** Starts mosquitto on {@code DIR/mosquitto.conf} and returns once {@code port} accepts connections (10 s at most). */
    public static Process start(Path dir, int port) throws Exception {
        Process process = new ProcessBuilder("mosquitto", "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return process;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(10);
            }
        }
        throw new IOException("mosquitto did not start on " + port + ": " + Files.readString(dir.resolve("stdout.log"))
                + (Files.exists(dir.resolve("mosquitto.log")) ? Files.readString(dir.resolve("mosquitto.log")) : ""));
    }

    /** SIGTERM (mosquitto saves its persistent sessions), SIGKILL after {@code seconds}. */
    public static void stop(Process process, int seconds) throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** Deletes a broker's temporary folder. */
    public static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
