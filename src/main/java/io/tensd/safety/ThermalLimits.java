package io.tensd.safety;

/**
 * Heat limits that hold whatever ONE temperature channel reads, derived from the skin ceiling and the pad model
 * ({@link HeatModel}), so an identified model gives identified limits. In steady state the skin under the pad is
 * a weighted mean of pad and body core, {@code S = (P + k·T_core) / (1 + k)} with {@code k = R_ps / R_sc}, and
 * the skin node is a first-order low-pass of the pad: a skin that starts below {@code S(P_lim)} stays below it
 * while the pad stays below {@code P_lim}. Hence:
 * <ul>
 *   <li><b>pad limit</b>: {@code P_lim = ceiling + k_min·(ceiling − T_core,max) − padSensorError}, with
 *       {@code k_min = k·(1 − spread)}: a truthful pad channel at or under it keeps the TRUE skin at or under the
 *       ceiling on every pad within the spread, however low the skin channel reads;</li>
 *   <li><b>duty bound</b>: the most duty the weakest pad ({@code W·(1 − spread)}) needs to hold the skin at the
 *       setpoint in the coldest ambient; more heat than that is never needed, so it bounds the energy a pair of
 *       lying sensors can put in.</li>
 * </ul>
 *
 * @param padLimitCelsius   the supervisor takes the duty to 0 at this pad reading
 * @param padBandCelsius    the duty is scaled down linearly over this band under the pad limit (no chatter)
 * @param spread            relative spread of heater power and thermal resistances between pads/bodies (0.25)
 * @param coreMaxCelsius    warmest body core under the pad (fever is a screening red flag)
 * @param ambientMinCelsius coldest ambient the duty bound allows for
 * @param padSensorErrorCelsius how far the pad channel may read under the true pad (taken off the pad limit)
 * @param model             the pad model the limits come from
 */
public record ThermalLimits(double padLimitCelsius, double padBandCelsius, double spread, double coreMaxCelsius,
                            double ambientMinCelsius, double padSensorErrorCelsius, HeatModel model) {
    /** Body core under the pad for the duty bound (the heat the skin loses inwards). */
    public static final double NOMINAL_CORE_CELSIUS = 37.0;
    public static final double DEFAULT_SPREAD = 0.25;
    public static final double DEFAULT_CORE_MAX_CELSIUS = 37.0;
    public static final double DEFAULT_AMBIENT_MIN_CELSIUS = 15.0;
    /** NTC + ADS1115 channel accuracy over 35–50 °C. */
    public static final double DEFAULT_PAD_SENSOR_ERROR_CELSIUS = 0.3;
    public static final double DEFAULT_PAD_BAND_CELSIUS = 0.5;

    public static ThermalLimits derive(HeatModel m, double skinCeilingCelsius) {
        return derive(m, skinCeilingCelsius, DEFAULT_SPREAD, DEFAULT_CORE_MAX_CELSIUS, DEFAULT_AMBIENT_MIN_CELSIUS,
                DEFAULT_PAD_SENSOR_ERROR_CELSIUS);
    }

    public static ThermalLimits derive(HeatModel m, double skinCeilingCelsius, double spread, double coreMaxCelsius,
                                       double ambientMinCelsius, double padSensorErrorCelsius) {
        double kMin = m.padSkinKelvinPerWatt() / m.skinCoreKelvinPerWatt() * (1 - spread);
        double padLimit = skinCeilingCelsius + kMin * (skinCeilingCelsius - coreMaxCelsius) - padSensorErrorCelsius;
        return new ThermalLimits(padLimit, DEFAULT_PAD_BAND_CELSIUS, spread, coreMaxCelsius, ambientMinCelsius,
                padSensorErrorCelsius, m);
    }

    /** Steady-state skin for a pad at {@code padCelsius}, with pad-to-skin/skin-to-core ratio {@code k}. */
    public static double steadySkinCelsius(double padCelsius, double k, double coreCelsius) {
        return (padCelsius + k * coreCelsius) / (1 + k);
    }

    /** Highest true skin a pad held at the pad limit can give on any pad within the spread (steady state). */
    public double skinBoundCelsius() {
        double kMin = model.padSkinKelvinPerWatt() / model.skinCoreKelvinPerWatt() * (1 - spread);
        return steadySkinCelsius(padLimitCelsius + padSensorErrorCelsius, kMin, coreMaxCelsius);
    }

    /**
     * Largest duty the weakest pad in the spread needs to hold the skin at {@code setpointCelsius} in the coldest
     * ambient, body core at its nominal 37 °C and the pad's resistances at their nominal values (NaN setpoint: 0).
     */
    public double dutyBound(double setpointCelsius) {
        if (Double.isNaN(setpointCelsius)) {
            return 0;
        }
        double k = model.padSkinKelvinPerWatt() / model.skinCoreKelvinPerWatt();
        double core = NOMINAL_CORE_CELSIUS;
        double skin = Math.max(setpointCelsius, core);
        double pad = skin + k * (skin - core);
        double watts = (pad - skin) / model.padSkinKelvinPerWatt() + (pad - ambientMinCelsius) / model.padAirKelvinPerWatt();
        return Math.max(0, watts / (model.heaterWatts() * (1 - spread)));
    }

    /** Fraction (0–1) of the requested duty allowed at this pad reading: 1 below the band, 0 at the limit. */
    public double padLimitFactor(double padCelsius) {
        if (Double.isNaN(padCelsius)) {
            return 1;
        }
        double f = (padLimitCelsius - padCelsius) / padBandCelsius;
        return f >= 1 ? 1 : f <= 0 ? 0 : f;
    }
}
