package io.tensd.sim;

/**
 * How a simulated pad differs from the nominal one (scenario {@code prescription.heat.plant}, docs/scenarios.md):
 * each factor scales a nominal value of {@link ThermalModel}.
 *
 * @param gainScale     heater power at duty 1 (heater resistance, supply)
 * @param tauScale      heat capacities of pad and skin volume (time constants)
 * @param couplingScale pad → skin thermal resistance (garment, fat layer, fit)
 */
public record PadPlant(double gainScale, double tauScale, double couplingScale) {
    public static final double MIN_SCALE = 0.5;
    public static final double MAX_SCALE = 2.0;
    public static final PadPlant NOMINAL = new PadPlant(1, 1, 1);

    public PadPlant {
        check("gainScale", gainScale);
        check("tauScale", tauScale);
        check("couplingScale", couplingScale);
    }

    private static void check(String name, double v) {
        if (!(v >= MIN_SCALE && v <= MAX_SCALE)) {
            throw new IllegalArgumentException(name + " must be " + MIN_SCALE + "–" + MAX_SCALE + ", got " + v);
        }
    }

    /** Applies this plant to {@code model} (which then settles to its new unheated state) at {@code ambientCelsius}. */
    public void applyTo(ThermalModel model, double ambientCelsius) {
        model.setPlant(gainScale, tauScale, couplingScale, 1, 1, ambientCelsius);
    }

    /** The simulator's pad (nominal heater) with this plant, settled unheated at {@code ambientCelsius}. */
    public ThermalModel thermalModel(double ambientCelsius) {
        ThermalModel m = new ThermalModel(SimDevice.AMBIENT_CELSIUS, SimDevice.HEATER_WATTS);
        applyTo(m, ambientCelsius);
        return m;
    }

    public boolean nominal() { return equals(NOMINAL); }

    /** The simulated pad's serial: the same plant (to 3 decimals) is the same pad. */
    public String padId() {
        return String.format(java.util.Locale.ROOT, "sim-g%.3f-t%.3f-c%.3f", gainScale, tauScale, couplingScale);
    }

    /** A pad drawn uniformly within ±{@code spread} of nominal on each scale, rounded to 3 decimals. */
    public static PadPlant random(java.util.Random r, double spread) {
        return new PadPlant(draw(r, spread), draw(r, spread), draw(r, spread));
    }

    private static double draw(java.util.Random r, double spread) {
        return Math.round((1 + (r.nextDouble() * 2 - 1) * spread) * 1000) / 1000.0;
    }
}
