package io.tensd.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.config.ConfigException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every cell of {role} × {read, write} × {topic} of device dev-a (site s1) against Debian mosquitto with passwords
 * and the ACL {@link FleetAcl} generates. Write: the PUBACK reason code, cross-checked with what a site reader
 * received. Read: whether a message published by the topic's rightful writer arrived.
 */
class AclMatrixTest {
    static final String FLEET = """
            sites:
              s1: [dev-a, dev-b]
              s2: [dev-c]
            clinicians:
              doc-1: [s1]
              doc-2: [s2]
            monitors:
              mon: [s1]
            hosts:
              clinic-1: [s1]
              clinic-2: [s2]
            """;
    static final List<String> ROLES = List.of("device", "other device", "other site's device", "clinician",
            "other site's clinician", "monitor", "clinic service", "other site's clinic service", "anonymous");
    static final Map<String, String> USER = Map.of("device", "dev-a", "other device", "dev-b", "other site's device", "dev-c",
            "clinician", "doc-1", "other site's clinician", "doc-2", "monitor", "mon",
            "clinic service", "clinic-1", "other site's clinic service", "clinic-2");
    static final Map<String, String> TOPICS = new LinkedHashMap<>();

    static {
        String root = "tensd/v1/s1/dev-a/";
        TOPICS.put("status", root + "status");
        TOPICS.put("birth", root + "birth");
        TOPICS.put("telemetry", root + "telemetry");
        TOPICS.put("event", root + "event");
        TOPICS.put("summary", root + "session/summary");
        TOPICS.put("cmd", root + "cmd/pause");
        TOPICS.put("resend", root + "cmd/resend"); // the clinic service's gap repair
        TOPICS.put("reply", root + "reply/doc-1");
    }

    static boolean expected(String role, String op, String topic) {
        boolean command = topic.equals("cmd") || topic.equals("resend");
        return switch (role) {
            case "device" -> op.equals("write") ? !command : command;
            case "clinician", "clinic service" -> op.equals("read") || command;
            case "monitor" -> op.equals("read");
            default -> false;
        };
    }

