package io.tensd.safety;

/**
 * The supervisor's decision for one tick: the only values that reach the actuators. One instance per
 * supervisor, rewritten by every {@link SafetySupervisor#step}; readers copy what they keep.
 */
public final class Verdict {
    private long atNanos;
    private boolean stimEnabled;
    private double stimMilliAmps;
    private double levelMilliAmps;
    private int pulseWidthMicros;
    private double frequencyHz;
    private boolean heaterEnabled;
    private double heaterDuty;
    private long faultBits;
    private long raisedBits;
    private long clearedBits;
    private int clampBits;
    private boolean boardTimed;
    private int boardPulseWidthMicros;
    private double boardFrequencyHz;

    void set(long atNanos, boolean stimEnabled, double stimMilliAmps, double levelMilliAmps, int pulseWidthMicros, double frequencyHz,
             boolean heaterEnabled, double heaterDuty, long faultBits, long raisedBits, long clearedBits, int clampBits) {
        this.atNanos = atNanos;
        this.stimEnabled = stimEnabled;
        this.stimMilliAmps = stimMilliAmps;
        this.levelMilliAmps = levelMilliAmps;
        this.pulseWidthMicros = pulseWidthMicros;
        this.frequencyHz = frequencyHz;
        this.heaterEnabled = heaterEnabled;
        this.heaterDuty = heaterDuty;
        this.faultBits = faultBits;
        this.raisedBits = raisedBits;
        this.clearedBits = clearedBits;
        this.clampBits = clampBits;
    }

    void board(boolean timed, int peakPulseWidthMicros, double peakFrequencyHz) {
        this.boardTimed = timed;
        this.boardPulseWidthMicros = peakPulseWidthMicros;
        this.boardFrequencyHz = peakFrequencyHz;
    }

    public long atNanos() { return atNanos; }

    public boolean stimEnabled() { return stimEnabled; }

    public double stimMilliAmps() { return stimMilliAmps; }

    /**
     * The ramped and clamped intensity before the program's envelope (burst gate, amplitude modulation) scaled
     * it: what the ramp-rate rule applies to. {@link #stimMilliAmps} ≤ this.
     */
    public double levelMilliAmps() { return levelMilliAmps; }

    public int stimMicroAmps() { return (int) Math.round(stimMilliAmps * 1000.0); }

    public int pulseWidthMicros() { return pulseWidthMicros; }

    /**
     * The board times the program's shape this tick: the link gets {@link #levelMicroAmps} with
     * {@link #boardPulseWidthMicros} and {@link #boardFrequencyHz} (the shape's peaks, range-clamped; the level's
     * charge per phase clamped at that width). False whenever stimulation is off or a fault is latched.
     */
    public boolean boardTimed() { return boardTimed; }

    public int boardPulseWidthMicros() { return boardPulseWidthMicros; }

    public double boardFrequencyHz() { return boardFrequencyHz; }

    public int levelMicroAmps() { return (int) Math.round(levelMilliAmps * 1000.0); }

    public double frequencyHz() { return frequencyHz; }

    public boolean heaterEnabled() { return heaterEnabled; }

    public double heaterDuty() { return heaterDuty; }

    /** Latched faults after this step. */
    public long faultBits() { return faultBits; }

    /** Faults latched in this very step. */
    public long raisedBits() { return raisedBits; }

    /** Faults a local clear removed in this step. */
    public long clearedBits() { return clearedBits; }

    /** {@link ClampReason} bits that bit in this step. */
    public int clampBits() { return clampBits; }

    public boolean faulted() { return faultBits != 0; }

    /** Stimulation at 0 mA and disabled, heater at 0 and disabled. */
    public boolean outputsSafe() {
        return !stimEnabled && stimMilliAmps == 0.0 && !heaterEnabled && heaterDuty == 0.0;
    }
}
