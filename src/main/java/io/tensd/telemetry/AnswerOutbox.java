package io.tensd.telemetry;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command answers waiting for an in-flight slot; never dropped (a full outbox makes the producer wait).
 * {@link #answer} queues (MQTT callback thread and answer executor), {@link #sendAll} sends (its own thread,
 * started by {@link TelemetryService}); the publisher holds new events while the outbox is not empty.
 */
final class AnswerOutbox {
    private static final Logger log = LoggerFactory.getLogger(AnswerOutbox.class);
    static final int CAPACITY = 10_000;

    private record Outgoing(String topic, MqttMessage message) { }

    private final BlockingQueue<Outgoing> outbox = new LinkedBlockingQueue<>(CAPACITY);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Supplier<MqttAsyncClient> client;
    private final BooleanSupplier running;
    private final Runnable signal;

    /** @param signal wakes the publisher: an answer arrived or left, so its hold on new events may have changed */
    AnswerOutbox(Supplier<MqttAsyncClient> client, BooleanSupplier running, Runnable signal) {
        this.client = client;
        this.running = running;
        this.signal = signal;
    }

    boolean isEmpty() { return outbox.isEmpty(); }

    /**
     * Queues the answer for {@link #sendAll}. Called on the MQTT callback thread (immediate rejections) and the
     * answer thread: it must not wait for the broker, because Paho handles PUBACKs only while its callback thread
     * keeps taking messages; publishing here and retrying a full in-flight window blocked exactly those PUBACKs.
     */
    void answer(CommandHandler.Answer a) {
        String topic = a.request().responseTopic();
        if (topic == null || topic.isEmpty()) return; // still journaled as a command-result event
        MqttProperties props = new MqttProperties();
        if (a.request().correlationData() != null) props.setCorrelationData(a.request().correlationData());
        try {
            outbox.put(new Outgoing(topic, new MqttMessage(a.payload(), 1, false, props))); // waits only if 10,000 are queued
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed.incrementAndGet();
        }
        signal.run();
    }

    /** Sends queued answers in order, each as soon as the in-flight window has a slot; across reconnects. */
    void sendAll() {
        while (running.getAsBoolean() || !outbox.isEmpty()) {
            Outgoing o;
            try {
                o = outbox.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (o == null) continue;
            while (true) {
                MqttAsyncClient c = client.get();
                if (!running.getAsBoolean() && (c == null || !c.isConnected())) {
                    failed.incrementAndGet(); // stopping and offline: nowhere to send it
                    break;
                }
                if (c == null || !c.isConnected()) {
                    TelemetryService.sleep(20);
                    continue;
                }
                try {
                    c.publish(o.topic(), o.message());
                    sent.incrementAndGet();
                    break;
                } catch (MqttException e) {
                    int rc = e.getReasonCode();
                    if (rc == MqttClientException.REASON_CODE_MAX_INFLIGHT || rc == MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED
                            || rc == MqttClientException.REASON_CODE_CLIENT_DISCONNECTING) {
                        TelemetryService.sleep(1); // a PUBACK frees a slot within a round trip
                        continue;
                    }
                    log.warn("command answer to {} not sent: {}", o.topic(), e.getMessage());
                    failed.incrementAndGet();
                    break;
                } catch (IllegalArgumentException e) {
                    log.warn("command answer to {} not sent: {}", o.topic(), e.getMessage());
                    failed.incrementAndGet();
                    break;
                }
            }
            signal.run();
        }
    }
}
