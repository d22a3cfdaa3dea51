package io.tensd.clinic;

import io.tensd.clinic.bench.BenchMosquitto;
import io.tensd.telemetry.MosquittoProcess;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Debian's mosquitto for the clinic tests: the benchmark's broker ({@link BenchMosquitto}: persistence on, a
 * large in-flight window and queue) in a temporary folder that is deleted afterwards.
 */
public final class ClinicMosquitto implements AutoCloseable {
    private final Path dir;
    private final BenchMosquitto broker;

    public ClinicMosquitto() throws Exception {
        dir = Files.createTempDirectory("tensd-clinic-mosq-");
        broker = new BenchMosquitto(dir);
    }

    public String url() { return broker.url(); }

    public void start() throws Exception { broker.start(); }

    /** SIGTERM: mosquitto saves its sessions and queues, then exits. */
    public void stop() throws InterruptedException { broker.stop(); }

    public void restart() throws Exception { broker.restart(); }

    @Override
    public void close() throws Exception {
        broker.close();
        MosquittoProcess.deleteTree(dir);
    }
}
