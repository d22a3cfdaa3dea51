package io.tensd.stim;

import io.tensd.therapy.Program;
import io.tensd.therapy.Programs;

/**
 * Protocol v2: the shape a board times by itself around the host's level (hardware/stimulator-protocol.md
 * §4.3.1). Burst: trains of {@code pulsesPerTrain} pulses at the SETPOINT's rate, one train every
 * {@code burstPeriodMicros}. Modulation: one parameter cycles down from the SETPOINT's value by
 * {@code depthPercent} and back over {@code modulationPeriodMillis}, as k = 1 − d·(1 − cos 2πt/T)/2, so the
 * SETPOINT's values are the peak and nothing ever exceeds them. Fields hold wire values as sent; the board
 * refuses what it cannot run ({@link ReplyCode#BAD_WAVEFORM}).
 *
 * @param burstPeriodMicros      0 = no bursts (continuous pulses)
 * @param pulsesPerTrain         pulses in one train (bursts only)
 * @param modulationCode         0 none, 1 amplitude, 2 width, 3 rate
 * @param depthPercent           how far the modulated value dips below the SETPOINT's, 1–90
 * @param modulationPeriodMillis one full modulation cycle
 */
public record Pattern(int burstPeriodMicros, int pulsesPerTrain, int modulationCode, int depthPercent,
                      int modulationPeriodMillis) {
    public static final int NONE = 0;
    public static final int AMPLITUDE = 1;
    public static final int WIDTH = 2;
    public static final int RATE = 3;

    /** Plain continuous pulses: what a v1 SETPOINT means. */
    public static final Pattern CONTINUOUS = new Pattern(0, 0, NONE, 0, 0);

    public static Pattern burst(double burstRateHz, int pulsesPerTrain) {
        return new Pattern((int) Math.round(1e6 / burstRateHz), pulsesPerTrain, NONE, 0, 0);
    }

    public static Pattern modulated(int modulationCode, int depthPercent, int periodMillis) {
        return new Pattern(0, 0, modulationCode, depthPercent, periodMillis);
    }

    /**
     * The board-timed form of a therapy program, or null when it has none (the host keeps gating it):
     * <ul>
     *   <li>conventional, acupuncture-like → {@link #CONTINUOUS};</li>
     *   <li>burst → trains of {@code pulsesPerBurst} every {@code 1/burstRateHz} (period rounded to 1 µs) at the
     *       SETPOINT's rate, which is {@code burstPulseHz};</li>
     *   <li>modulated → the same parameter, depth and period: the host's k = 1 − d·(1 − cos 2πt/T)/2 is this
     *       pattern's {@link #factor}; null when depth is not a whole percent or the period not whole milliseconds
     *       (the wire cannot say it exactly);</li>
     *   <li>strength-duration → null: width and rate move in opposite directions, and a pattern modulates one
     *       parameter down from its peak, so the host keeps gating it.</li>
     * </ul>
     * Allocates: callers cache it per program.
     */
    public static Pattern of(Program program) {
        if (program instanceof Programs.Burst b) {
            return burst(b.burstRateHz(), b.pulsesPerBurst());
        }
        if (program instanceof Programs.Modulated m) {
            double periodMillis = m.periodS() * 1000.0;
            if (m.depthPercent() != Math.rint(m.depthPercent()) || Math.abs(periodMillis - Math.rint(periodMillis)) > 1e-6) {
                return null;
            }
            int code = switch (m.modulate()) {
                case AMPLITUDE -> AMPLITUDE;
                case WIDTH -> WIDTH;
                case RATE -> RATE;
            };
            return modulated(code, (int) m.depthPercent(), (int) Math.rint(periodMillis));
        }
        if (program instanceof Programs.Conventional || program instanceof Programs.AcupunctureLike) {
            return CONTINUOUS;
        }
        return null;
    }

    public boolean bursts() { return burstPeriodMicros != 0; }

    public boolean modulates() { return modulationCode != NONE; }

    /** Capability bits ({@link BoardLogic.Caps#CAP_BURST}, {@link BoardLogic.Caps#CAP_MODULATION}) this pattern needs. */
    public int needs() {
        return (bursts() ? BoardLogic.Caps.CAP_BURST : 0) | (modulates() ? BoardLogic.Caps.CAP_MODULATION : 0);
    }

    /** The modulation factor k ∈ [1 − d, 1] at {@code sinceStartNanos} into the waveform; 1 without modulation. */
    public double factor(long sinceStartNanos) {
        if (!modulates() || modulationPeriodMillis <= 0) {
            return 1.0;
        }
        long period = modulationPeriodMillis * 1_000_000L;
        double phase = (double) Math.floorMod(sinceStartNanos, period) / period;
        return 1.0 - depthPercent / 100.0 * (1 - Math.cos(2 * Math.PI * phase)) / 2;
    }

    /** The lowest factor the modulation reaches: 1 − depth. */
    public double troughFactor() { return modulates() ? 1.0 - depthPercent / 100.0 : 1.0; }

    /**
     * Host-side gating of the same shape, for a board that cannot time it (v1): the amplitude fraction
     * (0 between trains; the modulation factor when the amplitude is modulated) at {@code sinceStartNanos}.
     */
    public double hostGate(long sinceStartNanos, int frequencyHz) {
        double k = modulationCode == AMPLITUDE ? factor(sinceStartNanos) : 1.0;
        if (!bursts()) {
            return k;
        }
        long period = burstPeriodMicros * 1_000L;
        long train = Math.round(pulsesPerTrain * 1e9 / Math.max(1, frequencyHz));
        return Math.floorMod(sinceStartNanos, period) < train ? k : 0.0;
    }
}
