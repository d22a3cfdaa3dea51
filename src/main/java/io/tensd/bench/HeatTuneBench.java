package io.tensd.bench;

import io.tensd.config.Limits;
import io.tensd.heat.HeatSetup;
import io.tensd.safety.FaultCode;
import io.tensd.safety.HeatModel;
import io.tensd.safety.Inputs;
import io.tensd.safety.SafetySettings;
import io.tensd.safety.Verdict;
import io.tensd.sim.PadPlant;
import io.tensd.sim.HeatedSession;
import io.tensd.sim.PadRig;
import io.tensd.sim.SimHeatTune;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * {@code tensd bench heat-tune}: over N pads drawn within ±spread on gain, time constants and coupling (ambient
 * 18–28 °C), each pad is identified by heat-tune, then heated for a full 60-minute session with its identified model
 * and PID, then given each fault the cross-check exists for at a random moment of a heated session. The same faults
 * on the nominal pad with the nominal model are measured first: the figures to be no worse than. Every figure is
 * printed; nothing is asserted on time.
 */
public final class HeatTuneBench {
    static final double SETPOINT = 40.0;
    static final long MIN = 60_000 * PadRig.MS;
    /** Faults the cross-check exists for, as the hazard table's scenarios inject them. */
    public enum Fault {
        STUCK_ON(PadRig.Fault.HEATER_STUCK_ON, 0), DETACHED(PadRig.Fault.PAD_DETACHED, 0),
        SKIN_DRIFT_MINUS_2(PadRig.Fault.SKIN_DRIFT, -2), PAD_DRIFT_MINUS_2(PadRig.Fault.PAD_DRIFT, -2),
        PAD_DRIFT_PLUS_2(PadRig.Fault.PAD_DRIFT, 2);

        final PadRig.Fault rig;
        final double drift;

        Fault(PadRig.Fault rig, double drift) {
            this.rig = rig;
            this.drift = drift;
        }
    }

    /** What one pad gave. NaN / −1 where a stage did not run. */
    record Pad(long seed, PadPlant plant, double ambient, String tuneFailure, double[] relError, double tuneMaxSkin,
               double overshoot, double settleSeconds, long sessionFaults, boolean heated, double sessionMaxSkin,
               int bandExcursions, long nominalModelFaults, double[] detectSeconds, double faultMaxSkin) { }

    public record Summary(int pads, int identified, int falseTrips, int nominalModelFalseTrips, int notHeating,
                          double maxSkin, Map<Fault, double[]> detection, Map<Fault, double[]> baseline,
                          Map<Fault, Integer> undetected, double[][] errors, double[] overshoot, double[] settle,
                          int bandPads, List<String> problems) { }

    private HeatTuneBench() { }

    public static Summary run(int pads, long seed, double spread, int baselineRuns, int threads) {
        return run(pads, seed, spread, baselineRuns, threads, Double.NaN);
    }

    /** {@code ambientCelsius}: every pad and the nominal one in this room; NaN: each pad in a room drawn 18–28 °C. */
    public static Summary run(int pads, long seed, double spread, int baselineRuns, int threads, double ambientCelsius) {
        double baselineAmbient = Double.isNaN(ambientCelsius) ? 22.0 : ambientCelsius;
        Limits limits = Limits.defaults();
        Map<Fault, double[]> baseline = new EnumMap<>(Fault.class);
        for (Fault f : Fault.values()) {
            double[] d = new double[baselineRuns];
            for (int i = 0; i < baselineRuns; i++) {
                Random r = new Random(seed * 31 + i);
                d[i] = detect(PadPlant.NOMINAL, baselineAmbient, seed + i, HeatSetup.nominal(), limits, f, r)[0];
            }
            baseline.put(f, d);
        }
        Pad[] out = new Pad[pads];
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(Math.max(1, threads));
        try {
            pool.submit(() -> IntStream.range(0, pads).parallel().forEach(i -> out[i] = pad(seed + 1000 + i, spread, limits, ambientCelsius))).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdown();
        }
        return summarize(out, baseline, limits);
    }

