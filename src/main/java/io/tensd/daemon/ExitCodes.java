package io.tensd.daemon;

/**
 * Exit codes of {@code tensd run} (also in its --help and docs/deployment.md). The unit's
 * RestartPreventExitStatus names the ones a restart cannot fix.
 */
public final class ExitCodes {
    /** Stopped by SIGTERM or Ctrl-C after an orderly shutdown. */
    public static final int OK = 0;
    /** Unexpected internal error (a bug): report it with the log. */
    public static final int INTERNAL = 1;
    /** A configuration or command-line error: fix the file named in the message. */
    public static final int CONFIG = 2;
    /** Hardware missing or not accessible at start (serial port, I2C device, GPIO): fix and start again. */
    public static final int HARDWARE = 3;
    /** The journal directory cannot be opened or written. */
    public static final int STORAGE = 4;

    private ExitCodes() { }
}
