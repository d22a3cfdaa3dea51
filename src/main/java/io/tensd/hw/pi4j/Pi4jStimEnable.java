package io.tensd.hw.pi4j;

import com.pi4j.io.gpio.digital.DigitalOutput;
import io.tensd.hw.EstopLine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The stimulator board's output-enable input, driven by the Pi. The board needs this line HIGH
 * and a live heartbeat lease to drive the electrodes; a pull-down keeps it LOW while the Pi boots.
 * Driven by the loop (write on change, never throws); held LOW while the e-stop interlock is active;
 * {@link #forceSafe} from any thread.
 */
public final class Pi4jStimEnable implements AutoCloseable {
    private final DigitalOutput line;
    private final Object lock = new Object();
    private final AtomicLong writeErrors = new AtomicLong();
    private volatile EstopLine interlock = () -> false;
    private boolean high = true; // not yet written: the constructor's forceSafe writes LOW

    public Pi4jStimEnable(DigitalOutput line) {
        this.line = line;
        forceSafe();
    }

    public void interlock(EstopLine line) { this.interlock = line; }

    public void drive(boolean enabled) {
        boolean on = enabled && !interlock.active();
        synchronized (lock) {
            if (on == high) {
                return;
            }
            try {
                if (on) {
                    line.high();
                } else {
                    line.low();
                }
                high = on;
            } catch (RuntimeException e) {
                writeErrors.incrementAndGet();
                setLow();
            }
        }
    }

    public void forceSafe() {
        synchronized (lock) {
            setLow();
        }
    }

    private void setLow() {
        try {
            line.low();
            high = false;
        } catch (RuntimeException e) {
            writeErrors.incrementAndGet();
        }
    }

    public boolean high() {
        synchronized (lock) {
            return high;
        }
    }

    public long writeErrors() { return writeErrors.get(); }

    @Override
    public void close() { forceSafe(); }
}
