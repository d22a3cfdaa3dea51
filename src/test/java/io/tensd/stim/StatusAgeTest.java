package io.tensd.stim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatusAgeTest {
    private static final long MS = 1_000_000L;

    @Test
    void aLateStatusIsDatedWhenSentAFreshOneWhenReceived() {
        StatusAge a = new StatusAge();
        assertEquals(1_000 * MS, a.sentAt(1_000 * MS, 5));
        assertEquals(1_010 * MS, a.sentAt(1_010 * MS, 15));
        // sent 150 ms before it arrived (the offset may creep by 1000 ppm of the 160 ms elapsed: 0.16 ms)
        assertEquals(1_020 * MS, a.sentAt(1_170 * MS, 25), 200_000, "dated when sent");
    }

    @Test
    void uptimeWrapsAfter49DaysWithoutAJump() {
        StatusAge a = new StatusAge();
        a.sentAt(0, -10);                           // 0xFFFFFFF6 ms
        assertEquals(20 * MS, a.sentAt(20 * MS, 10), "20 ms later across the u32 wrap");
    }

    @Test
    void aSlowBoardClockWithinTheDriftAllowanceNeverLooksLate() {
        StatusAge a = new StatusAge();
        long rx = 0;
        int up = 0;
        for (int i = 0; i < 360_000; i++) {         // an hour of 10 ms statuses, board clock 200 ppm slow
            rx += 10 * MS;
            up = (int) Math.round(rx / 1e6 * (1 - 200e-6));
            long sent = a.sentAt(rx, up);
            assertTrue(rx - sent <= 2 * MS, "looked " + (rx - sent) / 1e6 + " ms old after " + rx / 1e9 + " s");
        }
    }

    @Test
    void aBoardRepeatingAStuckUptimeAgesInsteadOfLookingFresh() {
        StatusAge a = new StatusAge();
        a.sentAt(0, 100);
        assertEquals(0, a.sentAt(500 * MS, 100) / MS, "same uptime half a second later: still the old STATUS");
    }
}
