package io.tensd.cli;

import io.tensd.telemetry.SiteView;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tensd monitor}: a live view of a site's devices, or one device's events with {@code --follow}. */
@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = {"Watch a clinic site's tensd devices on the MQTT broker (live table or --follow events).",
                "The table shows each device's state, intensity, temperatures, posture, last seen, and gaps or duplicates "
                        + "in its event seq; a session that ends shows COMPLETE with its summary. With --follow, print one "
                        + "device's events and summaries as they arrive.",
                "Exit 0 at the end of --duration or on Ctrl-C, 1 if the broker cannot be reached, 2 for a bad option."})
public final class MonitorCommand implements Callable<Integer> {
    @Option(names = "--broker", paramLabel = "URL", defaultValue = "tcp://localhost:1883",
            description = "broker URL: tcp://host:port or ssl://host:port (mqtt:// and mqtts:// too; default ${DEFAULT-VALUE})")
    String broker;

    @Option(names = "--site", paramLabel = "SITE", defaultValue = "+", description = "site id (default: all sites)")
    String site;

    @Option(names = "--device", paramLabel = "DEVICE", description = "one device id (default: all)")
    String device;

    @Option(names = "--follow", description = "print events and summaries as they arrive instead of the table")
    boolean follow;

    @Option(names = "--ca", paramLabel = "FILE.pem", description = "CA certificate (PEM) to verify an ssl:// broker")
    Path ca;

    @Option(names = "--user", paramLabel = "NAME", description = "broker username")
    String user;

    @Option(names = "--password-file", paramLabel = "FILE", description = "file whose first line is the password")
    Path passwordFile;

    @Option(names = "--refresh-ms", paramLabel = "MS", defaultValue = "1000", description = "table refresh period (default ${DEFAULT-VALUE} ms)")
    long refreshMillis;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0", description = "stop after this many seconds (0 = until interrupted)")
    long durationSeconds;

    private PrintStream out = System.out;

    /** Where the table or the followed events go (tests, embedding). */
    public MonitorCommand output(PrintStream stream) {
        this.out = stream;
        return this;
    }

    /** The URL Paho takes (tcp:// or ssl://), or null if {@code url} is not a host:port broker URL. */
    static String paho(String url) {
        java.net.URI u;
        try {
            u = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            return null;
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
        String paho = switch (scheme) {
            case "tcp", "mqtt" -> "tcp";
            case "ssl", "mqtts" -> "ssl";
            default -> null;
        };
        if (paho == null || u.getHost() == null || u.getPort() < 0 || !(u.getPath() == null || u.getPath().isEmpty())) {
            return null;
        }
        return paho + "://" + u.getHost() + ":" + u.getPort();
    }

    @Override
    public Integer call() throws Exception {
        if (device != null && !device.matches("[A-Za-z0-9_.-]{1,64}") || !site.equals("+") && !site.matches("[A-Za-z0-9_.-]{1,64}")) {
            System.err.println("monitor: --site and --device are plain ids (A-Z a-z 0-9 _ . -)");
            return 2;
        }
        String url = paho(broker);
        if (url == null) {
            System.err.println("monitor: --broker '" + broker + "' is not a broker URL: give tcp://host:port or ssl://host:port");
            return 2;
        }
        broker = url;
        SiteView view = new SiteView();
        String filter = "tensd/v1/" + site + "/" + (device == null ? "+" : device) + "/#";
        MqttAsyncClient client = new MqttAsyncClient(broker, "tensd-monitor-" + UUID.randomUUID().toString().substring(0, 8), new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override public void disconnected(MqttDisconnectResponse r) { System.err.println("monitor: disconnected, reconnecting…"); }
            @Override public void mqttErrorOccurred(MqttException e) { }
            @Override public void deliveryComplete(IMqttToken t) { }
            @Override public void connectComplete(boolean reconnect, String uri) { }
            @Override public void authPacketArrived(int rc, MqttProperties p) { }

            @Override
            public void messageArrived(String topic, MqttMessage m) {
                String line;
                synchronized (view) {
                    line = view.accept(topic, m.getPayload(), System.currentTimeMillis());
                }
                if (follow && line != null) out.println(line);
            }
        });
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setAutomaticReconnect(true);
        if (user != null) o.setUserName(user);
        if (passwordFile != null) {
            String pw = Files.readString(passwordFile, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
            o.setPassword(pw.getBytes(StandardCharsets.UTF_8));
        }
        if (broker.startsWith("ssl://")) {
            if (ca == null) {
                System.err.println("monitor: an ssl:// broker needs --ca");
                return 2;
            }
            o.setSocketFactory(io.tensd.telemetry.ClientTls.socketFactory(ca));
            o.setHttpsHostnameVerificationEnabled(true);
        }
        try {
            client.connect(o).waitForCompletion(15_000);
            client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, 1)}).waitForCompletion(10_000);
        } catch (MqttException e) {
            System.err.println("monitor: cannot connect/subscribe to " + broker + ": " + e.getMessage());
            return 1;
        }
        if (follow) out.println("following " + filter + " (Ctrl-C to stop)");
        long end = durationSeconds > 0 ? System.currentTimeMillis() + durationSeconds * 1000 : Long.MAX_VALUE;
        try {
            while (System.currentTimeMillis() < end) {
                Thread.sleep(Math.min(refreshMillis, Math.max(1, end - System.currentTimeMillis())));
                if (!follow) {
                    String table;
                    synchronized (view) {
                        table = view.render(System.currentTimeMillis());
                    }
                    out.print(System.console() != null ? "\033[H\033[2J" + table : table + "\n");
                    out.flush();
                }
            }
        } finally {
            try {
                client.disconnect().waitForCompletion(2000);
                client.close();
            } catch (MqttException ignored) {
                // exiting
            }
        }
        return 0;
    }
}
