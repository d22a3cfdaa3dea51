package io.tensd.sim;

import io.tensd.config.Limits;
import io.tensd.heat.tune.PadCalibration;
import io.tensd.heat.tune.TunePlan;
import io.tensd.heat.tune.TuneRun;
import io.tensd.safety.HeatModel;
import io.tensd.safety.Inputs;
import io.tensd.safety.SafetySettings;
import io.tensd.safety.SafetySupervisor;
import io.tensd.safety.Verdict;

/** heat-tune against a simulated pad ({@link PadRig}): the experiment under the real supervisor, then the fit. */
public final class SimHeatTune {
    /** The run, what the rig saw, and the calibration (null with {@code failure} when it could not identify). */
    public record Outcome(TuneRun run, PadRig.Result rig, PadCalibration calibration, String failure) { }

    private SimHeatTune() { }

    public static Outcome run(PadPlant plant, double ambientCelsius, long seed, Limits limits, SafetySettings safety,
                              String date) {
        return run(plant, ambientCelsius, seed, limits, safety, date, PadRig.Injection.NONE);
    }

    public static Outcome run(PadPlant plant, double ambientCelsius, long seed, Limits limits, SafetySettings safety,
                              String date, PadRig.Injection fault) {
        SafetySupervisor sup = new SafetySupervisor(limits, safety);
        TunePlan plan = TunePlan.defaults(limits.skinCeilingCelsius(), sup.thermalLimits().padLimitCelsius());
        TuneRun run = new TuneRun(sup, plan);
        PadRig.Result r = new PadRig(plant, ambientCelsius, seed).run(driver(run), plan.maxTotalMillis() * PadRig.MS + 60_000 * PadRig.MS,
                30_000 * PadRig.MS, fault);
        try {
            PadCalibration c = PadCalibration.identify(plant.padId(), date, "simulator", run.experiment(),
                    HeatModel.defaults());
            return new Outcome(run, r, c, null);
        } catch (IllegalArgumentException e) {
            return new Outcome(run, r, null, e.getMessage());
        }
    }

    static PadRig.Driver driver(TuneRun run) {
        return new PadRig.Driver() {
            @Override
            public Verdict tick(long now, Inputs in) { return run.tick(now, in); }

            @Override
            public boolean finished() { return run.finished(); }
        };
    }
}
