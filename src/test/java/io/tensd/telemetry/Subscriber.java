package io.tensd.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
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

/** A clinic-side test client: records every message (topic, JSON, arrival time) and validates it against its schema. */
final class Subscriber implements AutoCloseable {
    record Received(String topic, JsonNode json, byte[] raw, MqttProperties props, long atNanos) { }

    final MqttAsyncClient client;
    final List<Received> messages = new CopyOnWriteArrayList<>();
    final List<String> schemaErrors = new CopyOnWriteArrayList<>();

    Subscriber(String url, String clientId, MqttConnectionOptions opts, String... filters) throws MqttException {
        client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override public void disconnected(MqttDisconnectResponse r) { }
            @Override public void mqttErrorOccurred(MqttException e) { }
            @Override public void deliveryComplete(IMqttToken t) { }
            @Override public void connectComplete(boolean reconnect, String uri) { }
            @Override public void authPacketArrived(int rc, MqttProperties p) { }

            @Override
            public void messageArrived(String topic, MqttMessage m) {
                long now = System.nanoTime();
                JsonNode json = null;
                try {
                    json = Wire.JSON.readTree(m.getPayload());
                    int cmd = topic.indexOf("/cmd/");
                    String schema = cmd >= 0 ? Schemas.command(topic.substring(cmd + 5)) : json.path("schema").asText();
                    List<String> errors = Schemas.validate(schema, json);
                    if (!errors.isEmpty()) schemaErrors.add(topic + ": " + errors + " in " + json);
                    if (!topicFits(topic, schema)) schemaErrors.add(topic + " carries " + schema);
                } catch (IOException | RuntimeException e) {
                    schemaErrors.add(topic + ": not valid JSON/schema: " + e);
                }
                messages.add(new Received(topic, json, m.getPayload(), m.getProperties(), now));
            }
        });
        if (opts == null) {
            opts = new MqttConnectionOptions();
            opts.setCleanStart(true);
        }
        if (opts.getSocketFactory() == null && url.startsWith("tcp")) opts.setSocketFactory(new NoDelaySocketFactories.Plain());
        client.connect(opts).waitForCompletion(10_000);
        MqttSubscription[] subs = new MqttSubscription[filters.length];
        for (int i = 0; i < filters.length; i++) subs[i] = new MqttSubscription(filters[i], 1);
        client.subscribe(subs).waitForCompletion(10_000);
    }

    static boolean topicFits(String topic, String schema) {
        if (topic.contains("/cmd/")) return schema.startsWith("tensd.cmd.");
        if (topic.endsWith("/host/state")) return schema.equals(Wire.HOST_STATE_SCHEMA);
        if (topic.endsWith("/status")) return schema.equals(Wire.STATUS_SCHEMA);
        if (topic.endsWith("/birth")) return schema.equals(Wire.BIRTH_SCHEMA);
        if (topic.endsWith("/telemetry")) return schema.equals(Wire.TELEMETRY_SCHEMA);
        if (topic.endsWith("/event")) return schema.equals(Wire.EVENT_SCHEMA);
        if (topic.endsWith("/session/summary")) return schema.equals(Wire.SUMMARY_SCHEMA);
        if (topic.contains("/reply/") || topic.contains("/response")) return schema.equals(Wire.RESPONSE_SCHEMA);
        return false;
    }

    List<Received> on(String suffix) {
        List<Received> out = new ArrayList<>();
        for (Received r : messages) if (r.topic().endsWith(suffix)) out.add(r);
        return out;
    }

    Received await(Predicate<Received> p, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            for (Received r : messages) if (p.test(r)) return r;
            Thread.sleep(5);
        }
        return null;
    }

    /** Checks the journaled stream (events + summaries) is complete from 1 to {@code lastSeq}, in order. Returns duplicates. */
    static int assertCompleteInOrder(List<Received> stream, long lastSeq) {
        long expect = 1;
        int dups = 0;
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (Received r : stream) {
            long seq = r.json().get("seq").asLong();
            if (!seen.add(seq)) {
                dups++;
                continue;
            }
            if (seq != expect) throw new AssertionError("expected seq " + expect + " but first saw " + seq);
            expect++;
        }
        if (expect - 1 != lastSeq) throw new AssertionError("received up to seq " + (expect - 1) + " of " + lastSeq);
        return dups;
    }

    @Override
    public void close() {
        try {
            client.disconnect().waitForCompletion(2000);
        } catch (MqttException ignored) {
            // gone
        }
        try {
            client.close();
        } catch (MqttException ignored) {
            // gone
        }
    }
}
