package io.tensd.sim;

import io.tensd.hw.StimStatus;
import io.tensd.hw.Stimulator;
import io.tensd.loop.Clock;
import io.tensd.stim.BoardLogic;
import io.tensd.stim.Pattern;
import io.tensd.stim.ProgramPatterns;
import io.tensd.stim.Waveform;
import io.tensd.therapy.Program;
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
    private final ProgramPatterns patterns = new ProgramPatterns();
    private int seq;

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

    /** The in-process board times whatever its caps allow (v2 capabilities), as a negotiated serial board would. */
    @Override
    public boolean timesProgram(Program program) {
        Pattern p = patterns.of(program);
        return p != null && (p.needs() & ~board.caps().capabilities()) == 0;
    }

    @Override
    public void commandProgram(long nowNanos, boolean enabled, int levelMicroAmps, int pulseWidthMicros, int frequencyHz,
                               Program program) {
        Pattern p = patterns.of(program);
        if (p == null) {
            command(nowNanos, false, 0, 0, 0);
            return;
        }
        if (disconnected || damaged()) {
            return;
        }
        seq = seq == 0xFFFF ? 1 : seq + 1;      // any non-zero seq: an enabling SETPOINT with seq 0 is refused
        board.setpoint(nowNanos, seq, 0, enabled, levelMicroAmps, pulseWidthMicros, frequencyHz,
                Waveform.SYMMETRIC_BIPHASIC, enabled ? p : Pattern.CONTINUOUS, leaseMillis);
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
