package io.tensd.heat.tune;

import io.tensd.safety.HeatModel;

/**
 * Least-squares identification of the pad-on-body model ({@link HeatModel}) from a {@link TuneExperiment}.
 *
 * <p>The two node equations are linear in their coefficients (equation error):
 * <pre>
 *   dP/dt = a1·u + a2·(P − S) + a3·P + a0      a1 = W/C_p, a2 = −1/(R_ps·C_p), a3 = −1/(R_pa·C_p), a0 = T_air/(R_pa·C_p)
 *   dS/dt = b1·(P − S) + b2·S + b0             b1 = 1/(R_ps·C_s), b2 = −1/(R_sc·C_s), b0 = T_core/(R_sc·C_s)
 * </pre>
 * They are fitted in integral form, which holds exactly on sampled data: the readings are averaged over
 * {@value #BIN_SECONDS} s bins (sensor noise), and a row is the change of a node's bin mean between the bins either
 * side of bin k against the same change of the running integrals of the regressors (the duty piecewise constant as
 * applied, the temperatures by the trapezoid rule), both over the bins' time span. (Central differences against
 * trapezoid means of the bins weight the two sides differently: around the step's edges this alone biased C_p and W
 * low by 2 % on a 4-minute step and 6 % on a 20 s one, on noise-free data.) Temperatures alone fix every ratio but not
 * the absolute heat scale (W, C and 1/R scaled together give the same temperatures): the skin → core resistance is
 * taken at its nominal value, which leaves every quantity the supervisor uses (dynamics, k = R_ps/R_sc, W·R) as
 * identified. Confidence intervals: 95 %, the sensors' noise measured at rest propagated through the whole fit
 * ({@link #noiseCi}, which says why not the LS covariance).
 */
public final class ThermalFit {
    static final double BIN_SECONDS = 2.0;
    private static final double Z95 = 1.96;
    /** Refits of {@link #noiseCi}: the half-widths' own Monte Carlo error is about 1/√(2·draws), 7 %. */
    static final int NOISE_DRAWS = 100;
    private static final long NOISE_SEED = 1;

    private ThermalFit() { }

    /** A value with the half-width of its 95 % confidence interval. */
    public record Estimate(double value, double ci95) {
        /** Half-width relative to the value. */
        public double relative() { return Math.abs(ci95 / value); }
    }

    /**
     * The identified pad.
     *
     * @param residualCelsius RMS of the observer-form prediction error over the experiment (each channel predicted
     *                        from the other and the duty, as the supervisor's cross-check does), the larger channel
     * @param residualMaxCelsius largest such error
     */
    public record Result(Estimate heaterWatts, Estimate padJoulesPerKelvin, Estimate skinJoulesPerKelvin,
                         Estimate padSkinKelvinPerWatt, Estimate padAirKelvinPerWatt, Estimate airCelsius,
                         Estimate coreCelsius, double skinCoreKelvinPerWatt, double residualCelsius,
                         double residualMaxCelsius, int samples) {

        /**
         * These parameters with the cross-check tolerance and learning of {@code base}; the session narrows the
         * tolerance for this pad ({@link MatchedTolerance}, through {@link PadCalibration#setup}).
         */
        public HeatModel model(HeatModel base) {
            return new HeatModel(heaterWatts.value(), padJoulesPerKelvin.value(), skinJoulesPerKelvin.value(),
                    padSkinKelvinPerWatt.value(), padAirKelvinPerWatt.value(), skinCoreKelvinPerWatt,
                    base.toleranceCelsius(), base.learnSeconds(), base.maxLearnedCelsius(), base.settleMillis());
        }

        /** Largest relative CI half-width of the five model parameters. */
        public double worstRelativeCi() {
            return Math.max(Math.max(heaterWatts.relative(), padJoulesPerKelvin.relative()),
                    Math.max(Math.max(skinJoulesPerKelvin.relative(), padSkinKelvinPerWatt.relative()),
                            padAirKelvinPerWatt.relative()));
        }
    }

