package io.tensd.daemon;

/**
 * A start-up failure a person can fix: what happened (one line), what to do (one line), and the process exit
 * code. See {@link ExitCodes}.
 */
public final class DaemonException extends Exception {
    private final String hint;
    private final int exitCode;

    public DaemonException(String message, String hint, int exitCode, Throwable cause) {
        super(message, cause);
        this.hint = hint;
        this.exitCode = exitCode;
    }

    public String hint() { return hint; }

    public int exitCode() { return exitCode; }
}
