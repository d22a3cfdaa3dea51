package io.tensd.session;

import java.util.List;

/**
 * The loop's answer to a command: accepted, clamped (with every clamp's reason) or rejected (with the reason).
 * {@code noChange}: accepted, and the device was already in the state the command names (nothing was done).
 */
public record CommandOutcome(Status status, List<String> reasons, boolean noChange) {
    public enum Status {
        ACCEPTED("accepted"), CLAMPED("clamped"), REJECTED("rejected");

        private final String wire;

        Status(String wire) { this.wire = wire; }

        public String wire() { return wire; }
    }

    public CommandOutcome {
        reasons = List.copyOf(reasons);
        if (noChange && status != Status.ACCEPTED) {
            throw new IllegalArgumentException("noChange only with accepted");
        }
    }

    public CommandOutcome(Status status, List<String> reasons) { this(status, reasons, false); }

    public static CommandOutcome accepted() { return new CommandOutcome(Status.ACCEPTED, List.of()); }

    /** Accepted: the device already is in the state asked for. */
    public static CommandOutcome unchanged() { return new CommandOutcome(Status.ACCEPTED, List.of(), true); }

    public static CommandOutcome rejected(String reason) { return new CommandOutcome(Status.REJECTED, List.of(reason)); }

    public static CommandOutcome clamped(List<String> reasons) { return new CommandOutcome(Status.CLAMPED, reasons); }
}
