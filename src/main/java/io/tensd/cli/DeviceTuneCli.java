package io.tensd.cli;

import io.tensd.config.ConfigException;
import io.tensd.config.HeatConfig;
import io.tensd.config.HeatModelFile;
import io.tensd.config.LoadedConfig;
import io.tensd.daemon.DaemonException;
import io.tensd.daemon.DeviceHeatTune;
import io.tensd.daemon.ExitCodes;
import io.tensd.heat.tune.PadCalibration;
import io.tensd.heat.tune.ThermalFit;
import io.tensd.heat.tune.TunePlan;
import io.tensd.heat.tune.TuneRun;
import io.tensd.safety.HeatModel;
import io.tensd.safety.SafetySettings;
import io.tensd.safety.SafetySupervisor;
import io.tensd.sim.PadPlant;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code tensd heat-tune} without {@code --simulate}: the experiment on the device (or a simulated one), then the fit. */
final class DeviceTuneCli {
    private static final long PROGRESS_REAL_NANOS = 10_000_000_000L;
    /** A simulated device runs in virtual time: one line per simulated minute keeps the output short. */
    private static final long PROGRESS_VIRTUAL_NANOS = 60_000_000_000L;

    private DeviceTuneCli() { }

    static int run(PrintWriter o, String hardware, Path configFile, Path limitsFile, Path out, long plantSeed,
                   double spread) throws ConfigException, IOException {
        boolean sim = switch (hardware) {
            case "pi" -> false;
            case "sim" -> true;
            default -> throw new UserError("--hardware must be pi or sim, got '" + hardware + "'", null, ExitCodes.CONFIG, null);
        };
        LoadedConfig cfg = CliConfig.required(configFile, limitsFile); // ConfigException: FILE:LINE lines, exit 2
        String padId = HeatConfig.read(cfg.paths().config()).padId();
        if (padId.isBlank()) {
            throw new UserError(cfg.paths().config() + ": heat.padId: not set: heat-tune writes the model of the fitted "
                    + "pad and needs its id", "add heat: { padId: <the serial printed on the pad> } to the device file",
                    ExitCodes.CONFIG, null);
        }
        PadPlant plant = sim ? PadPlant.random(new Random(plantSeed), spread) : PadPlant.NOMINAL;
        SafetySupervisor sup = new SafetySupervisor(cfg.limits(), SafetySettings.defaults());
        TunePlan plan = TunePlan.defaults(cfg.limits().skinCeilingCelsius(), sup.thermalLimits().padLimitCelsius());
        TuneRun run = new TuneRun(sup, plan);
        AtomicBoolean stop = new AtomicBoolean();
        RunCommand.StopSignals signals = RunCommand.StopSignals.install(() -> stop.set(true));
        DeviceHeatTune.Result r;
        try (DeviceHeatTune.Device dev = open(cfg, sim, plant, plantSeed)) {
            o.printf(Locale.ROOT, "heat-tune of pad %s on %s: step duty %.2f, stops at skin %.1f °C / pad %.1f °C, at most "
                            + "%d min; Ctrl-C aborts with the heater off%n", padId,
                    sim ? "a SIMULATED device (virtual time; drives nothing)" : "this device", plan.dutyStep(),
                    plan.skinStopCelsius(), plan.padStopCelsius(), plan.maxTotalMillis() / 60_000);
            o.flush();
            r = DeviceHeatTune.run(dev.io(), dev.clock(), dev.pacer(), run, stop::get, dev::forceSafe,
                    sim ? PROGRESS_VIRTUAL_NANOS : PROGRESS_REAL_NANOS, p -> {
                        o.printf(Locale.ROOT, "%6.0f s  %-7s skin %6.2f °C  pad %6.2f °C  heater %3.0f %%%n",
                                p.elapsedNanos() / 1e9, p.phase(), p.skinCelsius(), p.padCelsius(), p.heaterDuty() * 100);
                        o.flush();
                    });
        } finally {
            signals.uninstall();
        }
        var e = run.experiment();
        o.printf(Locale.ROOT, "experiment: %s (step ended: %s), %d samples, %d ticks, max skin read %.2f °C; heater off%n",
                e.endReason(), e.heatEndReason(), e.samples().size(), r.ticks(), r.maxSkinCelsius());
        if (e.phase() == io.tensd.heat.tune.TuneExperiment.Phase.ABORTED) {
            o.println("aborted: nothing written");
            o.flush();
            return 1;
        }
        String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        PadCalibration c;
        try {
            c = PadCalibration.identify(padId, date, sim ? "simulator" : "device", e, HeatModel.defaults());
        } catch (IllegalArgumentException ex) {
            o.println("not identified: " + ex.getMessage());
            o.flush();
            return 1;
        }
        ThermalFit.Result f = c.fit();
        row(o, "heater power", f.heaterWatts(), "W");
        row(o, "pad heat capacity", f.padJoulesPerKelvin(), "J/K");
        row(o, "skin heat capacity", f.skinJoulesPerKelvin(), "J/K");
        row(o, "pad-skin resistance", f.padSkinKelvinPerWatt(), "K/W");
        row(o, "pad-air resistance", f.padAirKelvinPerWatt(), "K/W");
        o.println(c.fitSummary(io.tensd.safety.HeatModel.defaults()));
        Map<String, Double> simulated = new LinkedHashMap<>();
        if (sim) {
            simulated.put("gainScale", plant.gainScale());
            simulated.put("tauScale", plant.tauScale());
            simulated.put("couplingScale", plant.couplingScale());
            simulated.put("ambientCelsius", io.tensd.sim.SimDevice.AMBIENT_CELSIUS);
        }
        HeatModelFile.write(out, c, simulated);
        o.printf("wrote %s; set heat.model to it in %s, then run tensd check-config%n", out, cfg.paths().config());
        String refusal = c.refusal(padId);
        if (refusal != null) {
            o.println("warning: sessions will not heat with this model: " + refusal);
        }
        o.flush();
        return refusal == null ? 0 : 1;
    }

    private static DeviceHeatTune.Device open(LoadedConfig cfg, boolean sim, PadPlant plant, long seed) {
        try {
            return DeviceHeatTune.Device.open(cfg, sim, plant, seed);
        } catch (DaemonException e) {
            throw new UserError(e.getMessage(), e.hint(), e.exitCode(), e.getCause() != null ? e.getCause() : e);
        }
    }

    private static void row(PrintWriter o, String name, ThermalFit.Estimate e, String unit) {
        o.printf(Locale.ROOT, "  %-20s %8.3f ± %.3f %s (95 %% CI)%n", name, e.value(), e.ci95(), unit);
    }
}
