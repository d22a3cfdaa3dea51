package io.tensd.heat.tune;

import io.tensd.config.Limits;
import io.tensd.daemon.DeviceHeatTune;
import io.tensd.loop.VirtualClock;
import io.tensd.safety.HeatModel;
import io.tensd.safety.SafetySettings;
import io.tensd.safety.SafetySupervisor;
import io.tensd.sim.PadPlant;
import io.tensd.sim.SimDevice;
import io.tensd.sim.SimHeatTune;
import java.util.Locale;

/**
 * Diagnostic, not a test: heat-tune's fit on the heat-only rig ({@link SimHeatTune}) and on the full simulated device
 * ({@link DeviceHeatTune} over {@link SimDevice}'s ports) on the same plants. Run with the test classpath:
 * <pre>
 *   java -cp target/classes:target/test-classes io.tensd.heat.tune.FitRigsDiag [mode]
 *     (none)        both rigs, seed 7: per-parameter errors, end reason, step length
 *     N             both rigs over N seeds: W and C_p error mean ± sd (|max|)
 *     cover N [device|device-lagged]  each parameter's CI coverage over N seeds (rig, device, device with
 *                   {@link #LAGGED} readings: the skin interpolated to the pad's times)
 *     lag N         device with readings of realistic age (skin 40 ms, pad 80 ms, {@link #LAGGED}) and without:
 *                   W, C_p, C_s, R_ps error mean ± sd over N seeds
 *     lagrig N      the same on the heat-only rig ({@link io.tensd.sim.PadRig#readingAges}: skin 40 ms, pad 90 ms)
 * </pre>
 */
public final class FitRigsDiag {
    public static void main(String[] args) {
        String mode = args.length == 0 ? "" : args[0];
        switch (mode) {
            case "" -> seven();
            case "cover" -> cover(Integer.parseInt(args[1]), args.length > 2 && args[2].startsWith("device"),
                    args.length > 2 && args[2].equals("device-lagged") ? LAGGED : Timing.AT_TICK);
            case "lag" -> lag(Integer.parseInt(args[1]));
            case "lagrig" -> lagRig(Integer.parseInt(args[1]));
            default -> seeds(Integer.parseInt(mode));
        }
    }

