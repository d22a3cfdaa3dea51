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
    private boolean heaterEnabled;
    private double heaterDuty;
    private double heatSetpointCelsius = Double.NaN;

    public Request stim(boolean enabled, double milliAmps, int pulseWidthMicros, double frequencyHz, double prescriptionMaxMilliAmps) {
        this.stimEnabled = enabled;
        this.milliAmps = milliAmps;
        this.pulseWidthMicros = pulseWidthMicros;
        this.frequencyHz = frequencyHz;
        this.prescriptionMaxMilliAmps = prescriptionMaxMilliAmps;
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

    public boolean heaterEnabled() { return heaterEnabled; }

    public double heaterDuty() { return heaterDuty; }

    public double heatSetpointCelsius() { return heatSetpointCelsius; }
}
