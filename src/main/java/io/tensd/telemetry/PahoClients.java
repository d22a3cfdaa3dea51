package io.tensd.telemetry;

import java.lang.reflect.Field;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.internal.MqttConnectionState;

/**
 * Works around a Paho 1.2.5 defect that made the broker drop our connections under load: Paho gives outgoing
 * PUBLISHes topic aliases whenever the broker allows them, but registers the alias before its in-flight check; a
 * publish refused with "too many publishes in progress" leaves an alias the broker never saw, and the next publish
 * to that topic is sent with an empty topic and that alias: a protocol error (0x82) that closes the connection.
 * Concurrent publishers can also overtake the publish that registers an alias. Aliases save a few bytes per
 * message; we turn them off for every connection ({@code PahoTopicAliasTest} shows both the defect and the cure).
 */
public final class PahoClients {
    private static final Field CONNECTION_STATE;

    static {
        try {
            CONNECTION_STATE = MqttAsyncClient.class.getDeclaredField("mqttConnection");
            CONNECTION_STATE.setAccessible(true);
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError("Paho changed: MqttAsyncClient.mqttConnection is gone; "
                    + "re-check the topic-alias defect before upgrading (PahoTopicAliasTest)");
        }
    }

    private PahoClients() { }

    /**
     * Call first thing in {@code connectComplete}: from then on this connection sends every topic in full. Paho
     * copies the broker's Topic Alias Maximum from each CONNACK, so it must be done on every (re)connect.
     */
    public static void noOutgoingTopicAliases(MqttAsyncClient client) {
        state(client).setOutgoingTopicAliasMaximum(0);
    }

    /** Whether this client sends no topic aliases now. */
    public static boolean outgoingTopicAliasesOff(MqttAsyncClient client) {
        Integer max = state(client).getOutgoingTopicAliasMaximum();
        return max == null || max == 0;
    }

    private static MqttConnectionState state(MqttAsyncClient client) {
        try {
            return (MqttConnectionState) CONNECTION_STATE.get(client);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