    static void cover(int n, boolean onDevice, Timing timing) {
        String[] names = {"W", "C_p", "C_s", "R_ps", "R_pa"};
        for (PadPlant p : new PadPlant[] {PadPlant.NOMINAL, new PadPlant(1.2, 0.8, 1.1), new PadPlant(0.8, 1.2, 0.9)}) {
            double[] truth = {8 * p.gainScale(), 60 * p.tauScale(), 40 * p.tauScale(), 2 * p.couplingScale(), 10};
            int[] in = new int[5];
            double[] ci = new double[5];
            double[][] rel = new double[5][n];
            for (int k = 0; k < n; k++) {
                long seed = 100 + k;
                ThermalFit.Result f = onDevice
                        ? PadCalibration.identify("x", "d", "device", device(p, seed, Limits.defaults(), timing),
                                HeatModel.defaults()).fit()
                        : SimHeatTune.run(p, SimDevice.AMBIENT_CELSIUS, seed, Limits.defaults(), SafetySettings.defaults(), "d")
                                .calibration().fit();
                ThermalFit.Estimate[] e = {f.heaterWatts(), f.padJoulesPerKelvin(), f.skinJoulesPerKelvin(),
                        f.padSkinKelvinPerWatt(), f.padAirKelvinPerWatt()};
                for (int i = 0; i < 5; i++) {
                    in[i] += Math.abs(e[i].value() - truth[i]) <= e[i].ci95() ? 1 : 0;
                    ci[i] += 100 * e[i].ci95() / truth[i] / n;
                    rel[i][k] = 100 * (e[i].value() / truth[i] - 1);
                }
            }
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                double m = 0;
                for (double x : rel[i]) {
                    m += x / n;
                }
                double ss = 0;
                for (double x : rel[i]) {
                    ss += (x - m) * (x - m);
                }
                line.append(String.format(Locale.ROOT, "  %s %3.0f %% ±%.2f (1.96 sd %.2f, bias %+.2f)", names[i],
                        100.0 * in[i] / n, ci[i], 1.96 * Math.sqrt(ss / (n - 1)), m));
            }
            System.out.printf(Locale.ROOT, "%s g%.2f t%.2f c%.2f, %d seeds:%s%n", onDevice ? "device" : "rig", p.gainScale(),
                    p.tauScale(), p.couplingScale(), n, line);
        }
    }

    static void seven() {
        Limits limits = Limits.defaults();
        for (PadPlant p : PLANTS) {
            SimHeatTune.Outcome o = SimHeatTune.run(p, SimDevice.AMBIENT_CELSIUS, 7, limits, SafetySettings.defaults(), "d");
            print("rig   ", p, o.run().experiment(), o.calibration());
            VirtualClock clock = new VirtualClock(1_000_000_000L);
            SimDevice d = new SimDevice(clock, limits, 7);
            p.applyTo(d.thermal(), SimDevice.AMBIENT_CELSIUS);
            d.advance(clock.nanos());
            SafetySupervisor sup = new SafetySupervisor(limits, SafetySettings.defaults());
            TuneRun run = new TuneRun(sup, TunePlan.defaults(limits.skinCeilingCelsius(), sup.thermalLimits().padLimitCelsius()));
            DeviceHeatTune.run(d.io(), clock, DeviceHeatTune.virtualTime(clock, d), run, () -> false,
                    () -> d.heater().forceSafe(), 60_000_000_000L, x -> { });
            PadCalibration c = null;
            try {
                c = PadCalibration.identify("x", "d", "device", run.experiment(), HeatModel.defaults());
            } catch (IllegalArgumentException e) {
                System.out.println("device fit failed: " + e.getMessage());
            }
            print("device", p, run.experiment(), c);
        }
    }

    static final PadPlant[] PLANTS = {PadPlant.NOMINAL, new PadPlant(1.2, 0.8, 1.1), new PadPlant(0.8, 1.2, 0.9),
            new PadPlant(1.1, 1.0, 1.0), new PadPlant(0.95, 1.1, 1.05), new PadPlant(1.05, 0.95, 1.0), new PadPlant(0.9, 1.0, 1.1)};

    /** W and C_p errors over {@code n} seeds, both rigs: mean ± sd, worst, and the step's end reason/length. */
    static void seeds(int n) {
        Limits limits = Limits.defaults();
        for (PadPlant p : PLANTS) {
            double[][] err = new double[4][n];
            StringBuilder why = new StringBuilder();
            for (int k = 0; k < n; k++) {
                long seed = 100 + k;
                SimHeatTune.Outcome o = SimHeatTune.run(p, SimDevice.AMBIENT_CELSIUS, seed, limits, SafetySettings.defaults(), "d");
                ThermalFit.Result f = o.calibration().fit();
                err[0][k] = 100 * (f.heaterWatts().value() / (8 * p.gainScale()) - 1);
                err[1][k] = 100 * (f.padJoulesPerKelvin().value() / (60 * p.tauScale()) - 1);
                TuneExperiment e = device(p, seed, limits);
                ThermalFit.Result g = PadCalibration.identify("x", "d", "device", e, HeatModel.defaults()).fit();
                err[2][k] = 100 * (g.heaterWatts().value() / (8 * p.gainScale()) - 1);
                err[3][k] = 100 * (g.padJoulesPerKelvin().value() / (60 * p.tauScale()) - 1);
                if (k < 3) {
                    why.append(o.run().experiment().heatEndReason()).append('/').append(e.heatEndReason()).append(' ');
                }
            }
            System.out.printf(Locale.ROOT, "g%.2f t%.2f c%.2f  rig W %s C_p %s | device W %s C_p %s  [%s]%n",
                    p.gainScale(), p.tauScale(), p.couplingScale(), stat(err[0]), stat(err[1]), stat(err[2]), stat(err[3]), why);
        }
    }

    static String stat(double[] v) {
        v = java.util.Arrays.stream(v).filter(Double::isFinite).toArray();
        double m = 0;
        double worst = 0;
        for (double x : v) {
            m += x / v.length;
            worst = Math.max(worst, Math.abs(x));
        }
        double ss = 0;
        for (double x : v) {
            ss += (x - m) * (x - m);
        }
        return String.format(Locale.ROOT, "%+5.1f±%4.1f (|max| %4.1f)", m, Math.sqrt(ss / Math.max(1, v.length - 1)), worst);
    }

    static TuneExperiment device(PadPlant p, long seed, Limits limits) {
        return device(p, seed, limits, Timing.AT_TICK);
    }

    /** Sensor timing of a device: each channel's sampling phase and conversion latency (ns). */
    record Timing(long skinPhase, long skinLatency, long padPhase, long padLatency) {
        static final Timing AT_TICK = new Timing(0, 0, 0, 0);

        SimDevice apply(SimDevice d) {
            d.skinSensor().acquisition(skinPhase, skinLatency);
            d.padSensor().acquisition(padPhase, padLatency);
            return d;
        }
    }

    /**
     * Ticks at multiples of 50 ms: skin sampled at 10 ms (mod 100), out at 40, used at the 50 ms tick (40 ms old); pad
     * sampled at 20 ms, out at 70, used at the 100 ms tick (80 ms old): different ages, used in different ticks.
     */
    static final Timing LAGGED = new Timing(10_000_000L, 30_000_000L, 20_000_000L, 50_000_000L);
    /**
     * The Pi's drivers: the TMP117 driver publishes a skin result ~75 ms after the middle of its averaging window,
     * where it stamps it (62 ms, half the 124 ms window, plus half its 25 ms Data_Ready poll); the ADS1115 pad
     * reading is stamped at its read, 2 ms after its conversion started.
     */
    static final Timing TMP117_AGED = new Timing(10_000_000L, 75_000_000L, 20_000_000L, 2_000_000L);
    /** The old TMP117 driver: published when read, 125 ms after it was taken (the pad as in {@link #TMP117_AGED}). */
    static final Timing TMP117_STAMPED_AT_READ = new Timing(10_000_000L, 125_000_000L, 20_000_000L, 2_000_000L);
    /** Skin 40 ms old, pad 90 ms (sampled at 60 ms, out at 140): both used in the same tick. */
    static final Timing LAGGED_SAME_TICK = new Timing(10_000_000L, 30_000_000L, 60_000_000L, 80_000_000L);

    static TuneExperiment device(PadPlant p, long seed, Limits limits, Timing timing) {
        VirtualClock clock = new VirtualClock(1_000_000_000L);
        SimDevice d = timing.apply(new SimDevice(clock, limits, seed));
        p.applyTo(d.thermal(), SimDevice.AMBIENT_CELSIUS);
        d.advance(clock.nanos());
        SafetySupervisor sup = new SafetySupervisor(limits, SafetySettings.defaults());
        TuneRun run = new TuneRun(sup, TunePlan.defaults(limits.skinCeilingCelsius(), sup.thermalLimits().padLimitCelsius()));
        DeviceHeatTune.run(d.io(), clock, DeviceHeatTune.virtualTime(clock, d), run, () -> false,
                () -> d.heater().forceSafe(), 60_000_000_000L, x -> { });
        return run.experiment();
    }

    static void lag(int n) {
        for (Timing timing : new Timing[] {Timing.AT_TICK, LAGGED_SAME_TICK, LAGGED}) {
            for (PadPlant p : new PadPlant[] {PadPlant.NOMINAL, new PadPlant(1.2, 0.8, 1.1), new PadPlant(0.8, 1.2, 0.9)}) {
                double[][] err = new double[4][n];
                java.util.Map<String, Integer> why = new java.util.TreeMap<>();
                io.tensd.testkit.SeededCases.sequential(100, n).run(c -> {
                    TuneExperiment e = device(p, c.seed(), Limits.defaults(), timing);
                    int k = c.index();
                    ThermalFit.Result f;
                    try {
                        f = PadCalibration.identify("x", "d", "device", e, HeatModel.defaults()).fit();
                    } catch (IllegalArgumentException x) {
                        why.merge(x.getMessage(), 1, Integer::sum);
                        for (double[] row : err) {
                            row[k] = Double.NaN;
                        }
                        return;
                    }
                    err[0][k] = 100 * (f.heaterWatts().value() / (8 * p.gainScale()) - 1);
                    err[1][k] = 100 * (f.padJoulesPerKelvin().value() / (60 * p.tauScale()) - 1);
                    err[2][k] = 100 * (f.skinJoulesPerKelvin().value() / (40 * p.tauScale()) - 1);
                    err[3][k] = 100 * (f.padSkinKelvinPerWatt().value() / (2 * p.couplingScale()) - 1);
                    why.merge(e.heatEndReason(), 1, Integer::sum);
                });
                System.out.printf(Locale.ROOT, "%s g%.2f t%.2f c%.2f, %d seeds: W %s C_p %s C_s %s R_ps %s %s%n",
                        timing == LAGGED ? "lagged, apart " : timing == LAGGED_SAME_TICK ? "lagged, same tick" : "at tick", p.gainScale(), p.tauScale(), p.couplingScale(), n,
                        stat(err[0]), stat(err[1]), stat(err[2]), stat(err[3]), why);
            }
        }
    }

    static void lagRig(int n) {
        Limits limits = Limits.defaults();
        for (long[] ages : new long[][] {{0, 0}, {40_000_000L, 90_000_000L}}) {
            for (PadPlant p : new PadPlant[] {PadPlant.NOMINAL, new PadPlant(1.2, 0.8, 1.1), new PadPlant(0.8, 1.2, 0.9)}) {
                double[][] err = new double[4][n];
                java.util.Map<String, Integer> why = new java.util.TreeMap<>();
                io.tensd.testkit.SeededCases.sequential(100, n).run(c -> {
                    SafetySupervisor sup = new SafetySupervisor(limits, SafetySettings.defaults());
                    TunePlan plan = TunePlan.defaults(limits.skinCeilingCelsius(), sup.thermalLimits().padLimitCelsius());
                    TuneRun run = new TuneRun(sup, plan);
                    new io.tensd.sim.PadRig(p, SimDevice.AMBIENT_CELSIUS, c.seed()).readingAges(ages[0], ages[1])
                            .run(new io.tensd.sim.PadRig.Driver() {
                                @Override
                                public io.tensd.safety.Verdict tick(long now, io.tensd.safety.Inputs in) { return run.tick(now, in); }

                                @Override
                                public boolean finished() { return run.finished(); }
                            }, (plan.maxTotalMillis() + 60_000) * io.tensd.sim.PadRig.MS, 0, io.tensd.sim.PadRig.Injection.NONE);
                    ThermalFit.Result f = PadCalibration.identify("x", "d", "rig", run.experiment(), HeatModel.defaults()).fit();
                    int k = c.index();
                    err[0][k] = 100 * (f.heaterWatts().value() / (8 * p.gainScale()) - 1);
                    err[1][k] = 100 * (f.padJoulesPerKelvin().value() / (60 * p.tauScale()) - 1);
                    err[2][k] = 100 * (f.skinJoulesPerKelvin().value() / (40 * p.tauScale()) - 1);
                    err[3][k] = 100 * (f.padSkinKelvinPerWatt().value() / (2 * p.couplingScale()) - 1);
                    why.merge(run.experiment().heatEndReason(), 1, Integer::sum);
                });
                System.out.printf(Locale.ROOT, "rig, ages %d/%d ms g%.2f t%.2f c%.2f, %d seeds: W %s C_p %s C_s %s R_ps %s %s%n",
                        ages[0] / 1_000_000, ages[1] / 1_000_000, p.gainScale(), p.tauScale(), p.couplingScale(), n,
                        stat(err[0]), stat(err[1]), stat(err[2]), stat(err[3]), why);
            }
        }
    }

    static void print(String rig, PadPlant p, TuneExperiment e, PadCalibration c) {
        TuneExperiment.Samples s = e.samples();
        double heatStart = Double.NaN;
        double heatEnd = Double.NaN;
        for (int i = 0; i < s.size(); i++) {
            if (s.duty(i) > 0 && Double.isNaN(heatStart)) {
                heatStart = s.t(i);
            }
            if (s.duty(i) > 0) {
                heatEnd = s.t(i);
            }
        }
        String head = String.format(Locale.ROOT, "%s g%.2f t%.2f c%.2f: %s, step %s after %.0f s, %d samples over %.0f s",
                rig, p.gainScale(), p.tauScale(), p.couplingScale(), e.endReason(), e.heatEndReason(), heatEnd - heatStart,
                s.size(), s.t(s.size() - 1));
        if (c == null) {
            System.out.println(head);
            return;
        }
        ThermalFit.Result f = c.fit();
        System.out.printf(Locale.ROOT, "%s%n    W %+.1f %%  C_p %+.1f %%  C_s %+.1f %%  R_ps %+.1f %%  R_pa %+.1f %%  resid %.3f%n", head,
                100 * (f.heaterWatts().value() / (8 * p.gainScale()) - 1),
                100 * (f.padJoulesPerKelvin().value() / (60 * p.tauScale()) - 1),
                100 * (f.skinJoulesPerKelvin().value() / (40 * p.tauScale()) - 1),
                100 * (f.padSkinKelvinPerWatt().value() / (2 * p.couplingScale()) - 1),
                100 * (f.padAirKelvinPerWatt().value() / 10 - 1), f.residualCelsius());
    }
}
