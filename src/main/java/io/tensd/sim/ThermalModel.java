package io.tensd.sim;

/**
 * Two-node lumped thermal model of heat pad and skin under it.
 * <pre>
 *   heater power ─▶ [pad, C_pad] ──R_ps── [skin, C_skin] ──R_sc── body core 37 °C
 *                        └──R_pa── ambient
 * </pre>
 * With the pad off the body (detached) R_ps is open and the skin loses heat to air through R_sa instead.
 * Defaults give time constants of tens of seconds and, at a 40 °C skin setpoint, a pad about 3 °C hotter
 * than the skin at roughly 45 % of an 8 W heater.
 */
public final class ThermalModel {
    public static final double CORE_CELSIUS = 37.0;

    private double padHeatCapacityJPerK = 60.0;
    private double skinHeatCapacityJPerK = 40.0;
    private double padSkinKPerW = 2.0;
    private double padAmbientKPerW = 10.0;
    private double skinCoreKPerW = 2.0;
    private final double skinAirKPerW = 8.0;
    private double heaterMaxWatts;
    private double ambientCelsius;
    private double padCelsius;
    private double skinCelsius;
    private boolean detached;

    public ThermalModel(double ambientCelsius, double heaterMaxWatts) {
        this.ambientCelsius = ambientCelsius;
        this.heaterMaxWatts = heaterMaxWatts;
        this.padCelsius = ambientCelsius;
        this.skinCelsius = CORE_CELSIUS - 2;
        settle();
    }

    /**
     * The pad a {@link io.tensd.safety.HeatModel} describes (an identified pad), settled unheated at
     * {@code ambientCelsius}. Lifted off the skin it loses heat to air as the nominal skin does (8 K/W): the model
     * cannot identify that, since it never happens during identification.
     */
    public static ThermalModel of(io.tensd.safety.HeatModel m, double ambientCelsius) {
        ThermalModel t = new ThermalModel(ambientCelsius, m.heaterWatts());
        t.padHeatCapacityJPerK = m.padJoulesPerKelvin();
        t.skinHeatCapacityJPerK = m.skinJoulesPerKelvin();
        t.padSkinKPerW = m.padSkinKelvinPerWatt();
        t.padAmbientKPerW = m.padAirKelvinPerWatt();
        t.skinCoreKPerW = m.skinCoreKelvinPerWatt();
        t.settle();
        return t;
    }

    /** Relaxes to the unheated steady state (the pad has been on the body for a while). */
    private void settle() {
        for (int i = 0; i < 20_000; i++) {
            step(0.5, 0);
        }
    }

    /**
     * A different pad, body or clothing than the nominal one (robustness tests of the supervisor's model-based
     * cross-check): each factor scales the nominal value; the model then settles to its new unheated state.
     */
    public void setPlant(double heaterWattsFactor, double padCapacityFactor, double padSkinFactor, double padAirFactor,
                         double skinCoreFactor, double ambientCelsius) {
        heaterMaxWatts *= heaterWattsFactor;
        padHeatCapacityJPerK *= padCapacityFactor;
        skinHeatCapacityJPerK *= padCapacityFactor;
        padSkinKPerW *= padSkinFactor;
        padAmbientKPerW *= padAirFactor;
        skinCoreKPerW *= skinCoreFactor;
        this.ambientCelsius = ambientCelsius;
        settle();
    }

    /** Advances by {@code dtSeconds} with the heater delivering {@code powerFraction} of its maximum. */
    public void step(double dtSeconds, double powerFraction) {
        double power = Math.max(0, Math.min(1, powerFraction)) * heaterMaxWatts;
        double padToSkin = detached ? 0 : (padCelsius - skinCelsius) / padSkinKPerW;
        double padToAir = (padCelsius - ambientCelsius) / padAmbientKPerW;
        double skinToCore = (skinCelsius - CORE_CELSIUS) / skinCoreKPerW;
        double skinToAir = detached ? (skinCelsius - ambientCelsius) / skinAirKPerW : 0;
        padCelsius += dtSeconds * (power - padToSkin - padToAir) / padHeatCapacityJPerK;
        skinCelsius += dtSeconds * (padToSkin - skinToCore - skinToAir) / skinHeatCapacityJPerK;
    }

    public double padCelsius() { return padCelsius; }

    public double skinCelsius() { return skinCelsius; }

    public void setDetached(boolean detached) { this.detached = detached; }

    public boolean detached() { return detached; }
}
