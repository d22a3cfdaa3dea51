package io.tensd.hw.pi4j;

import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.pwm.Pwm;
import io.tensd.hw.EstopLine;
import io.tensd.hw.HeaterOutput;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The heat pad's two switches as Pi4J outputs: hardware PWM into the pad MOSFET and the enable line
 * (which the board ANDs with its heartbeat lease before it reaches the second MOSFET). Both start and
 * end LOW / duty 0; current flows only while both are on.
 *
 * <p>{@link #drive} is called by the loop every tick: it writes only on change (duty quantised to
 * 0.1 %), never logs, never throws — a failed write is counted in {@link #writeErrors()} and the
 * enable line is pulled LOW. While the e-stop interlock is active the outputs stay off whatever the
 * loop asks: a tick that was computed just before the e-stop cannot switch the pad back on.
 * {@link #forceSafe} may be called from any thread; one lock orders it with {@link #drive}.
 */
public final class Pi4jHeater implements HeaterOutput, AutoCloseable {
    public static final int PWM_FREQUENCY_HZ = 1000;
    private static final double DUTY_STEP_PERCENT = 0.1;

    private final Pwm pwm;
    private final DigitalOutput enable;
    private final Object lock = new Object();
    private final AtomicLong writeErrors = new AtomicLong();
    private volatile EstopLine interlock = () -> false;
    private boolean enableHigh;
    private double appliedPercent;
    /** False until both lines have been written LOW once; forces the first (and the closing) write. */
    private boolean initialised;

    public Pi4jHeater(Pwm pwm, DigitalOutput enable) {
        this.pwm = pwm;
        this.enable = enable;
        forceSafe();
    }

    /** While {@code line} is active the heater is held off (wired by {@link Pi4jDevice} to the e-stop input). */
    public void interlock(EstopLine line) { this.interlock = line; }

    /** Duty in [0, 1]; NaN and negatives are 0, above 1 is 1. */
    public static double clampDuty(double duty) {
        if (!(duty > 0)) {
            return 0;
        }
        return Math.min(1.0, duty);
    }

    @Override
    public void drive(boolean enabled, double duty) {
        double percent = Math.round(clampDuty(duty) * 100.0 / DUTY_STEP_PERCENT) * DUTY_STEP_PERCENT;
        boolean on = enabled && percent > 0 && !interlock.active();
        synchronized (lock) {
            if (!on) {
                off();
                return;
            }
            try {
                if (percent != appliedPercent) {
                    pwm.on(percent);
                    appliedPercent = percent;
                }
                if (!enableHigh) {
                    enable.high();
                    enableHigh = true;
                }
            } catch (RuntimeException e) {
                writeErrors.incrementAndGet();
                off();
            }
        }
    }

    @Override
    public void forceSafe() {
        synchronized (lock) {
            off();
        }
    }

    /** Enable first (it is the series switch), then the PWM; each attempted even if the other fails. */
    private void off() {
        if (enableHigh || appliedPercent != 0 || !initialised) {
            try {
                enable.low();
                enableHigh = false;
            } catch (RuntimeException e) {
                writeErrors.incrementAndGet();
            }
            try {
                pwm.off();
                appliedPercent = 0;
            } catch (RuntimeException e) {
                writeErrors.incrementAndGet();
            }
            initialised = true;
        }
    }

    public boolean enableHigh() {
        synchronized (lock) {
            return enableHigh;
        }
    }

    /** Duty cycle last written, in percent (0 when off). */
    public double appliedPercent() {
        synchronized (lock) {
            return appliedPercent;
        }
    }

    public long writeErrors() { return writeErrors.get(); }

    @Override
    public void close() {
        synchronized (lock) {
            initialised = false; // force the writes even if we believe we are off
            off();
        }
    }
}
