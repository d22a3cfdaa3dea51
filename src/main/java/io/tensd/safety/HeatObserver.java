package io.tensd.safety;

/**
 * Cross-check of the two temperature channels through a model of the pad on the body (see {@link HeatModel}).
 * Each channel is predicted from the OTHER channel and the duty the pad actually got:
 * <ul>
 *   <li>pad: C_p·dP̂/dt = W·u − (P̂ − S_meas)/R_ps − (P̂ − T_air)/R_pa</li>
 *   <li>skin: C_s·dŜ/dt = (P_meas − Ŝ)/R_ps − (Ŝ − T_core)/R_sc</li>
 * </ul>
 * so a channel that drifts shows up in its own residual at once, without waiting for the closed loop to move
 * the other one: skin reading low (the dangerous case: the controller would overheat the real skin) drives the
 * skin residual negative; a heater that delivers more than commanded (stuck-on switch) or a pad lifted off the
 * skin drives the pad residual positive and the skin residual negative. Ambient and core temperature are
 * estimated at the first reading (assuming equilibrium) and then learned as slow, bounded offsets.
 * Allocation-free; pure (time as an argument).
 */
final class HeatObserver {
    private final HeatModel m;
    private boolean initialised;
    private long initNanos;
    private long lastNanos;
    private double padHat;
    private double skinHat;
    private double airCelsius;
    private double coreCelsius;
    private double padOffset;
    private double skinOffset;
    private double padResidual;
    private double skinResidual;

    HeatObserver(HeatModel model) { this.m = model; }

    /** Advances the model to {@code now}; {@code duty} is what the pad got since the previous call. */
    void update(long now, double skin, double pad, double duty) {
        if (!initialised) {
            initialised = true;
            initNanos = now;
            lastNanos = now;
            padHat = pad;
            skinHat = skin;
            double toSkin = (pad - skin) / m.padSkinKelvinPerWatt();
            airCelsius = clamp(pad - m.padAirKelvinPerWatt() * (m.heaterWatts() * duty - toSkin), 5, 40);
            coreCelsius = clamp(skin - m.skinCoreKelvinPerWatt() * toSkin, 34, 39);
            return;
        }
        double dt = Math.min((now - lastNanos) / 1e9, 1.0);
        lastNanos = now;
        if (dt <= 0) {
            return;
        }
        double power = m.heaterWatts() * Math.max(0, Math.min(1, duty));
        padHat += dt * (power - (padHat - skin) / m.padSkinKelvinPerWatt() - (padHat - airCelsius) / m.padAirKelvinPerWatt())
                / m.padJoulesPerKelvin();
        skinHat += dt * ((pad - skinHat) / m.padSkinKelvinPerWatt() - (skinHat - coreCelsius) / m.skinCoreKelvinPerWatt())
                / m.skinJoulesPerKelvin();
        padResidual = pad - padHat - padOffset;
        skinResidual = skin - skinHat - skinOffset;
        double k = dt / m.learnSeconds();
        padOffset = clamp(padOffset + k * padResidual, -m.maxLearnedCelsius(), m.maxLearnedCelsius());
        skinOffset = clamp(skinOffset + k * skinResidual, -m.maxLearnedCelsius(), m.maxLearnedCelsius());
    }

    /** True when either channel is further from its prediction than the tolerance (after settling). */
    boolean disagrees(long now) {
        return initialised && now - initNanos >= m.settleMillis() * 1_000_000L
                && (Math.abs(padResidual) > m.toleranceCelsius() || Math.abs(skinResidual) > m.toleranceCelsius());
    }

    /** Forget everything (a channel failed; start over from the next good pair). */
    void reset() { initialised = false; padResidual = 0; skinResidual = 0; padOffset = 0; skinOffset = 0; }

    double padResidual() { return padResidual; }

    double skinResidual() { return skinResidual; }

    private static double clamp(double v, double lo, double hi) { return Math.max(lo, Math.min(hi, v)); }
}
