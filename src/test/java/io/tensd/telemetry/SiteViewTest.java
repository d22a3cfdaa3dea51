package io.tensd.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SiteViewTest {
    static byte[] event(long seq) {
        return ("{\"schema\":\"tensd.event.v1\",\"deviceId\":\"d1\",\"sessionId\":\"s\",\"ts\":\"2025-01-01T00:00:00Z\",\"monoMs\":1,"
                + "\"seq\":" + seq + ",\"type\":\"slouch-alert\",\"data\":{}}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void gapsAndDuplicatesAreCountedWhateverTheArrivalOrder() {
        long seed = new Random().nextLong();
        Random rnd = new Random(seed);
        for (int round = 0; round < 500; round++) {
            SiteView v = new SiteView();
            int n = 1 + rnd.nextInt(200);
            List<Long> sent = new ArrayList<>();
            int missing = 0;
            for (long s = 1; s <= n; s++) {
                if (s < n && rnd.nextInt(10) == 0) { missing++; continue; } // the last one always arrives
                sent.add(s);
            }
            int dups = rnd.nextInt(5);
            for (int i = 0; i < dups; i++) sent.add(sent.get(rnd.nextInt(sent.size())));
            Collections.shuffle(sent, rnd);
            for (long s : sent) v.accept("tensd/v1/site/d1/event", event(s), 0);
            SiteView.SeqTracker t = v.devices().get("d1").seq();
            assertEquals(missing, t.missing(), "seed " + seed);
            assertEquals(dups, t.duplicates(), "seed " + seed);
            assertEquals(n, t.highest(), "seed " + seed);
        }
    }

    @Test
    void tableShowsTelemetryAndStatus() {
        SiteView v = new SiteView();
        v.accept("tensd/v1/site/d1/status", "{\"state\":\"online\"}".getBytes(), 0);
        v.accept("tensd/v1/site/d1/telemetry", ("{\"state\":\"running\",\"intensitySetMilliAmps\":20.0,\"skinCelsius\":36.4,"
                + "\"postureClass\":\"slouched\",\"faults\":[]}").getBytes(), 1000);
        String line = v.accept("tensd/v1/site/d1/event", event(1), 1500);
        assertTrue(line.contains("slouch-alert") && line.contains("seq=1"), line);
        assertTrue(v.accept("tensd/v1/site/d1/event", event(1), 1600).contains("DUPLICATE"));
        String table = v.render(3000);
        assertTrue(table.contains("online") && table.contains("running") && table.contains("20.0") && table.contains("36.4")
                && table.contains("slouched"), table);
        assertFalse(table.contains("null"), table);
    }

    static byte[] telemetry(String state, long ackedSeq) {
        return ("{\"schema\":\"tensd.telemetry.v1\",\"sessionId\":\"s\",\"state\":\"" + state + "\",\"faults\":[],"
                + "\"journal\":{\"lastSeq\":" + ackedSeq + ",\"ackedSeq\":" + ackedSeq + "}}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void joiningMidSessionIsNotAGap() {
        SiteView v = new SiteView();
        v.accept("tensd/v1/site/d1/telemetry", telemetry("ACTIVE", 41), 0);
        v.accept("tensd/v1/site/d1/event", event(42), 10);
        v.accept("tensd/v1/site/d1/event", event(43), 20);
        SiteView.SeqTracker t = v.devices().get("d1").seq();
        assertEquals(0, t.missing());
        assertEquals(43, t.highest());
        // a real gap after joining still counts
        v.accept("tensd/v1/site/d1/event", event(45), 30);
        assertEquals(1, t.missing());
    }

    @Test
    void anEventJustBeforeTheFirstTelemetryIsNotAGapEither() {
        SiteView v = new SiteView();
        v.accept("tensd/v1/site/d1/event", event(42), 0);
        v.accept("tensd/v1/site/d1/telemetry", telemetry("ACTIVE", 42), 10);
        assertEquals(0, v.devices().get("d1").seq().missing());
    }

    @Test
    void aSessionThatEndsShowsCompleteAndItsSummary() {
        SiteView v = new SiteView();
        v.accept("tensd/v1/site/d1/telemetry", telemetry("RAMP_DOWN", 9), 0);
        v.accept("tensd/v1/site/d1/session/summary", ("{\"schema\":\"tensd.session-summary.v1\",\"sessionId\":\"s-7\","
                + "\"seq\":10,\"type\":\"session-summary\",\"summary\":{\"endReason\":\"completed\",\"deliveredMs\":600000,"
                + "\"meanMa\":18.31,\"maxSkinC\":40.16,\"pauses\":2,\"faults\":[]}}").getBytes(StandardCharsets.UTF_8), 10);
        String table = v.render(20);
        String row = table.lines().filter(l -> l.startsWith("d1")).findFirst().orElseThrow();
        assertTrue(row.contains(" COMPLETE "), table);
        assertTrue(table.contains("session s-7 COMPLETE (completed): delivered 10.0 min, mean 18.3 mA, max skin 40.2 °C, "
                + "pauses 2, faults none"), table);
        // the next session's telemetry shows its own state again
        v.accept("tensd/v1/site/d1/telemetry", telemetry("PRECHECK", 11), 30);
        assertTrue(v.render(40).lines().filter(l -> l.startsWith("d1")).findFirst().orElseThrow().contains(" PRECHECK "));
    }
}
