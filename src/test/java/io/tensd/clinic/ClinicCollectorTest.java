package io.tensd.clinic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.clinic.collector.Collector;
import io.tensd.clinic.store.ClinicDb;
import io.tensd.clinic.store.ClinicStore;
import io.tensd.telemetry.Journal;
import io.tensd.telemetry.TcpProxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The collector between a real mosquitto and a real PostgreSQL. */
class ClinicCollectorTest {
    static ClinicMosquitto broker;

    @TempDir
    Path tmp;

    @BeforeAll
    static void up() throws Exception {
        broker = new ClinicMosquitto();
    }

    @AfterAll
    static void down() throws Exception {
        broker.close();
    }

    private static String jdbcThrough(TcpProxy proxy, String url) {
        return url.replaceFirst("127\\.0\\.0\\.1:\\d+", "127.0.0.1:" + proxy.port());
    }

    /** Real device payloads of {@code sessions} sessions, 10 per session, seq 1..10·sessions. */
    private List<Journal.Entry> payloads(String device, int sessions) throws Exception {
        List<io.tensd.session.SessionEvent> events = new ArrayList<>();
        for (int s = 0; s < sessions; s++) events.addAll(DevicePayloads.session(device + "-s" + s, s * 1_000_000_000_000L, 2, 3));
        return DevicePayloads.journal(tmp.resolve("j-" + device), device, events);
    }

    private static MqttClient publisher(String id) throws Exception {
        MqttClient c = new MqttClient(broker.url(), id, new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        c.connect(o);
        return c;
    }

    private static void publish(MqttClient c, String device, List<Journal.Entry> entries) throws Exception {
        for (Journal.Entry e : entries) {
            c.publish(DevicePayloads.topic("site-t", device, e.payload()), new MqttMessage(e.payload(), 1, false, null));
        }
    }

    private static Collector collector(String id, String group, ClinicStore store) throws Exception {
        Collector c = new Collector(Collector.Settings.defaults(broker.url(), id, group), store);
        c.start();
        waitFor("collector " + id + " connected", () -> c.stats().connected(), 15);
        Thread.sleep(300); // its SUBSCRIBE is sent right after the CONNACK
        return c;
    }

    static void waitFor(String what, BooleanSupplier cond, int seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(50);
        }
    }

    private static long events(ClinicStore s) {
        try {
            return s.totals().events();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void duplicatesBecomeOneRowAndBadPayloadsAreCountedNotBlocking() throws Exception {
        try (ClinicDb db = ClinicDb.open(TestPg.freshDatabase(), 4)) {
            ClinicStore store = new ClinicStore(db.dataSource());
            Collector c = collector("clinic-dup", "g-dup", store);
            List<Journal.Entry> entries = payloads("dev-dup", 2);
            MqttClient pub = publisher("pub-dup");
            try {
                publish(pub, "dev-dup", entries.subList(0, 5));
                pub.publish("tensd/v1/site-t/dev-dup/event", new MqttMessage("{not json".getBytes(StandardCharsets.UTF_8), 1, false, null));
                pub.publish("tensd/v1/site-t/dev-dup/event", new MqttMessage(
                        "{\"schema\":\"tensd.event.v1\",\"deviceId\":\"dev-dup\"}".getBytes(StandardCharsets.UTF_8), 1, false, null));
                publish(pub, "dev-dup", entries);
                publish(pub, "dev-dup", entries.subList(3, 12));
                waitFor("20 events stored", () -> events(store) == 20 && c.stats().rejected() == 2, 30);
                Thread.sleep(500);
                ClinicStore.Totals t = store.totals();
                assertEquals(20, t.events());
                assertEquals(2, t.sessions());
                assertEquals(2, t.rejects());
                assertEquals(0, t.openGaps());
                assertEquals(14, c.stats().duplicates());
                assertTrue(c.stats().connected());
                waitFor("every message acknowledged", () -> c.stats().acked() == 36, 10);
            } finally {
                pub.disconnect();
                c.close();
            }
        }
    }

    /**
     * The database goes away: nothing is acknowledged, the broker keeps the messages; the collector is stopped
     * while they are unwritten and a new process with the same client id gets them again; then a second outage
     * is ridden out by the running collector, which catches up by itself.
     */
    @Test
    void databaseOutageStopsAcksAndNothingIsLostAcrossARestartOrACatchUp() throws Exception {
        String url = TestPg.freshDatabase();
        try (ClinicDb direct = ClinicDb.open(url, 2); TcpProxy dbProxy = new TcpProxy(TestPg.server().port())) {
            ClinicStore check = new ClinicStore(direct.dataSource());
            List<Journal.Entry> entries = payloads("dev-out", 9);
            MqttClient pub = publisher("pub-out");
            ClinicDb viaProxy = ClinicDb.open(jdbcThrough(dbProxy, url), 4);
            Collector first = collector("clinic-out", "g-out", new ClinicStore(viaProxy.dataSource()));
            publish(pub, "dev-out", entries.subList(0, 30));
            waitFor("30 stored", () -> events(check) == 30, 30);
            waitFor("30 acked", () -> first.stats().acked() == 30, 10);

            dbProxy.cut();
            publish(pub, "dev-out", entries.subList(30, 60));
            waitFor("the write to fail", () -> first.stats().dbFailures() > 0, 30);
            Thread.sleep(1000);
            assertEquals(30, first.stats().acked(), "nothing acknowledged while the database is down");
            assertEquals(30, events(check));
            first.close(); // the process ends with 30 messages received, unwritten, unacknowledged
            viaProxy.close();

            dbProxy.restore();
            ClinicDb again = ClinicDb.open(jdbcThrough(dbProxy, url), 4);
            Collector second = collector("clinic-out", "g-out", new ClinicStore(again.dataSource()));
            waitFor("60 stored after the restart", () -> events(check) == 60, 60);

            dbProxy.cut();
            publish(pub, "dev-out", entries.subList(60, 90));
            waitFor("the write to fail", () -> second.stats().dbFailures() > 0, 30);
            dbProxy.restore();
            waitFor("90 stored after the catch-up", () -> events(check) == 90, 60);
            Thread.sleep(500);
            ClinicStore.Totals t = check.totals();
            assertEquals(90, t.events());
            assertEquals(9, t.sessions());
            assertEquals(0, t.openGaps());
            assertEquals(90, check.devices().get(0).contiguousSeq());
            pub.disconnect();
            second.close();
            again.close();
        }
    }
}
