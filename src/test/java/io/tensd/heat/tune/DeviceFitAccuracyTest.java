package io.tensd.heat.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.config.Limits;
import io.tensd.daemon.DeviceHeatTune;
import io.tensd.hw.DeviceIo;
import io.tensd.hw.SensorStatus;
import io.tensd.hw.TempReading;
import io.tensd.hw.TemperatureSensor;
import io.tensd.loop.VirtualClock;
import io.tensd.safety.HeatModel;
import io.tensd.safety.SafetySettings;
import io.tensd.safety.SafetySupervisor;
import io.tensd.sim.PadPlant;
import io.tensd.sim.SimDevice;
import io.tensd.testkit.SeededCases;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * heat-tune over the simulated device's ports on pads unlike the nominal one, where the cross-check residual stop
 * cuts the step to 20–30 s. The record itself (times, duty as recorded) with the plant's true temperatures must give
 * the plant back: the fit's own bias (−6 %) and the duty recorded a tick early (+5 %) each failed this. Over seeds, the
 * fit with the sensors' noise must be unbiased, also with readings as old as the device's acquisition threads deliver
 * them.
 */
class DeviceFitAccuracyTest {
    private static final long S = 1_000_000_000L;

    /** One device run in virtual time; the plant's true temperatures at every tick, by clock time. */
    private record Run(TuneExperiment experiment, Map<Long, double[]> truth, long startNanos) { }

    private static Run run(PadPlant plant, long seed) {
        return run(plant, seed, FitRigsDiag.Timing.AT_TICK);
    }

    private static Run run(PadPlant plant, long seed, FitRigsDiag.Timing timing) {
        return run(plant, seed, timing, 0);
    }

    /**
     * {@code skinStampLateNanos}: each skin reading is stamped this much after it was taken, as the TMP117 driver did
     * when it stamped a result at its I2C read (with the sim's latency equal to it: stamped when published).
     */
    private static Run run(PadPlant plant, long seed, FitRigsDiag.Timing timing, long skinStampLateNanos) {
        Limits limits = Limits.defaults();
        VirtualClock clock = new VirtualClock(S);
        SimDevice d = timing.apply(new SimDevice(clock, limits, seed));
        plant.applyTo(d.thermal(), SimDevice.AMBIENT_CELSIUS);
        d.advance(clock.nanos());
        SafetySupervisor sup = new SafetySupervisor(limits, SafetySettings.defaults());
        TuneRun run = new TuneRun(sup, TunePlan.defaults(limits.skinCeilingCelsius(), sup.thermalLimits().padLimitCelsius()));
        Map<Long, double[]> truth = new HashMap<>();
        long[] start = {-1};
        DeviceHeatTune.Pacer inner = DeviceHeatTune.virtualTime(clock, d);
        DeviceHeatTune.Pacer pacer = t -> {
            if (start[0] < 0 && t <= clock.nanos()) {
                start[0] = t; // the runner's first tick (the waits for readings ask for later times): the experiment's 0
            }
            inner.awaitUntil(t);
            truth.put(clock.nanos(), new double[] {d.thermal().skinCelsius(), d.thermal().padCelsius()});
        };
        DeviceIo io = d.io();
        if (skinStampLateNanos != 0) {
            TemperatureSensor skin = io.skin();
            io = new DeviceIo(() -> {
                TempReading r = skin.latest();
                return r.status() == SensorStatus.OK ? TempReading.ok(r.celsius(), r.sampledAtNanos() + skinStampLateNanos) : r;
            }, io.pad(), io.stimulator(), io.heater(), io.annunciator(), io.battery(), io.posture(), io.estop());
        }
        DeviceHeatTune.run(io, clock, pacer, run, () -> false, () -> d.heater().forceSafe(), 60 * S, p -> { });
        assertEquals(TuneExperiment.Phase.DONE, run.experiment().phase(), run.experiment().endReason());
        return new Run(run.experiment(), truth, start[0]);
    }

