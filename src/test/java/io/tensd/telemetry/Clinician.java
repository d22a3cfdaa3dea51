package io.tensd.telemetry;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** A clinician's MQTT v5 client: commands with response topic, correlation data (= the id) and message expiry. */
final class Clinician implements AutoCloseable {
    final Topics topics;
    final Subscriber replies;
    final String replyTopic;

    Clinician(String url, Topics topics, String name, MqttConnectionOptions opts) throws Exception {
        this.topics = topics;
        this.replyTopic = topics.reply(name);
        this.replies = new Subscriber(url, "clinician-" + name + "-" + System.nanoTime(), opts, replyTopic);
    }

    /** Publishes {@code cmd/<name>}; {@code fields} is extra JSON members ("" for none), e.g. {@code "milliAmps":12}. */
    void send(String name, String id, String fields) throws Exception {
        String body = "{\"id\":\"" + id + "\",\"deadline\":\"" + Instant.now().plusSeconds(60) + "\"" + (fields.isEmpty() ? "" : "," + fields) + "}";
        sendRaw(topics.command(name), body.getBytes(StandardCharsets.UTF_8), id, 60L);
    }

    void sendRaw(String topic, byte[] payload, String correlation, Long expirySeconds) throws Exception {
        MqttProperties p = new MqttProperties();
        p.setResponseTopic(replyTopic);
        p.setCorrelationData(correlation.getBytes(StandardCharsets.UTF_8));
        if (expirySeconds != null) p.setMessageExpiryInterval(expirySeconds);
        publishWhenRoom(replies.client, topic, new MqttMessage(payload, 1, false, p)).waitForCompletion(10_000);
    }

    /**
     * Publishes {@code m}, trying again for up to 10 s while Paho refuses it with 32202 (in-flight window full): Paho
     * completes a publish's token before its callback thread (busy delivering the answers) frees the in-flight slot,
     * so a burst can find the window full although every earlier publish is done. The device's sender does the same.
     */
    static IMqttToken publishWhenRoom(MqttAsyncClient client, String topic, MqttMessage m) throws Exception {
        long end = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                return client.publish(topic, m);
            } catch (MqttException e) {
                if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT || System.nanoTime() > end) throw e;
                Thread.sleep(1);
            }
        }
    }

    /** Every answer received so far with this correlation data. */
    List<Subscriber.Received> answers(String correlation) {
        return replies.messages.stream().filter(m -> m.props() != null && m.props().getCorrelationData() != null
                && new String(m.props().getCorrelationData(), StandardCharsets.UTF_8).equals(correlation)).collect(Collectors.toList());
    }

    /** Waits until an answer with this correlation data arrives; null after {@code millis}. */
    Subscriber.Received await(String correlation, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < end) {
            List<Subscriber.Received> a = answers(correlation);
            if (!a.isEmpty()) return a.get(0);
            Thread.sleep(5);
        }
        return null;
    }

    @Override
    public void close() { replies.close(); }
}
