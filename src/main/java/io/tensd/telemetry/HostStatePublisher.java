package io.tensd.telemetry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clinic service's side of primary host awareness (Sparkplug's STATE): a connection of its own per site that
 * keeps the retained {@code tensd/v1/<site>/host/state} at {@code online} while the service runs, with a Will that
 * sets {@code offline} when it vanishes. Each connection has a new {@code bdSeq} in both, and the Will is set
 * again on every (re)connect with that moment's {@code ts}. Devices publish their birth and status again when
 * the host comes back online, so a clinic can tell "device offline" (its status) from "host was down" (this).
 *
 * <pre>{@code
 * MqttConnectionOptions o = new MqttConnectionOptions();   // credentials, TLS socket factory, keep-alive
 * try (HostStatePublisher host = HostStatePublisher.start(url, o, "clinic-demo", "clinic-1")) {
 *     ...                                                   // the service runs; close() publishes offline (shutdown)
 * }
 * }</pre>
 */
public final class HostStatePublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HostStatePublisher.class);

    private final MqttAsyncClient client;
    private final MqttConnectionOptions options;
    private final String topic;
    private final String hostId;
    private final Supplier<Instant> wall;
    private final AtomicLong bdSeq;

    private HostStatePublisher(String url, MqttConnectionOptions options, String site, String hostId, long firstBdSeq,
                               Supplier<Instant> wall) throws MqttException {
        Topics.requireName("site", site);
        Topics.requireName("host id", hostId);
        this.options = Objects.requireNonNull(options, "options");
        this.topic = new Topics(site, "host-state").hostState();
        this.hostId = hostId;
        this.wall = wall;
        this.bdSeq = new AtomicLong(firstBdSeq);
        this.client = new MqttAsyncClient(url, hostId + "-state-" + site, new MemoryPersistence());
        options.setAutomaticReconnect(true);
        options.setCleanStart(true);
        if (options.getMaxReconnectDelay() > 10_000) options.setMaxReconnectDelay(10_000);
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse r) {
                nextWill(); // Paho reconnects with the same options object, ≥ 1 s from now
            }

            @Override
            public void mqttErrorOccurred(MqttException e) { log.warn("host state: {}", e.getMessage()); }

            @Override
            public void messageArrived(String t, MqttMessage m) { }

            @Override
            public void deliveryComplete(IMqttToken t) { }

            @Override
            public void connectComplete(boolean reconnect, String uri) {
                PahoClients.noOutgoingTopicAliases(client);
                try {
                    client.publish(topic, message("online", "connected", bdSeq.get()));
                } catch (MqttException e) {
                    log.warn("host state online not published: {}", e.getMessage());
                }
            }

            @Override
            public void authPacketArrived(int rc, MqttProperties p) { }
        });
    }

    /**
     * Connects (waiting up to 15 s for the first connect; Paho reconnects after that) and publishes online.
     *
     * @param firstBdSeq a number larger than any earlier run's (e.g. the service's persisted counter or its start
     *                   time in ms): the clinic tells an old death from a new one by it
     */
    public static HostStatePublisher start(String url, MqttConnectionOptions options, String site, String hostId,
                                           long firstBdSeq) throws MqttException {
        HostStatePublisher p = new HostStatePublisher(url, options, site, hostId, firstBdSeq - 1, Instant::now);
        p.nextWill();
        p.client.connect(options).waitForCompletion(15_000);
        return p;
    }

    /** Same, with the wall clock's milliseconds as the first bdSeq. */
    public static HostStatePublisher start(String url, MqttConnectionOptions options, String site, String hostId)
            throws MqttException {
        return start(url, options, site, hostId, System.currentTimeMillis());
    }

    public String topic() { return topic; }

    public long bdSeq() { return bdSeq.get(); }

    public boolean isConnected() { return client.isConnected(); }

    private void nextWill() {
        options.setWill(topic, message("offline", "will", bdSeq.incrementAndGet()));
    }

    private MqttMessage message(String state, String reason, long seq) {
        ObjectNode n = Wire.JSON.createObjectNode();
        n.put("schema", Wire.HOST_STATE_SCHEMA);
        n.put("hostId", hostId);
        n.put("state", state);
        n.put("reason", reason);
        n.put("ts", Wire.timestamp(wall.get()));
        n.put("bdSeq", seq);
        try {
            return new MqttMessage(Wire.JSON.writeValueAsBytes(n), 1, true, null);
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Publishes offline (reason shutdown) and disconnects. */
    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.publish(topic, message("offline", "shutdown", bdSeq.get())).waitForCompletion(2000);
                client.disconnect(2000).waitForCompletion(3000);
            }
        } catch (MqttException e) {
            log.warn("host state offline not published: {}", e.getMessage());
        }
        try {
            client.close(true);
        } catch (MqttException ignored) {
            // already closed
        }
    }
}
