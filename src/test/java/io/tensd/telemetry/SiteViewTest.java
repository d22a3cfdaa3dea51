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
}
