package io.tensd.clinic.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Debian's mosquitto for the clinic benchmark: persistence on (sessions and unacknowledged messages survive a
 * restart), an in-flight window of 1000 (collectors acknowledge in batches) and a deep queue.
 */
public final class BenchMosquitto implements AutoCloseable {
    private final Path dir;
    private final int port;
    private Process process;

    public BenchMosquitto(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        Files.createDirectories(dir);
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.writeString(dir.resolve("mosquitto.conf"), """
                listener %2$d 127.0.0.1
                allow_anonymous true
                persistence true
                persistence_location %1$s/
                autosave_interval 5
                log_dest file %1$s/mosquitto.log
                max_keepalive 120
                set_tcp_nodelay true
                max_inflight_messages 1000
                max_queued_messages 1000000
                """.formatted(dir, port));
        if ("root".equals(System.getProperty("user.name"))) {
            new ProcessBuilder("chown", "-R", "mosquitto:", dir.toString()).inheritIO().start().waitFor();
        }
        start();
    }

    public String url() { return "tcp://127.0.0.1:" + port; }

    public void start() throws IOException, InterruptedException {
        process = new ProcessBuilder("mosquitto", "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile())).start();
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) break;
                Thread.sleep(20);
            }
        }
        throw new IOException("mosquitto did not start on port " + port + " (is Debian's mosquitto installed? see " + dir + ")");
    }

    /** SIGTERM: mosquitto saves its sessions and queues, then exits. */
    public void stop() throws InterruptedException {
        if (process == null) return;
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }

    public void restart() throws IOException, InterruptedException {
        stop();
        start();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
