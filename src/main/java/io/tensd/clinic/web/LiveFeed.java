package io.tensd.clinic.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's own view of the broker: every device's retained status and birth and its live telemetry
 * (QoS 0, never stored), folded into one {@link DeviceView} per device; and the MQTT v5 request/response
 * commands sent from the page. A plain (non-shared) subscription: every dashboard instance sees every device.
 */
public final class LiveFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

    private final MqttAsyncClient client;
    private final String replyName;
    private final Clock clock;
    private final Map<String, DeviceView> devices = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<Consumer<DeviceView>> listeners = new CopyOnWriteArrayList<>();
    private final List<java.util.function.BiConsumer<DeviceView, JsonNode>> telemetryListeners = new CopyOnWriteArrayList<>();
    /** Faults raised by an event (device → code → monoMs) that no later telemetry has shown yet. */
    private final Map<String, Map<String, Raised>> raised = new ConcurrentHashMap<>();

    /** A fault-raised event's monoMs and when it arrived: after {@link #RAISED_GRACE} telemetry alone decides. */
    private record Raised(long monoMs, java.time.Instant arrived) { }

    private static final Duration RAISED_GRACE = Duration.ofSeconds(3);

    public LiveFeed(String brokerUrl, String clientId, Clock clock) throws MqttException {
        this.client = new MqttAsyncClient(brokerUrl, clientId, new MemoryPersistence());
        this.replyName = clientId.replaceAll("[^A-Za-z0-9_.-]", "-");
        this.clock = clock;
        client.setCallback(new Callback());
    }

    private String username;
    private java.nio.file.Path passwordFile;
    private java.nio.file.Path caFile;

    /** The broker's user name and password file, and the CA that verifies an {@code ssl://} broker (as the collector's). */
    public LiveFeed withAuth(String user, java.nio.file.Path password, java.nio.file.Path ca) {
        this.username = user;
        this.passwordFile = password;
        this.caFile = ca;
        return this;
    }

    /** Connects, retrying the first connect (Paho's automatic reconnect only covers later losses). */
    public LiveFeed start(Duration patience) throws MqttException, InterruptedException, java.io.IOException {
        MqttConnectionOptions o = new MqttConnectionOptions();
        if (username != null) o.setUserName(username);
        if (passwordFile != null) {
            o.setPassword(java.nio.file.Files.readString(passwordFile, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8));
        }
        if (caFile != null) o.setSocketFactory(io.tensd.telemetry.ClientTls.socketFactory(caFile));
        o.setCleanStart(true);
        o.setAutomaticReconnect(true);
        o.setConnectionTimeout(5);
        long until = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                client.connect(o).waitForCompletion(6000);
                return this;
            } catch (MqttException e) {
                if (System.nanoTime() > until) throw e;
                LOG.warn("dashboard feed: broker not reachable ({}), retrying", e.getMessage());
                Thread.sleep(500);
            }
        }
    }

    private void subscribe() {
        MqttSubscription[] subs = {new MqttSubscription("tensd/v1/+/+/status", 1), new MqttSubscription("tensd/v1/+/+/birth", 1),
                new MqttSubscription("tensd/v1/+/+/telemetry", 0), new MqttSubscription("tensd/v1/+/+/event", 1),
                new MqttSubscription("tensd/v1/+/+/reply/" + replyName, 1)};
        try {
            client.subscribe(subs, null, null, new MqttProperties());
        } catch (MqttException e) {
            LOG.warn("dashboard feed: subscribe failed: {}", e.getMessage());
        }
    }

    public void onChange(Consumer<DeviceView> listener) { listeners.add(listener); }

    /** Every telemetry message with the device's view after it (the session report's samples are written from here). */
    public void onTelemetry(java.util.function.BiConsumer<DeviceView, JsonNode> listener) { telemetryListeners.add(listener); }

    public Map<String, DeviceView> devices() { return Map.copyOf(devices); }

    public Optional<DeviceView> device(String id) { return Optional.ofNullable(devices.get(id)); }

    /** Folds one message into its device's view; unknown topics and unreadable payloads are ignored (logged). */
    void accept(String topic, byte[] payload) {
        String[] t = topic.split("/");
        if (t.length < 5 || !t[0].equals("tensd") || !t[1].equals("v1")) return;
        String site = t[2];
        String device = t[3];
        JsonNode n;
        try {
            n = JSON.readTree(payload);
        } catch (java.io.IOException e) {
            LOG.debug("dashboard feed: unreadable payload on {}", topic);
            return;
        }
        if (n == null || !n.isObject()) return;
        if (t[4].equals("reply") && t.length == 6) {
            CompletableFuture<JsonNode> f = pending.remove(n.path("id").asText(""));
            if (f != null) f.complete(n);
            return;
        }
        DeviceView after;
        synchronized (this) {
            DeviceView before = devices.getOrDefault(device, DeviceView.empty(site, device));
            after = switch (t[4]) {
                case "status" -> before.withStatus(n, clock.instant());
                case "birth" -> before.withBirth(n);
                case "telemetry" -> withRaised(device, before.withTelemetry(n, clock.instant()), n.path("monoMs").asLong(Long.MIN_VALUE));
                case "event" -> faultRaised(device, before, n);
                default -> null;
            };
            if (after == null) return;
            devices.put(device, after);
        }
        if (t[4].equals("telemetry")) {
            for (var l : telemetryListeners) {
                try {
                    l.accept(after, n);
                } catch (RuntimeException e) {
                    LOG.warn("dashboard telemetry listener failed: {}", e.toString());
                }
            }
        }
        for (Consumer<DeviceView> l : listeners) {
            try {
                l.accept(after);
            } catch (RuntimeException e) {
                LOG.warn("dashboard listener failed: {}", e.toString());
            }
        }
    }

    /**
     * A latched fault is shown from its {@code fault-raised} event (QoS 1, sent as soon as it is journaled) rather than
     * waiting up to a telemetry period for the next telemetry to list it. Other events change nothing here.
     */
    private DeviceView faultRaised(String device, DeviceView before, JsonNode n) {
        if (!"fault-raised".equals(n.path("type").asText())) return null;
        String code = n.path("data").path("code").asText("");
        if (code.isEmpty()) return null;
        raised.computeIfAbsent(device, k -> new ConcurrentHashMap<>()).put(code, new Raised(n.path("monoMs").asLong(Long.MAX_VALUE), clock.instant()));
        if (before.faults().contains(code)) return null;
        List<String> f = new java.util.ArrayList<>(before.faults());
        f.add(code);
        return before.withFaults(List.copyOf(f));
    }

    /**
     * Telemetry made before a raised fault's event (smaller monoMs; the same daemon run) does not list it yet: keep
     * showing it. Telemetry made after it is the authority (a cleared fault disappears).
     */
    private DeviceView withRaised(String device, DeviceView v, long telemetryMonoMs) {
        Map<String, Raised> r = raised.get(device);
        if (r == null || r.isEmpty()) return v;
        java.time.Instant old = clock.instant().minus(RAISED_GRACE); // a restarted daemon counts monoMs from 0 again
        r.values().removeIf(e -> e.monoMs() <= telemetryMonoMs || telemetryMonoMs == Long.MIN_VALUE || e.arrived().isBefore(old));
        if (r.isEmpty()) return v;
        List<String> f = new java.util.ArrayList<>(v.faults());
        for (String code : r.keySet()) if (!f.contains(code)) f.add(code);
        return v.withFaults(List.copyOf(f));
    }

    /**
     * Sends {@code cmd/<name>} with response topic, correlation data and a 30 s expiry; completes with the
     * device's {@code tensd.cmd-response.v1} answer, or exceptionally after {@link #COMMAND_TIMEOUT}.
     */
    public CompletableFuture<JsonNode> command(String site, String device, String name, ObjectNode fields) {
        String id = "dash-" + WebSessions.token().substring(0, 16).replaceAll("[^A-Za-z0-9]", "x");
        ObjectNode body = fields == null ? JSON.createObjectNode() : fields.deepCopy();
        body.put("id", id);
        body.put("deadline", clock.instant().plusSeconds(30).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        MqttMessage m = new MqttMessage(body.toString().getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        MqttProperties p = new MqttProperties();
        p.setResponseTopic("tensd/v1/" + site + "/" + device + "/reply/" + replyName);
        p.setCorrelationData(id.getBytes(StandardCharsets.UTF_8));
        p.setMessageExpiryInterval(30L);
        m.setProperties(p);
        CompletableFuture<JsonNode> f = new CompletableFuture<JsonNode>().orTimeout(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        pending.put(id, f);
        f.whenComplete((r, e) -> pending.remove(id));
        try {
            client.publish("tensd/v1/" + site + "/" + device + "/cmd/" + name, m);
        } catch (MqttException e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    public boolean connected() { return client.isConnected(); }

    private final class Callback implements MqttCallback {
        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            io.tensd.telemetry.PahoClients.noOutgoingTopicAliases(client); // commands come from many web threads
            // never subscribe on Paho's callback thread
            Thread t = new Thread(LiveFeed.this::subscribe, "dashboard-subscribe");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            accept(topic, message.getPayload());
        }

        @Override
        public void disconnected(MqttDisconnectResponse r) {
            LOG.warn("dashboard feed: disconnected: {}", r.getReasonString());
        }

        @Override
        public void mqttErrorOccurred(MqttException e) {
            LOG.warn("dashboard feed: {}", e.getMessage());
        }

        @Override
        public void deliveryComplete(IMqttToken token) { }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) { }
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) client.disconnect().waitForCompletion(2000);
            client.close();
        } catch (MqttException e) {
            LOG.debug("dashboard feed close: {}", e.getMessage());
        }
    }
}