    static Pad pad(long seed, double spread, Limits limits, double ambientCelsius) {
        Random r = new Random(seed);
        PadPlant plant = PadPlant.random(r, spread);
        double drawn = 18 + r.nextDouble() * 10;
        double ambient = Double.isNaN(ambientCelsius) ? drawn : ambientCelsius;
        SimHeatTune.Outcome t = SimHeatTune.run(plant, ambient, seed, limits, SafetySettings.defaults(), "2026-01-01T00:00:00Z");
        if (t.calibration() == null) {
            return new Pad(seed, plant, ambient, t.failure(), null, t.rig().maxTrueSkinCelsius(), Double.NaN, Double.NaN,
                    0, false, Double.NaN, 0, 0, null, Double.NaN);
        }
        var f = t.calibration().fit();
        double[] err = {
            f.heaterWatts().value() / (8 * plant.gainScale()) - 1,
            f.padJoulesPerKelvin().value() / (60 * plant.tauScale()) - 1,
            f.skinJoulesPerKelvin().value() / (40 * plant.tauScale()) - 1,
            f.padSkinKelvinPerWatt().value() / (2 * plant.couplingScale()) - 1,
            f.padAirKelvinPerWatt().value() / 10 - 1};
        HeatSetup setup = t.calibration().setup(plant.padId(), HeatModel.defaults());
        String refusal = setup.refusal();
        Session s = session(plant, ambient, seed, setup, limits);
        Session nominal = session(plant, ambient, seed, HeatSetup.nominal(), limits);
        double[] det = new double[Fault.values().length];
        double faultMax = 0;
        for (Fault fault : Fault.values()) {
            double[] d = detect(plant, ambient, seed, setup, limits, fault, new Random(seed * 7 + fault.ordinal()));
            det[fault.ordinal()] = d[0];
            faultMax = Math.max(faultMax, d[1]);
        }
        return new Pad(seed, plant, ambient, refusal, err, t.rig().maxTrueSkinCelsius(), s.maxSkin - SETPOINT, s.settleSeconds,
                s.faults, s.heated, s.maxSkin, s.bandTicks, nominal.faults, det, faultMax);
    }

    record Session(long faults, double maxSkin, double settleSeconds, boolean heated, int bandTicks) { }

    /** A full 60-minute heated session; settling: last time the true skin was outside 40 ± 0.3 °C. */
    static Session session(PadPlant plant, double ambient, long seed, HeatSetup setup, Limits limits) {
        HeatedSession d = new HeatedSession(setup, limits, SETPOINT, false);
        PadRig rig = new PadRig(plant, ambient, seed);
        double[] lastOutside = {0};
        double[] reached = {Double.NaN};
        PadRig.Driver watch = new PadRig.Driver() {
            @Override
            public Verdict tick(long now, Inputs in) {
                double skin = rig.thermal().skinCelsius();
                if (Math.abs(skin - SETPOINT) > 0.3) {
                    lastOutside[0] = now;
                }
                if (Double.isNaN(reached[0]) && skin >= SETPOINT - 0.3) {
                    reached[0] = now;
                }
                return d.tick(now, in);
            }
        };
        PadRig.Result r = rig.run(watch, 60 * MIN, 0, PadRig.Injection.NONE);
        boolean heated = !Double.isNaN(reached[0]);
        return new Session(r.faultBits(), r.maxTrueSkinCelsius(), (lastOutside[0] - 1_000 * PadRig.MS) / 1e9, heated, d.bandTicks());
    }

    /** {detection seconds from the injection (NaN: not within 10 min), max true skin}. Injected 10–50 min in. */
    static double[] detect(PadPlant plant, double ambient, long seed, HeatSetup setup, Limits limits, Fault f, Random r) {
        HeatedSession d = new HeatedSession(setup, limits, SETPOINT, true);
        long at = (long) ((10 + r.nextDouble() * 40) * 60_000) * PadRig.MS;
        PadRig.Result res = new PadRig(plant, ambient, seed ^ 0x5eedL).run(d, at + 10 * MIN, 0,
                new PadRig.Injection(f.rig, at, f.drift));
        double s = res.firstFaultNanos() < 0 || res.firstFaultNanos() < at ? Double.NaN : (res.firstFaultNanos() - at) / 1e9;
        if (res.firstFaultNanos() >= 0 && res.firstFaultNanos() < at) {
            s = -1; // tripped before the injection: a false trip, counted as undetected here and reported
        }
        return new double[] {s, res.maxTrueSkinCelsius()};
    }

