package io.tensd.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Eight virtual hours of back-to-back sessions on one controller; the heap after GC must stay flat. */
class SoakTest {
    @Test
    void eightHoursOfSessionsDoNotGrowTheHeap() {
        Soak.Result r = Soak.run(8.0, 30);
        System.out.printf("soak: %d sessions, %.1f virtual h in %d ms wall, end state %s%n%s", r.sessions(),
                r.virtualMs() / 3.6e6, r.wallMs(), r.endState(), r.table());
        int expected = (int) Math.floor(8.0 * 60 / Soak.SPACING_MINUTES);
        assertEquals(expected, r.sessions(), "every session of the soak must complete normally, none may abort, hang or fault");
        assertEquals("COMPLETE", r.endState());
        assertTrue(r.virtualMs() >= 8 * 3_600_000L, "soak shorter than 8 h: " + r.virtualMs() + " ms");
        List<Soak.Sample> s = r.samples();
        assertTrue(s.size() >= 10, "too few heap samples: " + s.size());
        // Compare the last third with the first third (after the first session warmed everything up).
        long early = s.subList(2, 2 + s.size() / 3).stream().mapToLong(Soak.Sample::heapAfterGcBytes).max().orElseThrow();
        long late = s.subList(s.size() - s.size() / 3, s.size()).stream().mapToLong(Soak.Sample::heapAfterGcBytes).min().orElseThrow();
        long growth = late - early;
        assertTrue(growth < 2L * 1024 * 1024, "heap after GC grew by " + growth / 1024 + " KiB over the soak:\n" + r.table());
    }
}
