package io.tensd.sim;

import io.tensd.hw.StimStatus;
import io.tensd.hw.Stimulator;
import io.tensd.loop.Clock;
import io.tensd.stim.BoardLogic;
import java.util.Random;

/**
 * In-process link to the board model: the same {@link BoardLogic} the serial emulator runs, with the
 * scenario's link injections (disconnect, mute, corrupt) applied to frames in both directions. The board
 * sends a status frame every {@link #STATUS_PERIOD_NANOS}, as on the wire.
 */
public final class SimStimulator implements Stimulator {
    public static final long STATUS_PERIOD_NANOS = 10_000_000L;

    private final BoardLogic board;
    private final Clock clock;
    private final int leaseMillis;
    private final Random random;
    private volatile StimStatus latest = StimStatus.NONE;
    private volatile StimStatus boardSide = StimStatus.NONE;
    private long nextStatusNanos;
    private boolean disconnected;
    private boolean muted;
    private double corruptFraction;
    private long framesDamaged;

    public SimStimulator(BoardLogic board, Clock clock, int leaseMillis, long seed) {
        this.board = board;
        this.clock = clock;
        this.leaseMillis = leaseMillis;
        this.random = new Random(seed);
    }

    @Override
    public void command(long nowNanos, boolean enabled, int amplitudeMicroAmps, int pulseWidthMicros, int frequencyHz) {
        if (disconnected || damaged()) {
            return;
        }
        board.setpoint(nowNanos, enabled, amplitudeMicroAmps, pulseWidthMicros, frequencyHz, leaseMillis);
    }

    @Override
    public StimStatus latest() { return latest; }

    @Override
    public void forceSafe() {
        if (!disconnected) {
            board.setpoint(clock.nanos(), false, 0, 0, 0, leaseMillis);
        }
    }

    @Override
    public void clearFaults() {
        if (!disconnected) {
            board.clearFault(clock.nanos());
        }
    }

    /** Board side: steps the firmware and sends status frames that are due. */
    void advance(long nowNanos) {
        while (nowNanos >= nextStatusNanos) {
            long t = nextStatusNanos;
            nextStatusNanos = Math.max(nextStatusNanos, 0) + STATUS_PERIOD_NANOS;
            StimStatus s = board.status(t);
            boardSide = s;
            if (!disconnected && !muted && !damaged()) {
                latest = s;
            }
        }
        board.step(nowNanos);
    }

    private boolean damaged() {
        if (corruptFraction > 0 && random.nextDouble() < corruptFraction) {
            framesDamaged++;
            return true;
        }
        return false;
    }

    public BoardLogic board() { return board; }

    /** The board's own latest measurement, whether or not the frame reached the host (trace truth). */
    public StimStatus boardSide() { return boardSide; }

    public void setDisconnected(boolean v) { disconnected = v; }

    public void setMuted(boolean v) { muted = v; }

    public void setCorruptFraction(double f) { corruptFraction = f; }

    public long framesDamaged() { return framesDamaged; }
}
