package io.tensd.clinic;

import io.tensd.telemetry.EmbeddedBroker;
import io.tensd.telemetry.MosquittoProcess;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Debian's mosquitto for the clinic tests: persistence on (the collectors' sessions and their unacknowledged
 * messages survive a broker restart), a large in-flight window and queue (a collector acknowledges in batches).
 */
public final class ClinicMosquitto implements AutoCloseable {
    final Path dir;
    final int port;
    private Process process;

    public ClinicMosquitto() throws Exception {
        dir = Files.createTempDirectory("tensd-clinic-mosq-");
        port = EmbeddedBroker.freePort();
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
        MosquittoProcess.chownIfRoot(dir);
        start();
    }

    public String url() { return "tcp://127.0.0.1:" + port; }

    public void start() throws Exception {
        process = MosquittoProcess.start(dir, port);
    }

    /** SIGTERM: mosquitto saves its sessions and queues, then exits. */
    public void stop() throws InterruptedException {
        MosquittoProcess.stop(process, 10);
    }

    public void restart() throws Exception {
        stop();
        start();
    }

    @Override
    public void close() throws Exception {
        stop();
        MosquittoProcess.deleteTree(dir);
    }
}
