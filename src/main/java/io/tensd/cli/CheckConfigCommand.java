package io.tensd.cli;

import io.tensd.config.ConfigError;
import io.tensd.config.ConfigException;
import io.tensd.config.ConfigPaths;
import io.tensd.config.LoadedConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tensd check-config}: reads the device and limits files as the daemon would and reports every
 * problem of both, one per line as {@code FILE:LINE: field.path: message} on standard error, exit code 2.
 * When both are valid: one summary line on standard output, exit code 0.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = {"Check the device file and the limits file without starting anything.",
                "Errors go to standard error as FILE:LINE: field.path: message (line 0: the file as a whole); "
                        + "exit code 2 if there is any, 0 and a one-line summary on standard output if not."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:both files are valid", "2:an error in either file, or wrong options"})
public final class CheckConfigCommand implements Callable<Integer> {
    public static final int EXIT_OK = 0;
    public static final int EXIT_INVALID = 2;

    @Option(names = "--config", paramLabel = "FILE",
            description = "device file (default: /etc/tensd/tensd.yaml if it exists, else config/tensd.yaml)")
    Path config;

    @Option(names = "--limits", paramLabel = "FILE", description = "limits file (default: limits.yaml beside the device file)")
    Path limits;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ConfigPaths paths = ConfigPaths.resolve(config, limits);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            LoadedConfig loaded = LoadedConfig.load(paths);
            java.util.List<ConfigError> heat = io.tensd.config.HeatConfig.check(paths.config());
            if (!heat.isEmpty()) {
                throw new ConfigException(heat);
            }
            out.println("OK: " + loaded.summary() + "; files " + paths.config() + ", " + paths.limits());
            out.flush();
            return EXIT_OK;
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                err.println(error);
            }
            err.flush();
            return EXIT_INVALID;
        }
    }
}
