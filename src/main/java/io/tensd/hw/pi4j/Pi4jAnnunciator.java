package io.tensd.hw.pi4j;

import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import io.tensd.hw.Annunciator;
import io.tensd.loop.Clock;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Haptic motor and status LED on two GPIO outputs. {@link #haptic} and {@link #led} only store the
 * request (two volatile writes, safe from the loop thread); a 40 Hz ticker thread of its own turns
 * the request into pin levels with the pure functions {@link #hapticOn} and {@link #ledOn}, writing
 * a pin only when its level changes. A new haptic pattern replaces the one playing.
 *
 * <p>Patterns (on/off milliseconds): SLOUCH two short buzzes, ALERT three longer ones, FAULT one
 * second continuous, CONFIRM one 80 ms tick. LED: IDLE a 100 ms blink every 2 s, RUNNING steady,
 * PAUSED 1 Hz blink, FAULT 4 Hz blink.
 */
public final class Pi4jAnnunciator implements Annunciator, AutoCloseable {
    static final long TICK_MILLIS = 25;

    private record Playing(Haptic pattern, long startNanos) { }

    private final DigitalOutput motor;
    private final DigitalOutput ledPin;
    private final Clock clock;
    private final ScheduledExecutorService ticker;
    private volatile Playing playing;
    private volatile Led led = Led.OFF;
    /** Level last written; null = unknown, so the next tick writes whatever it wants. */
    private Boolean motorHigh;
    private Boolean ledHigh;

    public Pi4jAnnunciator(DigitalOutput motor, DigitalOutput ledPin, Clock clock) {
        this.motor = motor;
        this.ledPin = ledPin;
        this.clock = clock;
        this.playing = new Playing(Haptic.NONE, clock.nanos());
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tensd-annunciator");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void haptic(Haptic pattern) {
        playing = new Playing(pattern == null ? Haptic.NONE : pattern, clock.nanos());
    }

    @Override
    public void led(Led state) {
        led = state == null ? Led.OFF : state;
    }

    /** On/off segments in ms, starting with "on". */
    static long[] segments(Haptic pattern) {
        return switch (pattern) {
            case NONE -> new long[0];
            case SLOUCH -> new long[] {200, 150, 200};
            case ALERT -> new long[] {300, 200, 300, 200, 300};
            case FAULT -> new long[] {1000};
            case CONFIRM -> new long[] {80};
        };
    }

    /** Whether the motor runs {@code elapsedMillis} after {@code pattern} started. */
    public static boolean hapticOn(Haptic pattern, long elapsedMillis) {
        if (elapsedMillis < 0) {
            return false;
        }
        long t = 0;
        long[] seg = segments(pattern);
        for (int i = 0; i < seg.length; i++) {
            t += seg[i];
            if (elapsedMillis < t) {
                return i % 2 == 0;
            }
        }
        return false;
    }

    /** Whether the LED is lit at {@code millis} (any monotonic origin). */
    public static boolean ledOn(Led state, long millis) {
        return switch (state) {
            case OFF -> false;
            case IDLE -> Math.floorMod(millis, 2000) < 100;
            case RUNNING -> true;
            case PAUSED -> Math.floorMod(millis, 1000) < 500;
            case FAULT -> Math.floorMod(millis, 250) < 125;
        };
    }

    private void tick() {
        try {
            long now = clock.nanos();
            Playing p = playing;
            boolean wantMotor = hapticOn(p.pattern(), (now - p.startNanos()) / 1_000_000);
            boolean wantLed = ledOn(led, now / 1_000_000);
            if (motorHigh == null || wantMotor != motorHigh) {
                motor.state(wantMotor ? DigitalState.HIGH : DigitalState.LOW);
                motorHigh = wantMotor;
            }
            if (ledHigh == null || wantLed != ledHigh) {
                ledPin.state(wantLed ? DigitalState.HIGH : DigitalState.LOW);
                ledHigh = wantLed;
            }
        } catch (RuntimeException e) {
            // an indicator failing must not stop the ticker; the next tick writes both pins again
            motorHigh = null;
            ledHigh = null;
        }
    }

    /** Stops the ticker and leaves both pins LOW. */
    @Override
    public void close() {
        ticker.shutdown();
        try {
            ticker.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            motor.low();
        } catch (RuntimeException ignored) {
            // best effort; shutdown(LOW) in the Pi4J config is the second chance
        }
        try {
            ledPin.low();
        } catch (RuntimeException ignored) {
            // as above
        }
    }
}