    static Summary summarize(Pad[] pads, Map<Fault, double[]> baseline, Limits limits) {
        List<String> problems = new ArrayList<>();
        int identified = 0;
        int falseTrips = 0;
        int nominalTrips = 0;
        int notHeating = 0;
        int bandPads = 0;
        double maxSkin = 0;
        List<double[]> errs = new ArrayList<>();
        List<Double> over = new ArrayList<>();
        List<Double> settle = new ArrayList<>();
        Map<Fault, List<Double>> det = new EnumMap<>(Fault.class);
        Map<Fault, Integer> undetected = new EnumMap<>(Fault.class);
        for (Fault f : Fault.values()) {
            det.put(f, new ArrayList<>());
            undetected.put(f, 0);
        }
        for (Pad p : pads) {
            maxSkin = Math.max(maxSkin, p.tuneMaxSkin());
            if (p.relError() == null) {
                problems.add("seed " + p.seed() + " " + p.plant().padId() + ": not identified: " + p.tuneFailure());
                continue;
            }
            if (p.tuneFailure() != null) {
                problems.add("seed " + p.seed() + " " + p.plant().padId() + ": heat refused: " + p.tuneFailure());
                continue;
            }
            identified++;
            errs.add(p.relError());
            maxSkin = Math.max(maxSkin, Math.max(p.sessionMaxSkin(), p.faultMaxSkin()));
            if (!p.heated()) {
                notHeating++;
                problems.add("seed " + p.seed() + ": the session never reached 39.7 °C");
            }
            if (p.sessionFaults() != 0) {
                falseTrips++;
                problems.add("seed " + p.seed() + " " + p.plant().padId() + ": false trip " + FaultCode.join(p.sessionFaults(), ","));
            }
            nominalTrips += p.nominalModelFaults() != 0 ? 1 : 0;
            bandPads += p.bandExcursions() > 0 ? 1 : 0;
            over.add(p.overshoot());
            settle.add(p.settleSeconds());
            for (Fault f : Fault.values()) {
                double d = p.detectSeconds()[f.ordinal()];
                if (d >= 0) {
                    det.get(f).add(d);
                } else {
                    undetected.merge(f, 1, Integer::sum);
                    problems.add("seed " + p.seed() + " " + f + ": " + (d < 0 ? "tripped before the injection" : "not detected in 10 min"));
                }
            }
        }
        double[][] e = new double[5][errs.size()];
        for (int i = 0; i < errs.size(); i++) {
            for (int k = 0; k < 5; k++) {
                e[k][i] = Math.abs(errs.get(i)[k]);
            }
        }
        Map<Fault, double[]> detection = new EnumMap<>(Fault.class);
        det.forEach((k, v) -> detection.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
        return new Summary(pads.length, identified, falseTrips, nominalTrips, notHeating, maxSkin, detection, baseline,
                undetected, e, over.stream().mapToDouble(Double::doubleValue).toArray(),
                settle.stream().mapToDouble(Double::doubleValue).toArray(), bandPads, problems);
    }

    static double pct(double[] v, double p) {
        double[] s = Arrays.stream(v).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (s.length == 0) {
            return Double.NaN;
        }
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100 * s.length) - 1 < 0 ? 0 : (int) Math.ceil(p / 100 * s.length) - 1)];
    }

    static double max(double[] v) { return Arrays.stream(v).filter(x -> !Double.isNaN(x)).max().orElse(Double.NaN); }

    public static void print(Summary s, PrintWriter o, double ceiling) {
        String[] names = {"heater power W", "pad heat capacity C_p", "skin heat capacity C_s", "pad-skin resistance R_ps",
            "pad-air resistance R_pa"};
        o.printf(Locale.ROOT, "pads %d, identified and accepted %d%n", s.pads(), s.identified());
        o.println("identification error |estimate/true - 1|:   p50      p95");
        for (int k = 0; k < 5; k++) {
            o.printf(Locale.ROOT, "  %-28s %6.1f %%  %6.1f %%%n", names[k], 100 * pct(s.errors()[k], 50), 100 * pct(s.errors()[k], 95));
        }
        o.printf(Locale.ROOT, "identified PID at 40 °C: overshoot p50 %.2f / p95 %.2f / max %.2f °C; settling (±0.3 °C) p50 %.0f / p95 %.0f / max %.0f s%n",
                pct(s.overshoot(), 50), pct(s.overshoot(), 95), max(s.overshoot()), pct(s.settle(), 50), pct(s.settle(), 95), max(s.settle()));
        o.printf(Locale.ROOT, "false trips over a 60-min heated session: identified model %d of %d; nominal model on the same pads %d%n",
                s.falseTrips(), s.identified(), s.nominalModelFalseTrips());
        o.printf(Locale.ROOT, "sessions with the cross-check residual outside the identified band (reported, not a fault): %d%n", s.bandPads());
        o.println("detection time after injection (s)        identified pads p50/p95/max   nominal pad+model p50/p95/max   undetected");
        for (Fault f : Fault.values()) {
            double[] d = s.detection().get(f);
            double[] b = s.baseline().get(f);
            o.printf(Locale.ROOT, "  %-22s %26s   %28s   %d%n", f.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    String.format(Locale.ROOT, "%.1f / %.1f / %.1f", pct(d, 50), pct(d, 95), max(d)),
                    String.format(Locale.ROOT, "%.1f / %.1f / %.1f", pct(b, 50), pct(b, 95), max(b)), s.undetected().get(f));
        }
        o.printf(Locale.ROOT, "true skin max over every run (identification, sessions, faults): %.3f °C (ceiling %.1f)%n", s.maxSkin(), ceiling);
        s.problems().stream().limit(20).forEach(p -> o.println("  " + p));
        o.flush();
    }
}