    @Test
    void everyRoleReadsAndWritesExactlyWhatTheGeneratedAclSays(@TempDir Path tmp) throws Exception {
        Fleet fleet = Fleet.parse("fleet.yaml", new StringReader(FLEET));
        Path dir = Files.createTempDirectory("tensd-mosq-acl-");
        int port = EmbeddedBroker.freePort();
        boolean first = true;
        for (String user : USER.values()) {
            MosquittoProcess.run(dir, first ? new String[] {"mosquitto_passwd", "-c", "-b", "passwd", user, "pw-" + user}
                    : new String[] {"mosquitto_passwd", "-b", "passwd", user, "pw-" + user});
            first = false;
        }
        Files.writeString(dir.resolve("acl"), FleetAcl.render(fleet, "fleet.yaml"));
        Files.writeString(dir.resolve("mosquitto.conf"), """
                per_listener_settings true
                persistence false
                log_dest file %1$s/mosquitto.log
                listener %2$d 127.0.0.1
                allow_anonymous false
                password_file %1$s/passwd
                acl_file %1$s/acl
                """.formatted(dir, port));
        MosquittoProcess.chownIfRoot(dir);
        Process broker = MosquittoProcess.start(dir, port);
        String url = "tcp://127.0.0.1:" + port;
        Map<String, MqttAsyncClient> clients = new LinkedHashMap<>();
        Map<String, List<String>> received = new ConcurrentHashMap<>();
        Map<String, Boolean> cells = new LinkedHashMap<>();
        try {
            // anonymous: refused at connect, so it can neither read nor write anything
            MqttAsyncClient anon = new MqttAsyncClient(url, "anon-" + System.nanoTime(), new MemoryPersistence());
            MqttConnectionOptions ao = new MqttConnectionOptions();
            assertThrows(MqttException.class, () -> anon.connect(ao).waitForCompletion(5000), "anonymous connect refused");
            anon.close(true);
            // everyone else connects and subscribes to the 8 topics, in parallel
            List<IMqttToken> pending = new ArrayList<>();
            for (String role : ROLES) {
                if (role.equals("anonymous")) continue;
                String user = USER.get(role);
                List<String> got = new CopyOnWriteArrayList<>();
                received.put(role, got);
                MqttAsyncClient c = new MqttAsyncClient(url, user + "-" + System.nanoTime(), new MemoryPersistence());
                c.setCallback(new MqttCallback() {
                    @Override public void disconnected(MqttDisconnectResponse r) { }
                    @Override public void mqttErrorOccurred(MqttException e) { }
                    @Override public void messageArrived(String topic, MqttMessage m) { got.add(new String(m.getPayload(), StandardCharsets.UTF_8)); }
                    @Override public void deliveryComplete(IMqttToken t) { }
                    @Override public void connectComplete(boolean reconnect, String uri) { }
                    @Override public void authPacketArrived(int rc, MqttProperties p) { }
                });
                MqttConnectionOptions o = new MqttConnectionOptions();
                o.setUserName(user);
                o.setPassword(("pw-" + user).getBytes(StandardCharsets.UTF_8));
                o.setCleanStart(true);
                pending.add(c.connect(o));
                clients.put(role, c);
            }
            for (IMqttToken t : pending) t.waitForCompletion(10_000);
            pending.clear();
            MqttSubscription[] subs = TOPICS.values().stream().map(t -> new MqttSubscription(t, 1)).toArray(MqttSubscription[]::new);
            for (MqttAsyncClient c : clients.values()) pending.add(c.subscribe(subs));
            for (IMqttToken t : pending) t.waitForCompletion(10_000);
            pending.clear();

            // write: every role publishes to every topic at once
            Map<String, IMqttToken> writes = new LinkedHashMap<>();
            for (var rc : clients.entrySet()) {
                for (var t : TOPICS.entrySet()) {
                    writes.put(rc.getKey() + "|" + t.getKey(), rc.getValue().publish(t.getValue(),
                            new MqttMessage(("w|" + rc.getKey() + "|" + t.getKey()).getBytes(StandardCharsets.UTF_8), 1, false, null)));
                }
            }
            for (var w : writes.entrySet()) {
                w.getValue().waitForCompletion(10_000);
                int[] codes = w.getValue().getReasonCodes();
                boolean ok = codes == null || codes.length == 0 || codes[0] < 0x80;
                String[] k = w.getKey().split("\\|");
                cells.put(k[0] + "|write|" + k[1], ok);
            }
            // the gap of a `pattern write tensd/v1/+/%u/...` ACL: the device's own id under another site
            IMqttToken foreign = clients.get("device").publish("tensd/v1/s2/dev-a/event",
                    new MqttMessage("w|foreign".getBytes(StandardCharsets.UTF_8), 1, false, null));
            foreign.waitForCompletion(10_000);
            assertTrue(foreign.getReasonCodes() != null && foreign.getReasonCodes()[0] == 0x87,
                    "dev-a may not write under site s2, even with its own id");
            // read: each topic's rightful writer publishes a marker
            for (var t : TOPICS.entrySet()) {
                MqttAsyncClient writer = clients.get(t.getKey().startsWith("cmd") || t.getKey().equals("resend") ? "clinician" : "device");
                pending.add(writer.publish(t.getValue(), new MqttMessage(("r|" + t.getKey()).getBytes(StandardCharsets.UTF_8), 1, false, null)));
            }
            for (IMqttToken t : pending) t.waitForCompletion(10_000);
            long end = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < end && received.get("clinician").stream().filter(s -> s.startsWith("r|")).count() < TOPICS.size()) {
                Thread.sleep(10);
            }
            Thread.sleep(300); // anything a denied reader would get has arrived by now
            for (String role : clients.keySet()) {
                for (String topic : TOPICS.keySet()) {
                    cells.put(role + "|read|" + topic, received.get(role).contains("r|" + topic));
                }
            }
            // a write the broker accepted reached the site's clinician; a refused one reached nobody
            for (String role : clients.keySet()) {
                for (String topic : TOPICS.keySet()) {
                    boolean delivered = received.get("clinician").contains("w|" + role + "|" + topic);
                    assertEquals(cells.get(role + "|write|" + topic), delivered, role + " write " + topic + ": PUBACK vs delivery");
                }
            }
            for (String topic : TOPICS.keySet()) {
                cells.put("anonymous|read|" + topic, false);
                cells.put("anonymous|write|" + topic, false);
            }
        } finally {
            for (MqttAsyncClient c : clients.values()) {
                try {
                    c.disconnect().waitForCompletion(2000);
                    c.close();
                } catch (MqttException ignored) {
                    // broker going away
                }
            }
            MosquittoProcess.stop(broker, 10);
            MosquittoProcess.deleteTree(dir);
        }
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (String role : ROLES) {
            for (String op : List.of("read", "write")) {
                for (String topic : TOPICS.keySet()) {
                    Boolean got = cells.get(role + "|" + op + "|" + topic);
                    checked++;
                    if (got == null || got != expected(role, op, topic)) {
                        wrong.add(role + " " + op + " " + topic + ": " + (got == null ? "not measured" : got ? "allowed" : "denied"));
                    }
                }
            }
        }
        System.out.printf("ACL matrix: %d cells checked, %d allowed, %d wrong%n", checked,
                cells.values().stream().filter(b -> b).count(), wrong.size());
        assertEquals(144, checked);
        assertTrue(wrong.isEmpty(), wrong.toString());
    }

    @Test
    void theExampleAclIsTheGeneratorsOutputForTheExampleFleet() throws Exception {
        String expected = FleetAcl.render(Fleet.load(Path.of("config/mosquitto/fleet.yaml")), "fleet.yaml");
        assertEquals(expected, Files.readString(Path.of("config/mosquitto/acl")),
                "regenerate: tensd acl --devices config/mosquitto/fleet.yaml --out config/mosquitto/acl");
    }

    @Test
    void fleetErrorsNameFileLineAndPath() {
        ConfigException e = assertThrows(ConfigException.class, () -> Fleet.parse("f.yaml", new StringReader(
                "sites:\n  a: [host, d1]\n  b: [d1]\nclinicians:\n  x: [zz]\n")));
        String all = e.errors().toString();
        assertTrue(all.contains("f.yaml:2: sites.a[0]: 'host' is reserved"), all);
        assertTrue(all.contains("f.yaml:3: sites.b[0]: device d1 is already listed"), all);
        assertTrue(all.contains("f.yaml:5: clinicians.x[0]: unknown site zz"), all);
    }
}
