package io.tensd.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

/** Config files from the shipped ones, a daemon in a child JVM, and a clinic-side subscriber. */
final class DaemonFixture {
    static final ObjectMapper JSON = new ObjectMapper();

    private DaemonFixture() { }

    /**
     * Writes tensd.yaml (the shipped file with this device id, journal in {@code dir}, the broker URL and CA
     * file) and the shipped limits.yaml beside it; returns the device file.
     */
    static Path config(Path dir, String deviceId, String brokerUrl, Path caFile, String stimulatorPort) throws IOException {
        String yaml = Files.readString(Path.of("config/tensd.yaml"))
                .replace("id: tensd-dev-001", "id: " + deviceId)
                .replace("dir: /var/lib/tensd/journal", "dir: " + dir.resolve("journal"))
                .replace("url: tcp://localhost:1883", "url: " + brokerUrl)
                .replace("stimulatorPort: /dev/serial0", "stimulatorPort: " + stimulatorPort);
        if (caFile != null) {
            yaml = yaml.replace("caFile: ~", "caFile: " + caFile);
        }
        Path cfg = dir.resolve("tensd.yaml");
        Files.writeString(cfg, yaml);
        Files.copy(Path.of("config/limits.yaml"), dir.resolve("limits.yaml"));
        return cfg;
    }

    /**
     * {@code tensd run ARGS} in a child JVM, output (the log) to {@code dir/daemon.log}. A fake
     * {@code systemd-notify} on the PATH records its arguments in {@code dir/notify.log}, one call a line.
     */
    static Process spawn(Path dir, boolean underSystemd, String... args) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path fake = bin.resolve("systemd-notify");
        Files.writeString(fake, "#!/bin/sh\necho \"$@\" >> '" + dir.resolve("notify.log") + "'\n");
        fake.toFile().setExecutable(true);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "io.tensd.cli.Main", "run"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("daemon.log").toFile());
        Map<String, String> env = pb.environment();
        env.remove("NOTIFY_SOCKET");
        env.remove("WATCHDOG_USEC");
        if (underSystemd) {
            env.put("NOTIFY_SOCKET", dir.resolve("notify.sock").toString());
            env.put("WATCHDOG_USEC", "600000"); // watchdog period 200 ms: several pings within a short test
            env.put("PATH", bin + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        }
        return pb.start();
    }

    static String log(Path dir) {
        try {
            return Files.readString(dir.resolve("daemon.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits until the log has a line matching {@code regex}; returns the match or null. */
    static Matcher awaitLog(Path dir, Process p, String regex, long timeoutMillis) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex, Pattern.MULTILINE);
        long end = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < end) {
            Matcher m = pattern.matcher(log(dir));
            if (m.find()) {
                return m;
            }
            if (!p.isAlive()) {
                m = pattern.matcher(log(dir));
                return m.find() ? m : null;
            }
            Thread.sleep(20);
        }
        return null;
    }

    static void stop(Process p) throws InterruptedException {
        if (p.isAlive()) {
            p.destroy();
            if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    /** A clinic-side subscriber recording every message with its arrival time. */
    static final class Clinic implements AutoCloseable {
        record Msg(String topic, JsonNode body, boolean retained, long atNanos) { }

        final MqttClient client;
        final List<Msg> messages = new CopyOnWriteArrayList<>();

        Clinic(String url, String filter) throws Exception {
            client = new MqttClient(url, "clinic-" + System.nanoTime(), new MemoryPersistence());
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(true);
            client.connect(o);
            IMqttMessageListener l = (topic, m) -> messages.add(new Msg(topic, JSON.readTree(m.getPayload()), m.isRetained(), System.nanoTime()));
            client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, 1)}, new IMqttMessageListener[] {l});
        }

        Msg await(Predicate<Msg> p, long timeoutMillis) throws InterruptedException {
            long end = System.currentTimeMillis() + timeoutMillis;
            while (System.currentTimeMillis() < end) {
                for (Msg m : messages) {
                    if (p.test(m)) {
                        return m;
                    }
                }
                Thread.sleep(5);
            }
            return null;
        }

        int indexOf(Predicate<Msg> p) {
            for (int i = 0; i < messages.size(); i++) {
                if (p.test(messages.get(i))) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public void close() throws Exception {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        }
    }
}
