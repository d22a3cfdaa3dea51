package io.tensd.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tensd} command line. Every subcommand has {@code --help}. */
@Command(name = "tensd", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Controller daemon of a wearable TENS + heat therapy device for back pain.",
        subcommands = {RunCommand.class, AclCommand.class, SimulateCommand.class, CheckConfigCommand.class, BoardEmulatorCommand.class, HwCheckCommand.class, PostureCommand.class, MonitorCommand.class, ReportCommand.class, BenchCommand.class, FleetCommand.class, HeatTuneCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        // the clinic side is optional: the device package leaves io.tensd.clinic and its libraries out
        optional(cl, "clinic", "io.tensd.clinic.cli.ClinicCommand");
        optional(cl.getSubcommands().get("bench"), "clinic", "io.tensd.clinic.cli.ClinicBenchCommand");
        // µ, ° and – must survive a C locale (systemd's default): write UTF-8 whatever the platform default.
        cl.setOut(new java.io.PrintWriter(new java.io.OutputStreamWriter(System.out, java.nio.charset.StandardCharsets.UTF_8), true));
        cl.setErr(new java.io.PrintWriter(new java.io.OutputStreamWriter(System.err, java.nio.charset.StandardCharsets.UTF_8), true));
        AbsentCommand.fillIn(cl); // last: only for optional subcommands not registered above
        return cl;
    }

    /** Adds {@code className} as subcommand {@code name} of {@code parent} when it is on the class path. */
    private static void optional(CommandLine parent, String name, String className) {
        Object command;
        try {
            command = Class.forName(className).getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException | NoClassDefFoundError absent) {
            return;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + className, e);
        }
        CommandLine sub = new CommandLine(command);
        sub.setExecutionExceptionHandler(new ErrorHandler());
        parent.addSubcommand(name, sub);
    }

    /** No subcommand is a usage error: the list of commands on standard error, exit 2 (as for an unknown one). */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        spec.commandLine().getErr().flush();
        return 2;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"tensd " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
        }
    }
}
