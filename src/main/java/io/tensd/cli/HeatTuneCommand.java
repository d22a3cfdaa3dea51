package io.tensd.cli;

import io.tensd.config.HeatModelFile;
import io.tensd.heat.tune.PadCalibration;
import io.tensd.heat.tune.ThermalFit;
import io.tensd.safety.SafetySettings;
import io.tensd.sim.PadPlant;
import io.tensd.sim.SimDevice;
import io.tensd.sim.SimHeatTune;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tensd heat-tune}: identify the heat pad's thermal model and PID gains, write its calibration file. */
@Command(name = "heat-tune", mixinStandardHelpOptions = true,
        description = {"Identify the heat pad: a bounded step experiment on the pad alone (skin stays 2 °C under the "
                + "ceiling, duty and time capped, every fault of a session aborts it), a least-squares fit of the pad "
                + "model with 95 %% confidence intervals, PID gains from it. Writes the pad's calibration file "
                + "(docs/configuration.md \"Heat model\").",
                "Without --simulate: on the device (stop the daemon first: systemctl stop tensd). Needs heat.padId in "
                        + "the device file; prints progress every 10 s; SIGTERM or Ctrl-C aborts with the heater off.",
                "--simulate: against a simulated pad drawn at random within --spread of nominal (--plant-seed).",
                "--hardware sim: the device path over a simulated device (pad from --plant-seed/--spread), in virtual "
                        + "time; for tests and demonstrations only, it drives nothing."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:identified and written",
                "1:the experiment was aborted (fault, e-stop, stop) or did not identify the pad",
                "2:bad options or files (heat.padId missing, FILE:LINE: messages on standard error)",
                "3:the device is busy (the daemon runs) or its hardware is missing: systemctl stop tensd; tensd hw-check",
                "4:the journal directory cannot be locked"})
public final class HeatTuneCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--simulate", description = "identify a simulated pad (in virtual time)")
    boolean simulate;

    @Option(names = "--hardware", paramLabel = "pi|sim", defaultValue = "pi",
            description = "without --simulate: pi (default) the real device; sim a simulated device through the same "
                    + "device path, in virtual time, for tests and demonstrations only (never with a patient)")
    String hardware;

    @Option(names = "--plant-seed", paramLabel = "N", defaultValue = "1", description = "seed of the simulated pad (default 1)")
    long plantSeed;

    @Option(names = "--spread", paramLabel = "F", defaultValue = "0.25",
            description = "the simulated pad's scales are drawn within 1 ± F of nominal (default 0.25; 0–0.5)")
    double spread;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "calibration file to write")
    Path out;

    @Option(names = "--config", paramLabel = "FILE", description = "device config (default: config/tensd.yaml or /etc/tensd/tensd.yaml)")
    Path configFile;

    @Option(names = "--limits", paramLabel = "FILE", description = "limits file (default: limits.yaml beside the config)")
    Path limitsFile;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        if (!(spread >= 0 && spread <= 0.5)) {
            throw new UserError("--spread must be 0–0.5, got " + spread, null, 2, null);
        }
        if (!simulate) {
            return DeviceTuneCli.run(o, hardware, configFile, limitsFile, out, plantSeed, spread);
        }
        var cfg = CliConfig.forSimulation(configFile, limitsFile);
        PadPlant plant = PadPlant.random(new Random(plantSeed), spread);
        o.printf(Locale.ROOT, "simulated pad %s: gain ×%.3f, tau ×%.3f, coupling ×%.3f (seed %d, spread ±%.0f %%)%n",
                plant.padId(), plant.gainScale(), plant.tauScale(), plant.couplingScale(), plantSeed, spread * 100);
        String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        SimHeatTune.Outcome r = SimHeatTune.run(plant, SimDevice.AMBIENT_CELSIUS, plantSeed, cfg.limits(),
                SafetySettings.defaults(), date);
        var e = r.run().experiment();
        o.printf(Locale.ROOT, "experiment: %s after %.1f min (step ended: %s), %d samples, max true skin %.2f °C%n",
                e.endReason(), r.rig().endNanos() / 60e9, e.heatEndReason(), e.samples().size(), r.rig().maxTrueSkinCelsius());
        if (r.calibration() == null) {
            o.println("not identified: " + r.failure());
            o.flush();
            return 1;
        }
        PadCalibration c = r.calibration();
        ThermalFit.Result f = c.fit();
        row(o, "heater power", f.heaterWatts(), "W", 8 * plant.gainScale());
        row(o, "pad heat capacity", f.padJoulesPerKelvin(), "J/K", 60 * plant.tauScale());
        row(o, "skin heat capacity", f.skinJoulesPerKelvin(), "J/K", 40 * plant.tauScale());
        row(o, "pad-skin resistance", f.padSkinKelvinPerWatt(), "K/W", 2 * plant.couplingScale());
        row(o, "pad-air resistance", f.padAirKelvinPerWatt(), "K/W", 10);
        o.println(c.fitSummary(io.tensd.safety.HeatModel.defaults()));
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("gainScale", plant.gainScale());
        p.put("tauScale", plant.tauScale());
        p.put("couplingScale", plant.couplingScale());
        p.put("ambientCelsius", SimDevice.AMBIENT_CELSIUS);
        HeatModelFile.write(out, c, p);
        o.printf(Locale.ROOT, "wrote %s; this pad in a scenario: heat: { setpointCelsius: 40, plant: { gainScale: %.3f, "
                + "tauScale: %.3f, couplingScale: %.3f } }%n", out, plant.gainScale(), plant.tauScale(), plant.couplingScale());
        String refusal = c.refusal(plant.padId());
        if (refusal != null) {
            o.println("warning: sessions will not heat with this model: " + refusal);
        }
        o.flush();
        return refusal == null ? 0 : 1;
    }

    private static void row(PrintWriter o, String name, ThermalFit.Estimate e, String unit, double truth) {
        o.printf(Locale.ROOT, "  %-20s %8.3f ± %.3f %s (95 %% CI)   simulated %.3f%n", name, e.value(), e.ci95(), unit, truth);
    }
}
