package io.tensd.telemetry;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An in-process MQTT 5 broker (HiveMQ CE embedded) on a loopback port, with its own temporary data folder,
 * for tests and the simulator. Starting takes 1–4 s and stopping about as long: start one per test class.
 * Anonymous usage statistics are off (the broker must not phone home); persistence is in memory.
 * HiveMQ is not in the device package ({@link #available()}): only the build tree and tensd-clinic have it.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private final int port;
    private final Path home;
    private final EmbeddedHiveMQ hivemq;

    private EmbeddedBroker(int port) throws IOException {
        this.port = port;
        this.home = Files.createTempDirectory("tensd-hivemq-");
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("extensions"));
        Files.writeString(conf.resolve("config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener>
                  </listeners>
                  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                  <persistence><mode>in-memory</mode></persistence>
                </hivemq>
                """.formatted(port));
        this.hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(home.resolve("data"))
                .withExtensionsFolder(home.resolve("extensions"))
                // The host's logback configuration stays in charge: HiveMQ's own bootstrap would look for a
                // conf/logback.xml and warn on the console that there is none.
                .withoutLoggingBootstrap()
                .build();
    }

    /** Whether HiveMQ is on the class path: false in the device package, which carries no broker. */
    public static boolean available() {
        try {
            Class.forName("com.hivemq.embedded.EmbeddedHiveMQ", false, EmbeddedBroker.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Starts a broker on a free loopback port. */
    public static EmbeddedBroker start() throws IOException {
        return start(freePort());
    }

    /** Starts a broker on {@code port} (127.0.0.1); waits until it accepts connections (at most 60 s). */
    public static EmbeddedBroker start(int port) throws IOException {
        EmbeddedBroker b = new EmbeddedBroker(port);
        try {
            b.hivemq.start().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            b.close();
            throw new IOException("embedded HiveMQ did not start on port " + port + ": " + e, e);
        }
        return b;
    }

    public int port() { return port; }

    /** {@code tcp://127.0.0.1:<port>} */
    public String url() { return "tcp://127.0.0.1:" + port; }

    /** Stops the broker (waits at most 30 s) and deletes its temporary folder. */
    @Override
    public void close() {
        try {
            hivemq.stop().get(30, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // best effort: the process is usually ending anyway
        }
        try {
            hivemq.close();
        } catch (Exception ignored) {
            // already stopped
        }
        try (Stream<Path> s = Files.walk(home)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }

    /** A loopback port that was free a moment ago. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
