package io.tensd.cli;

import com.pi4j.context.Context;
import io.tensd.config.DeviceConfig;
import io.tensd.hw.pi4j.HardwareProbe;
import io.tensd.hw.pi4j.HeaderPins;
import io.tensd.hw.pi4j.Pi4jContexts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code tensd hw-check}: probes every configured part on the Pi and prints one row per part with
 * what to try when it fails. Exit code 0 when everything answered as expected, 1 otherwise.
 * Run it with the daemon stopped (it claims the same lines).
 */
@Command(name = "hw-check", mixinStandardHelpOptions = true,
        description = "Probe the GPIO lines, PWM, I2C sensors and stimulator on this Pi; print a table with fixes. Exit 0 = all OK, 1 = problems.")
public final class HwCheckCommand implements Callable<Integer> {

    /** The stimulator's HELLO exchange; provided by io.tensd.stim (the lead wires it). */
    @FunctionalInterface
    public interface StimProbe {
        HardwareProbe.Result probe(String serialPort);
    }

    @Option(names = "--config", paramLabel = "FILE", description = "device file (tensd.yaml); built-in defaults when absent")
    Path configFile;

    /** Reads the device file; the lead wires the real loader. Null: only built-in defaults are available. */
    private final Function<Path, DeviceConfig> configLoader;
    private final Supplier<Context> contextFactory;
    private final StimProbe stimProbe;
    private final Function<Context, Boolean> rp1;
    private final ProbeFactory probeFactory;
    private final PrintWriter out;
    /** This machine's board model (device tree), or null when it has none. */
    private Supplier<String> boardModel = () -> "Raspberry Pi (assumed)";

    /** How the probe is built from a context; tests plug register-level emulations in here. */
    @FunctionalInterface
    public interface ProbeFactory {
        HardwareProbe create(Context pi4j, DeviceConfig.Hardware hw, boolean rp1);
    }

    public HwCheckCommand() {
        this(HwCheckCommand::loadConfig, Pi4jContexts::forThisPi,
                port -> io.tensd.stim.StimHelloProbe.probe(port, 100, 1500), HardwareProbe::new,
                new PrintWriter(System.out, true));
        this.boardModel = HwCheckCommand::deviceTreeModel;
    }

    /** The model the firmware puts in the device tree ("Raspberry Pi 4 Model B Rev 1.5"), or null. */
    static String deviceTreeModel() {
        for (String f : List.of("/proc/device-tree/model", "/sys/firmware/devicetree/base/model")) {
            try {
                return java.nio.file.Files.readString(Path.of(f)).replace("\0", "").strip();
            } catch (java.io.IOException | RuntimeException absent) {
                // try the next place; none means no device tree (a PC)
            }
        }
        return null;
    }

    /** Which board this machine is, as the device tree says (tests). */
    HwCheckCommand boardModel(Supplier<String> model) {
        this.boardModel = model;
        return this;
    }

    private static DeviceConfig loadConfig(Path file) {
        try {
            return io.tensd.config.DeviceConfigLoader.load(file);
        } catch (io.tensd.config.ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    public HwCheckCommand(Function<Path, DeviceConfig> configLoader, Supplier<Context> contextFactory, StimProbe stimProbe,
                          ProbeFactory probeFactory, PrintWriter out) {
        this.configLoader = configLoader;
        this.contextFactory = contextFactory;
        this.stimProbe = stimProbe;
        this.rp1 = c -> Pi4jContexts.usesRp1();
        this.probeFactory = probeFactory;
        this.out = out;
    }

    /** Same command with the real config loader and stimulator probe (for the lead's wiring in Main). */
    public HwCheckCommand with(Function<Path, DeviceConfig> loader, StimProbe stim) {
        return new HwCheckCommand(loader, contextFactory, stim, probeFactory, out);
    }

    @Override
    public Integer call() {
        DeviceConfig config;
        if (configFile == null && configLoader != null && java.nio.file.Files.exists(io.tensd.config.ConfigPaths.resolve(null, null).config())) {
            configFile = io.tensd.config.ConfigPaths.resolve(null, null).config();
        }
        if (configFile != null && configLoader != null) {
            try {
                config = configLoader.apply(configFile);
            } catch (RuntimeException e) {
                out.println("cannot read " + configFile + ": " + e.getMessage());
                return 1;
            }
        } else {
            if (configFile != null) {
                out.println("note: no config loader wired yet; using the built-in defaults, not " + configFile);
            }
            config = DeviceConfig.defaults();
        }
        DeviceConfig.Hardware hw = config.hardware();

        String model = boardModel.get();
        if (model == null || !model.contains("Raspberry Pi")) {
            // Every probe would fail for the same reason: say that once instead of a row per part.
            out.println("not a Raspberry Pi (" + (model == null ? "no device-tree model; " + System.getProperty("os.arch")
                    + " " + System.getProperty("os.name") : model) + "): nothing to probe; run hw-check on the device");
            out.flush();
            return 1;
        }
        Context pi4j;
        try {
            pi4j = contextFactory.get();
        } catch (RuntimeException | LinkageError e) {
            out.println("cannot start Pi4J: " + e.getMessage() + " (is this a Raspberry Pi with Pi OS Bookworm/Trixie?)");
            return 1;
        }
        List<HardwareProbe.Result> results = new ArrayList<>();
        try {
            results.addAll(probeFactory.create(pi4j, hw, rp1.apply(pi4j)).run());
        } finally {
            try {
                pi4j.shutdown();
            } catch (RuntimeException ignored) {
                // outputs were already released LOW by the probe
            }
        }
        results.add(stimRow(hw.stimulatorPort()));
        print(results);
        long problems = results.stream().filter(HardwareProbe.Result::problem).count();
        out.println(problems == 0 ? "all parts OK" : problems + " problem(s): try the fixes above, then run hw-check again");
        out.flush();
        return problems == 0 ? 0 : 1;
    }

    private HardwareProbe.Result stimRow(String port) {
        if (stimProbe == null) {
            return new HardwareProbe.Result("stimulator", port + " (UART TX " + HeaderPins.describe(14) + ", RX " + HeaderPins.describe(15) + ")",
                    HardwareProbe.Status.NOT_PROBED, "stimulator: not probed", "");
        }
        try {
            return stimProbe.probe(port);
        } catch (RuntimeException e) {
            return new HardwareProbe.Result("stimulator", port, HardwareProbe.Status.PROBLEM, e.getMessage(),
                    "check the UART wiring (TX pin 8 → board RX, RX pin 10 ← board TX, common GND) and hardware/boot-config.md");
        }
    }

    private void print(List<HardwareProbe.Result> results) {
        int wPart = "part".length();
        int wWhere = "address/pin".length();
        for (HardwareProbe.Result r : results) {
            wPart = Math.max(wPart, r.part().length());
            wWhere = Math.max(wWhere, r.where().length());
        }
        String fmt = "%-" + wPart + "s  %-" + wWhere + "s  %-10s  %s%n";
        out.printf(fmt, "part", "address/pin", "result", "detail");
        for (HardwareProbe.Result r : results) {
            String status = switch (r.status()) {
                case OK -> "OK";
                case PROBLEM -> "PROBLEM";
                case NOT_PROBED -> "-";
            };
            out.printf(fmt, r.part(), r.where(), status, r.detail());
            if (!r.fix().isEmpty()) {
                out.printf(fmt, "", "", "", "fix: " + r.fix());
            }
        }
    }
}
