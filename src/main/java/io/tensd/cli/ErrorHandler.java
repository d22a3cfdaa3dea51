package io.tensd.cli;

import io.tensd.config.ConfigException;
import picocli.CommandLine;

/**
 * Failures a user can cause are printed as what happened and what to do, without a stack trace unless
 * {@code --debug} is given or TENSD_DEBUG is set. Configuration errors exit 2, other failures 1.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        boolean debug = System.getenv("TENSD_DEBUG") != null || parsed.expandedArgs().contains("--debug");
        if (ex instanceof ConfigException ce) {
            ce.errors().forEach(e -> cl.getErr().println(e));
            return 2;
        }
        if (ex instanceof UserError ue) {
            cl.getErr().println("tensd: " + ue.getMessage());
            if (ue.hint() != null) {
                cl.getErr().println("  " + ue.hint());
            }
            if (debug && ue.getCause() != null) {
                ue.getCause().printStackTrace(cl.getErr());
            }
            return ue.exitCode();
        }
        cl.getErr().println("tensd: unexpected error: " + ex);
        if (debug) {
            ex.printStackTrace(cl.getErr());
        } else {
            cl.getErr().println("  run again with --debug for details, and report it with the output");
        }
        return 1;
    }
}
