package io.tensd.telemetry;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Debian's mosquitto on a free loopback port, plain TCP, anonymous, no persistence: the broker for the
 * benchmarks (a separate C process, like the clinic's broker, so its CPU and GC are not in the device's JVM)
 * and for tests that stop and restart a broker. {@link #kill()} is SIGKILL, {@link #stop()} SIGTERM.
 */
final class PlainMosquitto implements AutoCloseable {
    final Path dir;
    final int port;
    private Process process;

    PlainMosquitto() throws Exception {
        this(true);
    }

    /** @param noDelay {@code set_tcp_nodelay} on the listener (mosquitto's default is off: Nagle on its sockets) */
    PlainMosquitto(boolean noDelay) throws Exception {
        dir = Files.createTempDirectory("tensd-mosq-plain-");
        port = EmbeddedBroker.freePort();
        Files.writeString(dir.resolve("mosquitto.conf"), """
                listener %2$d 127.0.0.1
                allow_anonymous true
                persistence false
                log_dest file %1$s/mosquitto.log
                max_keepalive 120
                set_tcp_nodelay %3$b
                max_queued_messages 1000000
                """.formatted(dir, port, noDelay));
        MosquittoProcess.chownIfRoot(dir);
        start();
    }

    String url() { return "tcp://127.0.0.1:" + port; }

    boolean running() { return process != null && process.isAlive(); }

    void start() throws Exception {
        process = MosquittoProcess.start(dir, port);
    }

    void stop() throws InterruptedException {
        MosquittoProcess.stop(process, 10);
    }

    /** SIGKILL: the broker vanishes without closing anything gracefully (the kernel still closes its sockets). */
    void kill() throws InterruptedException {
        if (process == null) return;
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws Exception {
        stop();
        MosquittoProcess.deleteTree(dir);
    }
}
