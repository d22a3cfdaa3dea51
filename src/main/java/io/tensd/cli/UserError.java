package io.tensd.cli;

/** A failure the user can fix: a one-line message, a one-line hint, an exit code. */
public final class UserError extends RuntimeException {
    private final String hint;
    private final int exitCode;

    public UserError(String message, String hint, int exitCode, Throwable cause) {
        super(message, cause);
        this.hint = hint;
        this.exitCode = exitCode;
    }

    public UserError(String message, String hint) {
        this(message, hint, 1, null);
    }

    public String hint() { return hint; }

    public int exitCode() { return exitCode; }
}
