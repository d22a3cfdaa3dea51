package io.tensd.hw.pi4j;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import io.tensd.config.DeviceConfig;
import io.tensd.hw.Button;
import io.tensd.hw.EstopLine;
import io.tensd.session.CommandGateway;
import io.tensd.session.CommandOutcome;
import io.tensd.session.SessionCommand;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The patient's buttons and the emergency stop, as Pi4J inputs.
 *
 * <p>Buttons close to GND (pull-ups hold them HIGH; pressed = LOW). Pi4J debounces them
 * ({@link Timing#buttonDebounceMicros}); presses become {@code SessionCommand.Press(button, LOCAL)}
 * through the {@link CommandGateway}:
 * <ul>
 *   <li>UP, DOWN: one step per press, at press-down. No auto-repeat: intensity rises only as fast as
 *       the patient presses.</li>
 *   <li>STOP: STOP at press-down; still held after {@link Timing#clearHoldMillis} (3 s) → also CLEAR,
 *       the technician's local acknowledgement of a latched fault.</li>
 *   <li>PAUSE: RUNNING → PAUSE at press-down; PAUSED → RESUME at press-down; IDLE → START only when
 *       held for {@link Timing#startHoldMillis} (1 s), so a bumped button never starts stimulation;
 *       phase UNKNOWN (no {@link PhaseSource} wired) → PAUSE at press-down and START on the hold,
 *       and the loop refuses whichever does not apply.</li>
 * </ul>
 *
 * <p>The e-stop is a normally-closed contact to GND with a pull-up: pressed (contact open) or a
 * broken wire reads HIGH = active. Its listener, on the Pi4J event thread, first records the level,
 * then runs {@code makeSafe} (outputs off at once, before any loop tick), then submits ESTOP.
 * Release submits ESTOP_RELEASE; the loop decides what that permits (a latched fault still needs CLEAR).
 */
public final class Pi4jButtons implements EstopLine, AutoCloseable {
    public enum Phase { UNKNOWN, IDLE, RUNNING, PAUSED }

    /** Where the session stands, for the pause button; the lead wires it from the loop's status. */
    @FunctionalInterface
    public interface PhaseSource {
        Phase phase();

        PhaseSource UNKNOWN = () -> Phase.UNKNOWN;
    }

    public record Timing(long buttonDebounceMicros, long estopDebounceMicros, long startHoldMillis, long clearHoldMillis) {
        public static Timing defaults() { return new Timing(20_000, 1_000, 1_000, 3_000); }
    }

    public static final String ID_PREFIX = "tensd-button-";

    private final Context pi4j;
    private final CommandGateway gateway;
    private final Runnable makeSafe;
    private final PhaseSource phase;
    private final Timing timing;
    private final ScheduledExecutorService holds;
    private final List<String> ids = new ArrayList<>();
    private final DigitalInput estopInput;
    private volatile boolean estopActive;
    private volatile CommandOutcome lastOutcome;
    private ScheduledFuture<?> pauseHold;
    private ScheduledFuture<?> stopHold;
    private final Consumer<CommandOutcome> reply = outcome -> lastOutcome = outcome; // runs on the loop thread: no logging

    public Pi4jButtons(Context pi4j, DeviceConfig.Hardware hw, CommandGateway gateway, Runnable makeSafe,
                       PhaseSource phase, Timing timing) {
        this.pi4j = pi4j;
        this.gateway = gateway;
        this.makeSafe = makeSafe;
        this.phase = phase;
        this.timing = timing;
        this.holds = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tensd-button-hold");
            t.setDaemon(true);
            return t;
        });
        // e-stop first, so the outputs are covered before any button can ask for anything
        this.estopInput = input("estop", "e-stop (NC contact, HIGH = stop)", hw.estopPin(), timing.estopDebounceMicros());
        estopInput.addListener(e -> onEstopLevel(e.state()));
        onEstopLevel(estopInput.state());
        button("up", "intensity up", hw.buttonUpPin(), this::onUp);
        button("down", "intensity down", hw.buttonDownPin(), this::onDown);
        button("pause", "pause / start", hw.buttonPausePin(), this::onPause);
        button("stop", "stop (hold 3 s: clear)", hw.buttonStopPin(), this::onStop);
    }

    @Override
    public boolean active() { return estopActive; }

    /** The loop's answer to the last press (diagnostics only). */
    public CommandOutcome lastOutcome() { return lastOutcome; }

    private DigitalInput input(String key, String name, int pin, long debounceMicros) {
        String id = ID_PREFIX + key;
        DigitalInput in = Pi4jIo.input(pi4j, id, name, pin, PullResistance.PULL_UP, debounceMicros);
        ids.add(id);
        return in;
    }

    private void button(String key, String name, int pin, Consumer<Boolean> onChange) {
        DigitalInput in = input(key, name, pin, timing.buttonDebounceMicros());
        in.addListener(e -> {
            if (e.state() == DigitalState.LOW) {
                onChange.accept(true);
            } else if (e.state() == DigitalState.HIGH) {
                onChange.accept(false);
            }
        });
    }

    private synchronized void onEstopLevel(DigitalState level) {
        boolean active = level != DigitalState.LOW; // HIGH or UNKNOWN: treat as pressed
        if (active == estopActive && active) {
            makeSafe(); // repeated edge: make safe again, it costs nothing
            return;
        }
        if (active == estopActive) {
            return;
        }
        estopActive = active;
        if (active) {
            makeSafe();
            press(Button.ESTOP);
        } else {
            press(Button.ESTOP_RELEASE);
        }
    }

    private void makeSafe() {
        try {
            makeSafe.run();
        } catch (RuntimeException e) {
            // each output's forceSafe already isolates its own failure; nothing may stop the ESTOP submit
        }
    }

    private void onUp(boolean pressed) {
        if (pressed) {
            press(Button.UP);
        }
    }

    private void onDown(boolean pressed) {
        if (pressed) {
            press(Button.DOWN);
        }
    }

    private synchronized void onPause(boolean pressed) {
        if (!pressed) {
            cancel(pauseHold);
            pauseHold = null;
            return;
        }
        Phase now = phase.phase();
        switch (now) {
            case RUNNING -> press(Button.PAUSE);
            case PAUSED -> press(Button.RESUME);
            case IDLE -> pauseHold = holds.schedule(() -> press(Button.START), timing.startHoldMillis(), TimeUnit.MILLISECONDS);
            case UNKNOWN -> {
                press(Button.PAUSE);
                pauseHold = holds.schedule(() -> press(Button.START), timing.startHoldMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private synchronized void onStop(boolean pressed) {
        if (!pressed) {
            cancel(stopHold);
            stopHold = null;
            return;
        }
        press(Button.STOP);
        cancel(stopHold);
        stopHold = holds.schedule(() -> press(Button.CLEAR), timing.clearHoldMillis(), TimeUnit.MILLISECONDS);
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    private void press(Button button) {
        // stamped at the press: a clear held up in the queue must not clear a fault that latches meanwhile
        gateway.submit(new SessionCommand.Press(button, SessionCommand.Source.LOCAL, io.tensd.loop.Clock.SYSTEM.nanos()), reply);
    }

    @Override
    public void close() {
        holds.shutdownNow();
        ids.forEach(id -> Pi4jIo.release(pi4j, id));
    }
}
