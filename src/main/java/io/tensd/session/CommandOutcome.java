package io.tensd.session;

import java.util.List;

/** The loop's answer to a command: accepted, clamped (with every clamp's reason) or rejected (with the reason). */
public record CommandOutcome(Status status, List<String> reasons) {
    public enum Status {
        ACCEPTED("accepted"), CLAMPED("clamped"), REJECTED("rejected");

        private final String wire;

        Status(String wire) { this.wire = wire; }

        public String wire() { return wire; }
    }

    public CommandOutcome {
        reasons = List.copyOf(reasons);
    }

    public static CommandOutcome accepted() { return new CommandOutcome(Status.ACCEPTED, List.of()); }

    public static CommandOutcome rejected(String reason) { return new CommandOutcome(Status.REJECTED, List.of(reason)); }

    public static CommandOutcome clamped(List<String> reasons) { return new CommandOutcome(Status.CLAMPED, reasons); }
}
