package io.tensd.therapy;

/** A prescription's program is not valid (outside its definition or outside the limits); the message says why. */
public final class ProgramException extends Exception {
    public ProgramException(String message) { super(message); }
}
