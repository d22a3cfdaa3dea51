package io.tensd.clinic.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code tensd clinic} in its own JVM (so it can be {@code kill -9}ed), with its output in a log file. */
public final class CollectorProcess {
    private final Path log;
    private final String clientId;
    private final List<String> cmd;
    private Process process;
    private long logOffset;

    public CollectorProcess(Path work, String clientId, String brokerUrl, String jdbcUrl, String group) {
        this(work, clientId, brokerUrl, jdbcUrl, group, null);
    }

    /** @param gapRepairSeconds {@code --gap-repair}, or null for the default */
    public CollectorProcess(Path work, String clientId, String brokerUrl, String jdbcUrl, String group, Integer gapRepairSeconds) {
        this.clientId = clientId;
        this.log = work.resolve("collector-" + clientId + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> c = new java.util.ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "io.tensd.cli.Main", "clinic", "--broker", brokerUrl, "--db", jdbcUrl, "--share-group", group, "--client-id", clientId,
                "--http", "-1"));
        if (gapRepairSeconds != null) c.addAll(List.of("--gap-repair", gapRepairSeconds.toString()));
        this.cmd = List.copyOf(c);
    }

    public String clientId() { return clientId; }

    public void start() throws IOException {
        logOffset = Files.exists(log) ? Files.size(log) : 0;
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(log.toString()))).start();
    }

    /** Waits for this run's "subscribed" line in the log. */
    public void awaitSubscribed(Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (Files.exists(log)) {
                String s = Files.readString(log);
                if (s.length() > logOffset && s.substring((int) logOffset).contains("subscribed as " + clientId)) return;
            }
            if (!process.isAlive()) throw new IOException("collector " + clientId + " exited: see " + log);
            Thread.sleep(100);
        }
        throw new IOException("collector " + clientId + " did not subscribe within " + timeout.toSeconds() + " s: see " + log);
    }

    /** SIGKILL: no orderly anything; unacknowledged messages stay with the broker. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM: the shutdown hook finishes the batch in hand and disconnects. */
    public void stop() throws InterruptedException {
        if (process == null) return;
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
}
