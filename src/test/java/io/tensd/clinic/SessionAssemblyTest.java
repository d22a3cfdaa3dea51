package io.tensd.clinic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.telemetry.Journal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionAssemblyTest {
    @TempDir
    Path tmp;

    private List<StoredEvent> stored() throws Exception {
        List<StoredEvent> out = new ArrayList<>();
        for (Journal.Entry e : DevicePayloads.journal(tmp, "dev-1", DevicePayloads.session("s-9", 0, 2, 3))) {
            Inbound.Journaled j = (Inbound.Journaled) InboundParser.parse(DevicePayloads.topic("a", "dev-1", e.payload()), e.payload());
            out.add(new StoredEvent(j.seq(), j.type(), j.ts(), j.body()));
        }
        return out;
    }

    @Test
    void aCompleteSessionTakesItsFiguresFromTheSummaryAndCountsPosture() throws Exception {
        SessionRecord r = SessionAssembly.assemble("dev-1", "s-9", stored());
        assertTrue(r.complete());
        assertEquals("conventional", r.program());
        assertEquals("completed", r.endReason());
        assertEquals(9.0, r.minutes(), 1e-9);
        assertEquals(21.5, r.maxMa());
        assertEquals(8.0, r.heatMinutes(), 1e-9);
        assertEquals(39.4, r.maxSkinC());
        assertEquals(1, r.pauses());
        assertEquals(2, r.slouchAlerts());
        assertEquals(30_000, r.slouchHeldMs());
        assertEquals(3, r.exerciseReps());
        assertEquals(10, r.events());
        assertTrue(r.end().isAfter(r.start()) || r.end().equals(r.start()));
    }

    @Test
    void anInterruptedSessionHasNoSummaryFiguresButKeepsWhatItsEventsSay() throws Exception {
        List<StoredEvent> events = stored();
        List<StoredEvent> cut = new ArrayList<>(events.subList(0, 4));
        cut.add(new StoredEvent(99, "fault-raised", events.get(3).ts(),
                io.tensd.telemetry.Wire.JSON.readTree("{\"code\":\"skin-over-temp\"}")));
        SessionRecord r = SessionAssembly.assemble("dev-1", "s-9", cut);
        assertFalse(r.complete());
        assertNull(r.end());
        assertNull(r.maxMa());
        assertEquals("conventional", r.program());
        assertEquals(List.of("skin-over-temp"), r.faults());
        assertEquals(1, r.slouchAlerts());
    }

    @Test
    void arrivalOrderNeverChangesTheResult() throws Exception {
        List<StoredEvent> events = stored();
        SessionRecord expected = SessionAssembly.assemble("dev-1", "s-9", events);
        long seed = Long.getLong("tensd.seed", 77L);
        Random rnd = new Random(seed);
        for (int i = 0; i < 200; i++) {
            List<StoredEvent> shuffled = new ArrayList<>(events);
            Collections.shuffle(shuffled, rnd);
            assertEquals(expected, SessionAssembly.assemble("dev-1", "s-9", shuffled), "seed " + seed + " case " + i);
        }
    }
}