    @Test
    void theDeviceRecordWithTrueTemperaturesGivesThePlantBack() {
        PadPlant[] plants = {new PadPlant(1.2, 0.8, 1.1), new PadPlant(0.8, 1.2, 0.9), new PadPlant(1.1, 1.0, 1.0)};
        for (PadPlant p : plants) {
            Run r = run(p, 7);
            TuneExperiment.Samples x = r.experiment().samples();
            TuneExperiment.Samples t = new TuneExperiment.Samples(x.size());
            for (int i = 0; i < x.size(); i++) {
                double[] v = r.truth().get(r.startNanos() + Math.round(x.t(i) * 1e3) * 1_000_000L);
                t.add(x.t(i), v[0], v[1], x.duty(i));
            }
            ThermalFit.Result f = ThermalFit.fit(t, r.experiment().plan().restMillis() / 1000.0 - 5, 2.0);
            String what = p + ", step ended by " + r.experiment().heatEndReason() + ": " + f;
            assertEquals(8 * p.gainScale(), f.heaterWatts().value(), 0.005 * 8 * p.gainScale(), what);
            assertEquals(60 * p.tauScale(), f.padJoulesPerKelvin().value(), 0.005 * 60 * p.tauScale(), what);
            assertEquals(10, f.padAirKelvinPerWatt().value(), 0.02 * 10, what);
        }
    }

    @Test
    void theDeviceFitIsUnbiasedOverSeeds() {
        // pads the step of which runs to the skin stop (a few minutes): one fit's noise is about ±2 % (1 sd) there,
        // the pooled mean of 48 fits ±0.3 %; the fit's old bias was −2.5 %
        PadPlant[] plants = {new PadPlant(1.05, 0.95, 1.0), new PadPlant(0.95, 1.1, 1.05), new PadPlant(0.9, 1.0, 1.1)};
        int seeds = 16;
        StringBuilder report = new StringBuilder();
        double watts = 0;
        double padCap = 0;
        for (int i = 0; i < plants.length; i++) {
            PadPlant p = plants[i];
            double w = 0;
            double c = 0;
            for (int k = 0; k < seeds; k++) {
                Run r = run(p, 100 + seeds * i + k); // a seed is the sensors' noise: one per fit, or the errors correlate
                assertEquals("skin-stop", r.experiment().heatEndReason(), p + " seed " + (100 + seeds * i + k));
                ThermalFit.Result f = PadCalibration.identify("PAD", "2026-12-02", "device", r.experiment(),
                        HeatModel.defaults()).fit();
                w += (f.heaterWatts().value() / (8 * p.gainScale()) - 1) / seeds;
                c += (f.padJoulesPerKelvin().value() / (60 * p.tauScale()) - 1) / seeds;
            }
            report.append(String.format(Locale.ROOT, "%s: mean W %+.2f %%, C_p %+.2f %%; ", p, 100 * w, 100 * c));
            watts += w / plants.length;
            padCap += c / plants.length;
        }
        report.append(String.format(Locale.ROOT, "pooled W %+.2f %%, C_p %+.2f %%", 100 * watts, 100 * padCap));
        System.out.println("device heat-tune over " + seeds + " seeds: " + report);
        assertTrue(Math.abs(watts) < 0.012 && Math.abs(padCap) < 0.012, report.toString());
    }

    @Test
    void theFitOnReadingsOfRealisticAgeIsUnbiased() {
        // skin 40 ms old, pad 80 ms, updating in different ticks (FitRigsDiag.LAGGED). Timed at the tick that used
        // them, the mean errors over these seeds were W −(aborted: 20 Hz record, buffer full), +12.2 %, +7.3 %; one
        // fit's noise is ±1.8 % (1 sd) on the nominal pad's long step, ±5 % on the others' 20–30 s steps
        assertUnbiased(FitRigsDiag.LAGGED, "readings 40/80 ms old");
    }

    @Test
    void theFitOnSkinReadingsStampedAtTheirConversionIsUnbiased() {
        // the Pi's TMP117 driver publishes a skin result ~75 ms after the time it stamps (the middle of its averaging
        // window): the pad readings wait longer in ReadingTimes for a skin reading at least as new
        Errors e = assertUnbiased(FitRigsDiag.TMP117_AGED, "skin published 75 ms after its stamp, pad 2 ms");
        assertTrue(Math.abs(e.skinCap()) < 0.002, "C_s unbiased (stamped at the read: +0.45 %): " + e.skinCap());
    }

