package io.tensd.hw.pi4j;

import com.pi4j.io.gpio.digital.DigitalState;
import io.tensd.hw.Annunciator.Haptic;
import io.tensd.hw.Annunciator.Led;
import io.tensd.loop.VirtualClock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Pi4jAnnunciatorTest {
    @Test
    void patternsAsDocumented() {
        assertTrue(Pi4jAnnunciator.hapticOn(Haptic.SLOUCH, 0));
        assertFalse(Pi4jAnnunciator.hapticOn(Haptic.SLOUCH, 250));
        assertTrue(Pi4jAnnunciator.hapticOn(Haptic.SLOUCH, 400));
        assertFalse(Pi4jAnnunciator.hapticOn(Haptic.SLOUCH, 550));
        assertTrue(Pi4jAnnunciator.hapticOn(Haptic.FAULT, 999));
        assertFalse(Pi4jAnnunciator.hapticOn(Haptic.FAULT, 1000));
        assertFalse(Pi4jAnnunciator.hapticOn(Haptic.NONE, 0));
        for (Haptic h : Haptic.values()) {
            assertFalse(Pi4jAnnunciator.hapticOn(h, 60_000), h + " ends");
        }
        assertTrue(Pi4jAnnunciator.ledOn(Led.RUNNING, 123));
        assertFalse(Pi4jAnnunciator.ledOn(Led.OFF, 123));
        assertTrue(Pi4jAnnunciator.ledOn(Led.PAUSED, 2_400));
        assertFalse(Pi4jAnnunciator.ledOn(Led.PAUSED, 2_600));
        assertTrue(Pi4jAnnunciator.ledOn(Led.IDLE, 4_050));
        assertFalse(Pi4jAnnunciator.ledOn(Led.IDLE, 4_150));
    }

    @Test
    void playsOnItsOwnThreadAndCallsReturnAtOnce() throws InterruptedException {
        try (MockPi mock = new MockPi()) {
            var motor = Pi4jIo.output(mock.pi4j, "m", "m", 13);
            var led = Pi4jIo.output(mock.pi4j, "l", "l", 6);
            VirtualClock clock = new VirtualClock(0); // patterns follow this clock; the ticker thread runs in real time
            try (Pi4jAnnunciator a = new Pi4jAnnunciator(motor, led, clock)) {
                long t0 = System.nanoTime();
                a.haptic(Haptic.FAULT);
                a.led(Led.RUNNING);
                assertTrue(System.nanoTime() - t0 < 5_000_000L, "non-blocking");
                waitFor(() -> motor.state() == DigitalState.HIGH && led.state() == DigitalState.HIGH);
                clock.advance(999_000_000L);
                Thread.sleep(4 * Pi4jAnnunciator.TICK_MILLIS);
                assertEquals(DigitalState.HIGH, motor.state(), "FAULT buzz lasts 1 s");
                clock.advance(1_000_000L);
                waitFor(() -> motor.state() == DigitalState.LOW);
                assertEquals(DigitalState.HIGH, led.state());
                a.haptic(Haptic.ALERT);
            }
            assertEquals(DigitalState.LOW, motor.state(), "close stops the motor mid-pattern");
            assertEquals(DigitalState.LOW, led.state());
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(5);
        }
    }
}
