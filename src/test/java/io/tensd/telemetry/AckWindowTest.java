package io.tensd.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AckWindowTest {
    private static final long S = 1_000_000_000L;

    @Test
    void resendsWhatWasAcknowledgedWithinTheWindowBeforeTheSwitch() {
        AckWindow w = new AckWindow(10 * S, 0, 4);      // 1..4 acknowledged before start
        assertEquals(5, w.resendFrom(3 * S), "nothing acknowledged since: from the next seq");
        w.acked(1 * S, 10);
        w.acked(2 * S, 20);
        w.acked(15 * S, 30);
        w.acked(16 * S, 40);
        assertEquals(21, w.resendFrom(20 * S), "acked at 15 s and 16 s are within 10 s of a switch at 20 s");
        assertEquals(31, w.resendFrom(25 * S + S / 2), "only the 16 s ack is within the window");
        assertEquals(41, w.resendFrom(40 * S), "a switch long after the last ack resends nothing");
    }

    @Test
    void keepsTheWatermarkFromBeforeTheWindowWhenTrimming() {
        AckWindow w = new AckWindow(10 * S, 0, 0);
        for (int i = 1; i <= 1000; i++) w.acked(i * S / 10, i);   // one ack per 100 ms for 100 s
        assertEquals(901, w.resendFrom(100 * S), "the last 10 s: seqs acked after 90 s");
        assertEquals(1, new AckWindow(10 * S, 50 * S, 0).resendFrom(51 * S), "from the start if nothing was acked yet");
    }

    @Test
    void aWatermarkThatDoesNotRiseAddsNothing() {
        AckWindow w = new AckWindow(10 * S, 0, 7);
        w.acked(5 * S, 7);
        w.acked(6 * S, 3);
        assertEquals(8, w.resendFrom(6 * S));
    }
}