    /**
     * Fits {@code s} with the skin → core resistance fixed at {@code skinCoreKelvinPerWatt}; the samples before
     * {@code restSeconds} are the resting pad (heater off, in equilibrium).
     */
    public static Result fit(TuneExperiment.Samples s, double restSeconds, double skinCoreKelvinPerWatt) {
        // Rest equilibrium (heater off long enough before the step): fixes the offsets a0 and b0 from the resting
        // pad and skin, which the short, warm part of the experiment cannot separate from the losses to air.
        Rest rest = Rest.of(s, restSeconds);
        double[] phys = physical(coefficients(s, rest.padCelsius(), rest.skinCelsius()), skinCoreKelvinPerWatt);
        for (double v : phys) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("the fit gave a non-physical pad model");
            }
        }
        if (phys[0] <= 0 || phys[1] <= 0 || phys[2] <= 0 || phys[3] <= 0 || phys[4] <= 0) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "the fit gave a non-physical pad model (W %.2f, C_p %.1f, C_s %.1f, R_ps %.2f, R_pa %.2f)",
                    phys[0], phys[1], phys[2], phys[3], phys[4]));
        }
        double[] ci = noiseCi(s, rest, skinCoreKelvinPerWatt);
        HeatModel probe = new HeatModel(phys[0], phys[1], phys[2], phys[3], phys[4], skinCoreKelvinPerWatt, 0, 1, 0, 0);
        double[] residual = observerResidual(s, probe, phys[5], phys[6]);
        return new Result(new Estimate(phys[0], ci[0]), new Estimate(phys[1], ci[1]), new Estimate(phys[2], ci[2]),
                new Estimate(phys[3], ci[3]), new Estimate(phys[4], ci[4]), new Estimate(phys[5], ci[5]),
                new Estimate(phys[6], ci[6]), skinCoreKelvinPerWatt, residual[0], residual[1], s.size());
    }

    /**
     * Bins the samples and fits both node equations about the resting pad {@code p0} and skin {@code s0}:
     * θ = (a1, a2, a3, a0, b1, b2, b0), with a0 = −a2·d0 − a3·p0 and b0 = −b1·d0 − b2·s0 from the rest.
     */
    private static double[] coefficients(TuneExperiment.Samples s, double p0, double s0) {
        double d0 = p0 - s0;
        int bins = (int) Math.floor(s.t(s.size() - 1) / BIN_SECONDS);
        // per bin: time, skin, pad, and the running integrals of u, P − S − d0, P − p0, S − s0 (ODE regressors)
        double[][] bin = new double[7][bins];
        int[] cnt = new int[bins];
        double[] integral = new double[4];
        for (int i = 0; i < s.size(); i++) {
            if (i > 0) {
                double dt = s.t(i) - s.t(i - 1);
                double gap = 0.5 * (s.pad(i) - s.skin(i) + s.pad(i - 1) - s.skin(i - 1)) - d0;
                integral[0] += dt * s.duty(i); // the duty recorded with a sample is what the pad got before it
                integral[1] += dt * gap;
                integral[2] += dt * (0.5 * (s.pad(i) + s.pad(i - 1)) - p0);
                integral[3] += dt * (0.5 * (s.skin(i) + s.skin(i - 1)) - s0);
            }
            int k = (int) (s.t(i) / BIN_SECONDS);
            if (k >= bins) {
                break;
            }
            bin[0][k] += s.t(i);
            bin[1][k] += s.skin(i);
            bin[2][k] += s.pad(i);
            for (int j = 0; j < 4; j++) {
                bin[3 + j][k] += integral[j];
            }
            cnt[k]++;
        }
        int m = 0;
        for (int k = 0; k < bins; k++) {
            if (cnt[k] > 0) {
                for (double[] col : bin) {
                    col[m] = col[k] / cnt[k];
                }
                m++;
            }
        }
        int rows = m - 2;
        if (rows < 20) {
            throw new IllegalArgumentException("experiment too short to identify the pad (" + s.size() + " samples)");
        }
        double[][] xp = new double[rows][];
        double[] yp = new double[rows];
        double[][] xs = new double[rows][];
        double[] ys = new double[rows];
        for (int k = 1; k < m - 1; k++) {
            double dt = bin[0][k + 1] - bin[0][k - 1];
            double u = diff(bin[3], k, dt);
            double gap = diff(bin[4], k, dt);
            xp[k - 1] = new double[] {u, gap, diff(bin[5], k, dt)};
            yp[k - 1] = diff(bin[2], k, dt);
            xs[k - 1] = new double[] {gap, diff(bin[6], k, dt)};
            ys[k - 1] = diff(bin[1], k, dt);
        }
        double[] a = LeastSquares.fit(xp, yp).theta;
        double[] b = LeastSquares.fit(xs, ys).theta;
        return new double[] {a[0], a[1], a[2], -a[1] * d0 - a[2] * p0, b[0], b[1], -b[0] * d0 - b[1] * s0};
    }

    /** The resting pad: its samples (those before the step), mean readings and their scatter (the sensors' noise). */
    record Rest(int samples, double padCelsius, double skinCelsius, double padNoiseCelsius, double skinNoiseCelsius) {
        static Rest of(TuneExperiment.Samples s, double restSeconds) {
            int n = 0;
            double p = 0;
            double k = 0;
            while (n < s.size() && s.t(n) < restSeconds) {
                p += s.pad(n);
                k += s.skin(n);
                n++;
            }
            if (n < 10) {
                throw new IllegalArgumentException("no rest before the step: the pad's resting state is unknown");
            }
            p /= n;
            k /= n;
            double vp = 0;
            double vk = 0;
            for (int i = 0; i < n; i++) {
                vp += (s.pad(i) - p) * (s.pad(i) - p);
                vk += (s.skin(i) - k) * (s.skin(i) - k);
            }
            return new Rest(n, p, k, Math.sqrt(vp / (n - 1)), Math.sqrt(vk / (n - 1)));
        }
    }

    /**
     * 95 % half-widths of (W, C_p, C_s, R_ps, R_pa, T_air, T_core) by propagating the sensors' noise through the
     * whole fit (a parametric bootstrap): {@value #NOISE_DRAWS} refits with fresh white noise of the size measured at
     * rest added to every reading; to first order their spread about the fit is the fit's own spread over runs.
     *
     * <p>Why not the LS covariance: it sees only the row residuals, and those are the wrong noise. Rows k and k + 2
     * share bin k + 1 with opposite signs (MA(2) residuals that largely cancel in θ), so σ²·(XᵀX)⁻¹ gave intervals
     * 3–7× too wide (truth inside 100 % of the time). A covariance robust to that dependence did not help: the
     * cancellation leaves a long-run variance far below the residuals' own, which a HAC sandwich over the rows (uniform
     * kernel at the overlap's 2 lags) estimated with more noise than signal (each parameter inside 40–55 % of the
     * time); and the largest term on the skin side is in no residual at all: the rest means p0, s0 shift every
     * regressor of the run at once (with the scores summed per bin, W was inside 84–95 % of the time but R_ps 7–17 %
     * until that term was added). Non-overlapping rows or a block bootstrap of residuals would miss that term too (and
     * the former changes the estimates). The noise itself is known: the rest is in equilibrium with the heater off,
     * so its scatter is the sensors' noise. Assumes white sensor noise, steady over the run; the model's misfit is
     * not in the interval, the residual gate ({@link PadCalibration}) bounds it. Coverage measured over seeds:
     * ThermalFitCoverageTest, FitRigsDiag "cover".
     */
    static double[] noiseCi(TuneExperiment.Samples s, Rest rest, double rsc) {
        java.util.Random r = new java.util.Random(NOISE_SEED); // a given experiment gives the same intervals
        double[] sum = new double[7];
        double[] sum2 = new double[7];
        int draws = 0;
        for (int d = 0; d < NOISE_DRAWS; d++) {
            TuneExperiment.Samples x = new TuneExperiment.Samples(s.size());
            double p0 = 0;
            double s0 = 0;
            for (int i = 0; i < s.size(); i++) {
                double skin = s.skin(i) + rest.skinNoiseCelsius() * r.nextGaussian();
                double pad = s.pad(i) + rest.padNoiseCelsius() * r.nextGaussian();
                x.add(s.t(i), skin, pad, s.duty(i));
                if (i < rest.samples()) {
                    p0 += pad / rest.samples();
                    s0 += skin / rest.samples();
                }
            }
            double[] f;
            try {
                f = physical(coefficients(x, p0, s0), rsc);
            } catch (IllegalArgumentException e) {
                continue; // this draw's columns dependent: counted out, the others' spread stands
            }
            if (!java.util.Arrays.stream(f).allMatch(Double::isFinite)) {
                continue;
            }
            for (int i = 0; i < 7; i++) {
                sum[i] += f[i];
                sum2[i] += f[i] * f[i];
            }
            draws++;
        }
        double[] ci = new double[7];
        for (int i = 0; i < 7; i++) {
            double mean = sum[i] / draws;
            ci[i] = draws < 2 ? Double.NaN : Z95 * Math.sqrt(Math.max(0, (sum2[i] - draws * mean * mean) / (draws - 1)));
        }
        return ci;
    }

    /** Change of a bin mean between the bins either side of {@code k}, per second. */
    private static double diff(double[] v, int k, double dtSeconds) { return (v[k + 1] - v[k - 1]) / dtSeconds; }

    /** θ = (a1, a2, a3, a0, b1, b2, b0) → (W, C_p, C_s, R_ps, R_pa, T_air, T_core). */
    static double[] physical(double[] th, double rsc) {
        double cs = -1 / (th[5] * rsc);
        double rps = 1 / (th[4] * cs);
        double cp = -1 / (th[1] * rps);
        double w = th[0] * cp;
        double rpa = -1 / (th[2] * cp);
        double air = -th[3] / th[2];
        double core = -th[6] / th[5];
        return new double[] {w, cp, cs, rps, rpa, air, core};
    }

    /**
     * The supervisor's cross-check replayed on the experiment with the identified model (no offset learning):
     * returns {RMS, max} of the larger channel's error.
     */
    static double[] observerResidual(TuneExperiment.Samples s, HeatModel m, double air, double core) {
        double padHat = s.pad(0);
        double skinHat = s.skin(0);
        double ss = 0;
        double max = 0;
        for (int i = 1; i < s.size(); i++) {
            double dt = s.t(i) - s.t(i - 1);
            double skin = s.skin(i - 1);
            double pad = s.pad(i - 1);
            padHat += dt * (m.heaterWatts() * s.duty(i) - (padHat - skin) / m.padSkinKelvinPerWatt()
                    - (padHat - air) / m.padAirKelvinPerWatt()) / m.padJoulesPerKelvin();
            skinHat += dt * ((pad - skinHat) / m.padSkinKelvinPerWatt() - (skinHat - core) / m.skinCoreKelvinPerWatt())
                    / m.skinJoulesPerKelvin();
            double e = Math.max(Math.abs(s.pad(i) - padHat), Math.abs(s.skin(i) - skinHat));
            ss += e * e;
            max = Math.max(max, e);
        }
        return new double[] {Math.sqrt(ss / Math.max(1, s.size() - 1)), max};
    }
}
