package io.tensd.safety;

/**
 * What the therapy layer asks for in this tick, before any limit. Reused every tick.
 * {@code prescriptionMaxMilliAmps} is the clinic's cap for this session (0 when no session runs).
 * {@code heatSetpointCelsius} is NaN when heat is not prescribed.
 */
public final class Request {
    private boolean stimEnabled;
    private double milliAmps;
    private int pulseWidthMicros;
    private double frequencyHz;
    private double prescriptionMaxMilliAmps;
    private double envelopeFraction = 1.0;
    private boolean boardTimed;
    private int boardPulseWidthMicros;
    private double boardFrequencyHz;
    private boolean heaterEnabled;
    private double heaterDuty;
    private double heatSetpointCelsius = Double.NaN;

    public Request stim(boolean enabled, double milliAmps, int pulseWidthMicros, double frequencyHz, double prescriptionMaxMilliAmps) {
        this.stimEnabled = enabled;
        this.milliAmps = milliAmps;
        this.pulseWidthMicros = pulseWidthMicros;
        this.frequencyHz = frequencyHz;
        this.prescriptionMaxMilliAmps = prescriptionMaxMilliAmps;
        this.envelopeFraction = 1.0;
        this.boardTimed = false;
        this.boardPulseWidthMicros = 0;
        this.boardFrequencyHz = 0;
        return this;
    }

    /**
     * The program's envelope at this tick as a fraction (0–1) of the intensity given to {@link #stim}: burst
     * gating and amplitude modulation. The supervisor ramps and clamps the intensity (the level the patient set)
     * and scales the output by this fraction, so a burst train or a modulation cycle is the program's shape,
     * not a step of intensity. Call after {@link #stim}; it resets to 1.
     */
    public Request envelope(double fraction) {
        this.envelopeFraction = fraction;
        return this;
    }

    /**
     * The stimulator board times the program's shape this tick (protocol v2): it gets the level, not the envelope,
     * with the shape's peak width and rate, which every pulse of the shape stays under. The supervisor then clamps
     * the level's charge per phase at that peak width. Call after {@link #stim}; it resets to host-timed.
     */
    public Request boardTimed(int peakPulseWidthMicros, double peakFrequencyHz) {
        this.boardTimed = true;
        this.boardPulseWidthMicros = peakPulseWidthMicros;
        this.boardFrequencyHz = peakFrequencyHz;
        return this;
    }

    public Request heater(boolean enabled, double duty, double setpointCelsius) {
        this.heaterEnabled = enabled;
        this.heaterDuty = duty;
        this.heatSetpointCelsius = setpointCelsius;
        return this;
    }

    public Request off() {
        return stim(false, 0, 0, 0, 0).heater(false, 0, Double.NaN);
    }

    public boolean stimEnabled() { return stimEnabled; }

    public double milliAmps() { return milliAmps; }

    public int pulseWidthMicros() { return pulseWidthMicros; }

    public double frequencyHz() { return frequencyHz; }

    public double prescriptionMaxMilliAmps() { return prescriptionMaxMilliAmps; }

    public double envelopeFraction() { return envelopeFraction; }

    public boolean boardTimed() { return boardTimed; }

    public int boardPulseWidthMicros() { return boardPulseWidthMicros; }

    public double boardFrequencyHz() { return boardFrequencyHz; }

    public boolean heaterEnabled() { return heaterEnabled; }

    public double heaterDuty() { return heaterDuty; }

    public double heatSetpointCelsius() { return heatSetpointCelsius; }
}
