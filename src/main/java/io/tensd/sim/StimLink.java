package io.tensd.sim;

import io.tensd.hw.Stimulator;
import io.tensd.loop.Clock;
import io.tensd.stim.BoardLogic;

/**
 * How the simulated controller reaches the stimulator board when it is not the in-process
 * {@link SimStimulator} (frames as method calls): {@link SerialStimLink} puts the real serial stack
 * (SerialStimulator, jSerialComm, a pty or a UART, the board emulator) in between.
 */
public interface StimLink extends AutoCloseable {
    /** Opens a link to {@code board} (the SimDevice's board model) on {@code clock} (the runner's clock). */
    @FunctionalInterface
    interface Factory {
        StimLink open(BoardLogic board, Clock clock, int leaseMillis);
    }

    /** The host side the loop talks to (goes into DeviceIo). */
    Stimulator host();

    /**
     * True when the board at the far end runs the SimDevice's {@link BoardLogic}, so board and electrode
     * injections act on it; false for a real board or an external emulator.
     */
    boolean boardIsSimulated();

    /**
     * A scenario injection on the link ({@code disconnect}, {@code mute}, {@code corrupt} with a fraction,
     * {@code reset}, {@code ok}); returns null when done, otherwise why it could not be done (the run notes it).
     */
    String inject(String value, double amount);

    /**
     * Called by the runner before it moves virtual time past {@code virtualNowNanos}: a link that lives in real
     * time may wait here (bounded) until it has caught up with that time, so a starved thread on a busy machine
     * is not mistaken for a lost link. In-process links return at once.
     */
    default void sync(long virtualNowNanos) { }

    /** One line of link figures for the run's notes (frames, errors, reconnects). */
    String summary(long virtualMillis);

    @Override
    void close();
}
