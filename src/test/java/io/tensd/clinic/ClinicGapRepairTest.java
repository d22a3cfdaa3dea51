package io.tensd.clinic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.clinic.bench.SimDevice;
import io.tensd.clinic.collector.Collector;
import io.tensd.clinic.store.ClinicDb;
import io.tensd.clinic.store.ClinicStore;
import io.tensd.session.SessionEvent;
import io.tensd.telemetry.Journal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gap repair end to end, real mosquitto and PostgreSQL: a device whose journal says the broker took seq 1..10
 * (its cursor is at 10) while only 1, 2, 3 and 7 reached the clinic — what a broker does when it acknowledges
 * and then drops. The hole 4..6 (below a stored seq) and the tail 8..10 (known from the device's birth) are
 * asked for with the resend command and stored from the device's journal; nothing is left open.
 */
class ClinicGapRepairTest {
    @TempDir
    Path tmp;

    @Test
    void eventsTheBrokerDroppedAreAskedForAgainAndStored() throws Exception {
        try (ClinicMosquitto broker = new ClinicMosquitto(); ClinicDb db = ClinicDb.open(TestPg.freshDatabase(), 4)) {
            ClinicStore store = new ClinicStore(db.dataSource());
            Collector c = new Collector(Collector.Settings.defaults(broker.url(), "clinic-repair", "g-repair")
                    .withGapRepair(Duration.ofSeconds(1)), store);
            c.start();
            ClinicCollectorTest.waitFor("collector connected", () -> c.stats().connected(), 15);
            Thread.sleep(300);
            SimDevice dev = new SimDevice("site-r", "dev-r", tmp.resolve("journal"), broker.url());
            try {
                List<SessionEvent> session = DevicePayloads.session("dev-r-s1", 0, 2, 3);
                for (SessionEvent e : session) dev.emit(e);
                assertTrue(dev.sink().awaitIdle(Duration.ofSeconds(5)));
                assertEquals(10, dev.sink().journal().durableSeq(), "the session is 10 journaled entries");
                dev.sink().journal().acknowledge(10); // the broker acknowledged all of them ...
                List<Journal.Entry> all = dev.sink().fetch(1, 100);
                List<Journal.Entry> reached = new ArrayList<>();
                for (Journal.Entry e : all) if (e.seq() <= 3 || e.seq() == 7) reached.add(e);
                MqttClient pub = new MqttClient(broker.url(), "pub-r", new MemoryPersistence());
                pub.connect(new MqttConnectionOptions());
                for (Journal.Entry e : reached) { // ... and delivered only these
                    pub.publish(DevicePayloads.topic("site-r", "dev-r", e.payload()), new MqttMessage(e.payload(), 1, false, null));
                }
                pub.disconnect();
                pub.close();
                ClinicCollectorTest.waitFor("4 stored", () -> count(store) == 4, 20);
                assertEquals(1, store.totals().openGaps(), "4..6 is open");

                dev.connect(); // nothing to replay (its cursor is at 10); its birth says lastSeq 10
                ClinicCollectorTest.waitFor("seq 1..10 stored by repair", () -> storedSeqs(db).containsAll(
                        List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L)), 30);
                ClinicCollectorTest.waitFor("no open gap", () -> {
                    try {
                        return store.totals().openGaps() == 0 && storedSeqs(db).size() == dev.journaledSeqs().size();
                    } catch (Exception e) {
                        return false;
                    }
                }, 30);
                assertTrue(c.resendRequests() >= 1, "asked at least once");
                assertTrue(dev.eventsResent() >= 6, "the device published 4..6 and 8..10 again: " + dev.eventsResent());
                ClinicStore.DeviceRow row = store.devices().get(0);
                assertEquals(c.resendRequests(), row.resendRequests(), "counted per device for /api/devices");
                assertTrue(row.contiguousSeq() >= 10, "contiguous " + row.contiguousSeq());
                assertTrue(replayed(db, 4) && replayed(db, 9), "re-published entries carry replayed: true");
                assertEquals(storedSeqs(db), dev.journaledSeqs(), "every journaled entry once (with the resend answers)");
            } finally {
                dev.close();
                c.close();
            }
        }
    }

    private static long count(ClinicStore s) {
        try {
            return s.totals().events();
        } catch (Exception e) {
            return -1;
        }
    }

    private static List<Long> storedSeqs(ClinicDb db) {
        List<Long> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT seq FROM events WHERE device_id = 'dev-r' ORDER BY seq");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getLong(1));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static boolean replayed(ClinicDb db, long seq) throws Exception {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT replayed FROM events WHERE device_id = 'dev-r' AND seq = ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
