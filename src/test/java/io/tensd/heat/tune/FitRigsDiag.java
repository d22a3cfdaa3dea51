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
 *     synth N       the model alone, noise-free and with the sensors' noise, steps of 20–240 s
 *     truth N MS    device record (times, duty) with true temperatures, fixed step of MS, residual stop off
 *     fixed N MS    device, fixed step of MS, residual stop off
 *     ci N          device: how often W is inside its 95 % CI
 *     cover N [device|device-lagged]  each parameter's CI coverage over N seeds (rig, device, device with
 *                   {@link #LAGGED} readings: the skin interpolated to the pad's times)
 *     dump          device, one run: the recorded duty around the step's edges
 *     bench N       HeatTuneBench over N pads (seed 1, 50 baseline runs)
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
            case "synth" -> synthetic(Integer.parseInt(args[1]));
            case "truth" -> truth(Integer.parseInt(args[1]), Long.parseLong(args[2]));
            case "fixed" -> fixedStep(Integer.parseInt(args[1]), Long.parseLong(args[2]));
            case "ci" -> ci(Integer.parseInt(args[1]));
            case "cover" -> cover(Integer.parseInt(args[1]), args.length > 2 && args[2].startsWith("device"),
                    args.length > 2 && args[2].equals("device-lagged") ? LAGGED : Timing.AT_TICK);
            case "dump" -> dump();
            case "lag" -> lag(Integer.parseInt(args[1]));
            case "lagrig" -> lagRig(Integer.parseInt(args[1]));
            case "bench" -> {
                var sum = io.tensd.bench.HeatTuneBench.run(Integer.parseInt(args[1]), 1, 0.25, 50, 2);
                java.io.PrintWriter out = new java.io.PrintWriter(System.out, true);
                io.tensd.bench.HeatTuneBench.print(sum, out, 41.0);
                out.flush();
            }
            default -> seeds(Integer.parseInt(mode));
        }
    }

    static void ci(int n) {
        for (PadPlant p : PLANTS) {
            int covered = 0;
            double ci = 0;
            for (int k = 0; k < n; k++) {
                ThermalFit.Result g = PadCalibration.identify("x", "d", "device", device(p, 100 + k, Limits.defaults()),
                        HeatModel.defaults()).fit();
                covered += Math.abs(g.heaterWatts().value() - 8 * p.gainScale()) <= g.heaterWatts().ci95() ? 1 : 0;
                ci += 100 * g.heaterWatts().relative() / n;
            }
            System.out.printf(Locale.ROOT, "g%.2f t%.2f c%.2f: W inside its 95 %% CI %d of %d, mean CI ±%.1f %%%n",
                    p.gainScale(), p.tauScale(), p.couplingScale(), covered, n, ci);
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

    static void dump() {
        TuneExperiment e = device(new PadPlant(1.2, 0.8, 1.1), 101, Limits.defaults());
        TuneExperiment.Samples x = e.samples();
        double integral = 0;
        for (int i = 1; i < x.size(); i++) {
            integral += (x.t(i) - x.t(i - 1)) * x.duty(i);
            if (x.duty(i) != x.duty(i - 1)) {
                System.out.printf(Locale.ROOT, "t %.3f duty %.4f -> %.4f skin %.3f pad %.3f%n", x.t(i), x.duty(i - 1),
                        x.duty(i), x.skin(i), x.pad(i));
            }
        }
        System.out.println("recorded duty integral " + integral);
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

    /** The plant alone, sampled at 10 Hz: noise-free and with the sensors' noise, for several step lengths. */
    static void synthetic(int n) {
        for (PadPlant p : PLANTS) {
            for (double heat : new double[] {20, 30, 60, 120, 240}) {
                StringBuilder line = new StringBuilder();
                for (double noiseScale : new double[] {0, 1}) {
                    double[][] err = new double[3][n];
                    for (int k = 0; k < n; k++) {
                        ThermalFit.Result f = ThermalFit.fit(synth(p, heat, noiseScale, 100 + k), 55, 2.0);
                        err[0][k] = 100 * (f.heaterWatts().value() / (8 * p.gainScale()) - 1);
                        err[1][k] = 100 * (f.padJoulesPerKelvin().value() / (60 * p.tauScale()) - 1);
                        err[2][k] = 100 * (f.padAirKelvinPerWatt().value() / 10 - 1);
                    }
                    line.append(String.format(Locale.ROOT, " noise×%.0f: W %s C_p %s R_pa %s", noiseScale, stat(err[0]),
                            stat(err[1]), stat(err[2])));
                }
                System.out.printf(Locale.ROOT, "g%.2f t%.2f c%.2f heat %3.0f s%s%n", p.gainScale(), p.tauScale(),
                        p.couplingScale(), heat, line);
            }
        }
    }

    static TuneExperiment.Samples synth(PadPlant p, double heatSeconds, double noiseScale, long seed) {
        java.util.Random r = new java.util.Random(seed);
        io.tensd.sim.ThermalModel m = new io.tensd.sim.ThermalModel(SimDevice.AMBIENT_CELSIUS, SimDevice.HEATER_WATTS);
        p.applyTo(m, SimDevice.AMBIENT_CELSIUS);
        TuneExperiment.Samples s = new TuneExperiment.Samples(20_000);
        double end = 60 + heatSeconds + 480;
        int on = 600;
        int off = 600 + (int) Math.round(heatSeconds * 10);
        double u = 0;
        for (int i = 0; i * 0.1 <= end; i++) {
            s.add(i * 0.1, m.skinCelsius() + noiseScale * 0.01 * r.nextGaussian(), m.padCelsius() + noiseScale * 0.03 * r.nextGaussian(), u);
            u = i >= on && i < off ? 0.5 : 0; // applied over (t_i, t_i+1], recorded with sample i + 1
            for (int j = 0; j < 10; j++) {
                m.step(0.01, u);
            }
        }
        return s;
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

    /** The device rig with the residual stop off and a fixed step length: is the data-dependent stop the bias? */
    static void fixedStep(int n, long heatMillis) {
        Limits limits = Limits.defaults();
        for (PadPlant p : PLANTS) {
            double[][] err = new double[2][n];
            for (int k = 0; k < n; k++) {
                VirtualClock clock = new VirtualClock(1_000_000_000L);
                SimDevice d = new SimDevice(clock, limits, 100 + k);
                p.applyTo(d.thermal(), SimDevice.AMBIENT_CELSIUS);
                d.advance(clock.nanos());
                SafetySupervisor sup = new SafetySupervisor(limits, SafetySettings.defaults());
                TunePlan def = TunePlan.defaults(limits.skinCeilingCelsius(), sup.thermalLimits().padLimitCelsius());
                TunePlan plan = new TunePlan(def.dutyStep(), def.skinStopCelsius(), def.padStopCelsius(), def.restMillis(),
                        heatMillis, def.coolMillis(), def.maxTotalMillis(), 99);
                TuneRun run = new TuneRun(sup, plan);
                DeviceHeatTune.run(d.io(), clock, DeviceHeatTune.virtualTime(clock, d), run, () -> false,
                        () -> d.heater().forceSafe(), 60_000_000_000L, x -> { });
                ThermalFit.Result g = PadCalibration.identify("x", "d", "device", run.experiment(), HeatModel.defaults()).fit();
                err[0][k] = 100 * (g.heaterWatts().value() / (8 * p.gainScale()) - 1);
                err[1][k] = 100 * (g.padJoulesPerKelvin().value() / (60 * p.tauScale()) - 1);
            }
            System.out.printf(Locale.ROOT, "g%.2f t%.2f c%.2f fixed %d ms step: device W %s C_p %s%n", p.gainScale(),
                    p.tauScale(), p.couplingScale(), heatMillis, stat(err[0]), stat(err[1]));
        }
    }

    /** The device rig's samples (times, duty) with the model's true temperatures in place of the readings. */
    static void truth(int n, long heatMillis) {
        Limits limits = Limits.defaults();
        for (PadPlant p : PLANTS) {
            double[][] err = new double[4][n];
            for (int k = 0; k < n; k++) {
                VirtualClock clock = new VirtualClock(1_000_000_000L);
                SimDevice d = new SimDevice(clock, limits, 100 + k);
                p.applyTo(d.thermal(), SimDevice.AMBIENT_CELSIUS);
                d.advance(clock.nanos());
                SafetySupervisor sup = new SafetySupervisor(limits, SafetySettings.defaults());
                TunePlan def = TunePlan.defaults(limits.skinCeilingCelsius(), sup.thermalLimits().padLimitCelsius());
                TunePlan plan = new TunePlan(def.dutyStep(), def.skinStopCelsius(), def.padStopCelsius(), def.restMillis(),
                        heatMillis, def.coolMillis(), def.maxTotalMillis(), 99);
                TuneRun run = new TuneRun(sup, plan);
                java.util.TreeMap<Long, double[]> truth = new java.util.TreeMap<>();
                DeviceHeatTune.Pacer inner = DeviceHeatTune.virtualTime(clock, d);
                DeviceHeatTune.run(d.io(), clock, t -> {
                    inner.awaitUntil(t);
                    truth.put(clock.nanos(), new double[] {d.thermal().skinCelsius(), d.thermal().padCelsius()});
                }, run, () -> false, () -> d.heater().forceSafe(), 60_000_000_000L, x -> { });
                TuneExperiment.Samples x = run.experiment().samples();
                long start = truth.firstKey(); // the experiment's time 0: its first tick (readings were there at once)
                TuneExperiment.Samples t = new TuneExperiment.Samples(x.size() + 1);
                TuneExperiment.Samples q = new TuneExperiment.Samples(x.size() + 1);
                for (int i = 0; i < x.size(); i++) {
                    double[] v = truth.get(start + Math.round(x.t(i) * 1000) * 1_000_000L);
                    t.add(x.t(i), v[0], v[1], x.duty(i));
                    q.add(x.t(i), Math.round(v[0] / 0.0078125) * 0.0078125, Math.round(v[1] / 0.01) * 0.01, x.duty(i));
                }
                ThermalFit.Result g = ThermalFit.fit(t, 55, 2.0);
                ThermalFit.Result h = ThermalFit.fit(q, 55, 2.0);
                err[0][k] = 100 * (g.heaterWatts().value() / (8 * p.gainScale()) - 1);
                err[1][k] = 100 * (g.padJoulesPerKelvin().value() / (60 * p.tauScale()) - 1);
                err[2][k] = 100 * (h.heaterWatts().value() / (8 * p.gainScale()) - 1);
                err[3][k] = 100 * (h.padJoulesPerKelvin().value() / (60 * p.tauScale()) - 1);
            }
            System.out.printf(Locale.ROOT, "g%.2f t%.2f c%.2f %d ms step, true temps: W %s C_p %s | quantised W %s C_p %s%n",
                    p.gainScale(), p.tauScale(), p.couplingScale(), heatMillis, stat(err[0]), stat(err[1]), stat(err[2]), stat(err[3]));
        }
    }

    static TuneExperiment device(PadPlant p, long seed, Limits limits) {
        VirtualClock clock = new VirtualClock(1_000_000_000L);
        SimDevice d = new SimDevice(clock, limits, seed);
        p.applyTo(d.thermal(), SimDevice.AMBIENT_CELSIUS);
        d.advance(clock.nanos());
        SafetySupervisor sup = new SafetySupervisor(limits, SafetySettings.defaults());
        TuneRun run = new TuneRun(sup, TunePlan.defaults(limits.skinCeilingCelsius(), sup.thermalLimits().padLimitCelsius()));
        DeviceHeatTune.run(d.io(), clock, DeviceHeatTune.virtualTime(clock, d), run, () -> false,
                () -> d.heater().forceSafe(), 60_000_000_000L, x -> { });
        return run.experiment();
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
