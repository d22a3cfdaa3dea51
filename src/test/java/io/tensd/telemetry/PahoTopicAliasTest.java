package io.tensd.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Paho 1.2.5 gives every outgoing PUBLISH a topic alias when the broker allows them (mosquitto: 10), and registers
 * the alias before it checks its in-flight window. A publish refused with "too many publishes in progress" leaves
 * the alias registered but never sent; the next publish to that topic goes out with an empty topic and an alias
 * the broker has never seen, and the broker drops the connection with 0x82 protocol error (MQTT 5 §3.3.2.3.4).
 * That is how a burst of remote commands lost the device its connection (issue 11).
 */
class PahoTopicAliasTest {
    static PlainMosquitto broker;

    @BeforeAll
    static void up() throws Exception { broker = new PlainMosquitto(); }

    @AfterAll
    static void down() throws Exception { broker.close(); }

    @Test
    void aPublishRefusedByTheInFlightWindowDoesNotPoisonItsTopic() throws Exception {
        assertTrue(runScenario(true).isEmpty(), "with aliases off the connection survives");
    }

    @Test
    void withoutTheGuardPahoBreaksTheConnection() throws Exception {
        // the defect itself, so the guard above is known to be what makes the difference
        List<String> lost = runScenario(false);
        assertEquals(1, lost.size(), "Paho 1.2.5 no longer poisons a topic alias: the guard may be dropped. " + lost);
        assertTrue(lost.get(0).contains("130"), lost.get(0)); // 0x82 protocol error
    }

    private static List<String> runScenario(boolean guard) throws Exception {
        List<String> lost = new CopyOnWriteArrayList<>();
        List<String> got = new CopyOnWriteArrayList<>();
        String t = "alias-test/" + System.nanoTime();
        MqttAsyncClient sub = new MqttAsyncClient(broker.url(), "sub-" + System.nanoTime(), new MemoryPersistence());
        sub.connect().waitForCompletion(5_000);
        sub.subscribe(new MqttSubscription[] {new MqttSubscription(t + "/#", 1)},
                null, null, new IMqttMessageListener[] {(topic, m) -> got.add(topic)}, new MqttProperties()).waitForCompletion(5_000);
        MqttAsyncClient c = new MqttAsyncClient(broker.url(), "pub-" + System.nanoTime(), new MemoryPersistence());
        c.setCallback(new MqttCallback() {
            @Override public void disconnected(MqttDisconnectResponse r) { lost.add(r.getReturnCode() + " " + r.getReasonString()); }
            @Override public void mqttErrorOccurred(MqttException e) { }
            @Override public void messageArrived(String topic, MqttMessage m) { }
            @Override public void deliveryComplete(IMqttToken token) { }
            @Override public void connectComplete(boolean reconnect, String uri) { if (guard) PahoClients.noOutgoingTopicAliases(c); }
            @Override public void authPacketArrived(int reasonCode, MqttProperties properties) { }
        });
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        c.connect(o).waitForCompletion(5_000);
        long end = System.currentTimeMillis() + 2_000;
        while (guard && !PahoClients.outgoingTopicAliasesOff(c) && System.currentTimeMillis() < end) Thread.sleep(5);
        try {
            // Fill the broker's receive window (mosquitto: 20) on one topic, then publish to a topic not used yet while
            // the window is still full. Acknowledgements arrive fast on loopback, so try until that publish is refused.
            String poisoned = null;
            for (int k = 0; k < 200 && poisoned == null; k++) {
                for (int i = 0; i < 1_000; i++) {
                    try {
                        c.publish(t + "/a", new MqttMessage(new byte[100], 1, false, null));
                    } catch (MqttException e) {
                        if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT) throw e;
                        break;
                    }
                }
                try {
                    c.publish(t + "/b" + k, new MqttMessage(new byte[1], 1, false, null));
                } catch (MqttException e) {
                    if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT) throw e;
                    poisoned = t + "/b" + k;
                }
            }
            assertTrue(poisoned != null, "a first publish to a topic was never refused by a full window: the scenario did not happen");
            Thread.sleep(300); // the window empties
            c.publish(poisoned, new MqttMessage("after".getBytes(), 1, false, null));
            long end2 = System.currentTimeMillis() + 2_000;
            String p = poisoned;
            while (System.currentTimeMillis() < end2 && lost.isEmpty() && !got.contains(p)) Thread.sleep(10);
            if (lost.isEmpty()) assertTrue(got.contains(p), "the publish after the refusal arrived");
            return lost;
        } finally {
            if (c.isConnected()) c.disconnect().waitForCompletion(2_000);
            c.close(true);
            sub.disconnect().waitForCompletion(2_000);
            sub.close();
        }
    }
}
