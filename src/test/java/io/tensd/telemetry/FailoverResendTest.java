package io.tensd.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FailoverResendTest {
    private static final long S = 1_000_000_000L;
    private static final String A = "tcp://a:1883";
    private static final String B = "tcp://b:1883";

    @Test
    void aReconnectToTheSameBrokerResendsNothing() {
        FailoverResend f = new FailoverResend();
        f.start(0, 0);
        assertEquals(1, f.connected(A, 1, 1, 1 * S), "the first connection has no broker to fail over from");
        f.acked(2 * S, 50);
        f.lost(3 * S);
        assertEquals(51, f.connected(A, 51, 1, 4 * S), "the same broker kept what it acknowledged");
    }

    @Test
    void aSwitchResendsWhatTheOldBrokerAcknowledgedShortlyBeforeTheConnectionWasLost() {
        FailoverResend f = new FailoverResend();
        f.start(0, 0);
        f.connected(A, 1, 1, 0);
        f.acked(1 * S, 10);
        f.acked(20 * S, 30);
        f.lost(25 * S);
        assertEquals(11, f.connected(B, 31, 1, 40 * S), "acked within 10 s before the loss (at 20 s): 11..30 again");
        assertEquals(31, f.connected(B, 31, 1, 41 * S), "back on the same broker: nothing more");
    }

    @Test
    void neverBeforeTheFirstStoredSeqNorAfterTheNextOne() {
        FailoverResend f = new FailoverResend();
        f.start(0, 0);
        f.connected(A, 1, 1, 0);
        f.acked(15 * S, 30);
        f.lost(16 * S);
        assertEquals(21, f.connected(B, 31, 21, 17 * S), "seqs trimmed from the journal cannot be sent again");

        FailoverResend g = new FailoverResend();
        g.start(0, 0);
        g.connected(A, 1, 1, 0);
        g.acked(1 * S, 10);
        g.acked(20 * S, 30);
        g.lost(25 * S);
        assertEquals(5, g.connected(B, 5, 1, 26 * S), "already behind the resend point (11): unchanged");
    }
}