    @Test
    void skinReadingsStampedAtTheirReadInsteadBiasTheFit() {
        // what the TMP117 driver did before: a result read every 250 ms and stamped at the read was on average
        // 125 ms (62–187 ms) older than its stamp; here every skin reading is 125 ms older than its stamp
        // (a constant 125 ms; the old jitter of ±62 ms is not modelled). Same seeds as the test above: every
        // parameter of the skin side shifts by ~+0.4 % (W +0.47 / C_p +0.48 / C_s +0.45 % against +0.05 / +0.06 /
        // +0.04 % stamped at the conversion). Small against the +12 % of §10, which shifted both channels against
        // the duty; the pad, the channel the fit keeps raw, carries W and C_p.
        Errors e = meanErrors(FitRigsDiag.TMP117_STAMPED_AT_READ, 125_000_000L, "skin 125 ms older than its stamp");
        assertTrue(e.skinCap() > 0.0025, "stamped at the read, C_s is biased: " + e.skinCap());
    }

    private static Errors assertUnbiased(FitRigsDiag.Timing timing, String what) {
        Errors e = meanErrors(timing, 0, what);
        assertTrue(Math.abs(e.watts()) < 0.01 && Math.abs(e.padCap()) < 0.01, what + ": pooled W, C_p " + e.watts() + ", " + e.padCap());
        assertTrue(e.worstPlant() < 0.025, "each pad within 2.5 % (its mean's own noise ±0.9 %): " + what);
        return e;
    }

    /** Mean relative errors pooled over the plants (W, C_p, C_s, R_ps), and the worst plant's mean error on W or C_p. */
    record Errors(double watts, double padCap, double skinCap, double padSkin, double worstPlant) { }

    /** {@link Errors} over 3 plants × 40 seeds. */
    private static Errors meanErrors(FitRigsDiag.Timing timing, long skinStampLateNanos, String what) {
        PadPlant[] plants = {PadPlant.NOMINAL, new PadPlant(1.2, 0.8, 1.1), new PadPlant(0.8, 1.2, 0.9)};
        StringBuilder report = new StringBuilder();
        double[] pooled = new double[4];
        double worstPlant = 0;
        for (int i = 0; i < plants.length; i++) {
            PadPlant p = plants[i];
            List<double[]> errors = SeededCases.sequential(200 + 100 * i, 40).map(c -> {
                Run r = run(p, c.seed(), timing, skinStampLateNanos); // a seed is the sensors' noise: one per fit
                ThermalFit.Result f = PadCalibration.identify("PAD", "2026-12-02", "device", r.experiment(),
                        HeatModel.defaults()).fit();
                return new double[] {f.heaterWatts().value() / (8 * p.gainScale()) - 1,
                        f.padJoulesPerKelvin().value() / (60 * p.tauScale()) - 1,
                        f.skinJoulesPerKelvin().value() / (40 * p.tauScale()) - 1,
                        f.padSkinKelvinPerWatt().value() / (2 * p.couplingScale()) - 1};
            });
            double[] mean = new double[4];
            for (int k = 0; k < 4; k++) {
                int j = k;
                mean[k] = errors.stream().mapToDouble(e -> e[j]).average().orElseThrow();
            }
            report.append(String.format(Locale.ROOT, "%s: mean W %+.2f %%, C_p %+.2f %%, C_s %+.2f %%, R_ps %+.2f %%; ",
                    p, 100 * mean[0], 100 * mean[1], 100 * mean[2], 100 * mean[3]));
            for (int k = 0; k < 4; k++) {
                pooled[k] += mean[k] / plants.length;
            }
            worstPlant = Math.max(worstPlant, Math.max(Math.abs(mean[0]), Math.abs(mean[1])));
        }
        report.append(String.format(Locale.ROOT, "pooled W %+.2f %%, C_p %+.2f %%, C_s %+.2f %%, R_ps %+.2f %%",
                100 * pooled[0], 100 * pooled[1], 100 * pooled[2], 100 * pooled[3]));
        System.out.println("device heat-tune, " + what + ": " + report);
        return new Errors(pooled[0], pooled[1], pooled[2], pooled[3], worstPlant);
    }
}
