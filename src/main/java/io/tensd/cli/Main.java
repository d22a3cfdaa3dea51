package io.tensd.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tensd} command line. Every subcommand has {@code --help}. */
@Command(name = "tensd", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Controller daemon of a wearable TENS + heat therapy device for back pain.",
        subcommands = {RunCommand.class, SimulateCommand.class, CheckConfigCommand.class, BoardEmulatorCommand.class, HwCheckCommand.class, PostureCommand.class, MonitorCommand.class, ReportCommand.class, BenchCommand.class, HeatTuneCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        // µ, ° and – must survive a C locale (systemd's default): write UTF-8 whatever the platform default.
        cl.setOut(new java.io.PrintWriter(new java.io.OutputStreamWriter(System.out, java.nio.charset.StandardCharsets.UTF_8), true));
        cl.setErr(new java.io.PrintWriter(new java.io.OutputStreamWriter(System.err, java.nio.charset.StandardCharsets.UTF_8), true));
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"tensd " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
        }
    }
}
