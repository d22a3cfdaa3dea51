package io.tensd.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Stands in for a subcommand whose classes this installation leaves out (the device package carries no
 * clinic service): one clear line and exit 2 instead of picocli's "unmatched argument" and the usage.
 */
@Command(hidden = true)
final class AbsentCommand implements Callable<Integer> {
    /** Subcommands registered only when their classes are present (by reflection), and where they ship. */
    static final List<String[]> OPTIONAL = List.<String[]>of(new String[] {"clinic", "the tensd-clinic package"});

    private final String name;
    private final String shippedIn;

    @CommandLine.Unmatched
    List<String> ignored;

    private AbsentCommand(String name, String shippedIn) {
        this.name = name;
        this.shippedIn = shippedIn;
    }

    /** Adds a stand-in for every optional subcommand that is not registered. */
    static void fillIn(CommandLine cl) {
        for (String[] o : OPTIONAL) {
            if (!cl.getSubcommands().containsKey(o[0])) {
                CommandLine sub = new CommandLine(new AbsentCommand(o[0], o[1]));
                sub.setExecutionExceptionHandler(cl.getExecutionExceptionHandler());
                cl.addSubcommand(o[0], sub);
            }
        }
    }

    static String message(String name, String shippedIn) {
        return "'tensd " + name + "' is not part of this installation (the device package leaves it out): it ships in "
                + shippedIn;
    }

    @Override
    public Integer call() {
        throw new UserError(message(name, shippedIn), null, 2, null);
    }
}
