package io.tensd.session;

import java.util.List;

/**
 * The loop's answer to a command: accepted, clamped (with every clamp's reason) or rejected (with the reason).
 * {@code noChange}: accepted, and the device was already in the state the command names (nothing was done).
 * {@code clamps} says, for each value a clamp changed, what was asked and what is applied; {@code reasons} keeps
 * the wire names (the MQTT contract) and may hold reasons without a value (e.g. {@code battery-low-no-heat}).
 */
public record CommandOutcome(Status status, List<String> reasons, boolean noChange, List<Clamp> clamps) {
    public enum Status {
        ACCEPTED("accepted"), CLAMPED("clamped"), REJECTED("rejected");

        private final String wire;

        Status(String wire) { this.wire = wire; }

        public String wire() { return wire; }
    }

    public CommandOutcome {
        reasons = List.copyOf(reasons);
        clamps = List.copyOf(clamps);
        if (noChange && status != Status.ACCEPTED) {
            throw new IllegalArgumentException("noChange only with accepted");
        }
    }

    public CommandOutcome(Status status, List<String> reasons, List<Clamp> clamps) {
        this(status, reasons, false, clamps);
    }

    public CommandOutcome(Status status, List<String> reasons, boolean noChange) {
        this(status, reasons, noChange, List.of());
    }

    public CommandOutcome(Status status, List<String> reasons) { this(status, reasons, false, List.of()); }

    public static CommandOutcome accepted() { return new CommandOutcome(Status.ACCEPTED, List.of()); }

    /** Accepted: the device already is in the state asked for. */
    public static CommandOutcome unchanged() { return new CommandOutcome(Status.ACCEPTED, List.of(), true); }

    public static CommandOutcome rejected(String reason) { return new CommandOutcome(Status.REJECTED, List.of(reason)); }

    public static CommandOutcome clamped(List<String> reasons) { return new CommandOutcome(Status.CLAMPED, reasons); }

    /** Clamped with what each clamp changed; {@code reasons} holds every reason, with or without a value. */
    public static CommandOutcome clamped(List<String> reasons, List<Clamp> clamps) {
        return new CommandOutcome(Status.CLAMPED, reasons, clamps);
    }

    /** The clamps in words, "; "-separated ("targetMilliAmps 120 → 80 (limits max)"), or the reasons if none. */
    public String clampText() {
        return clamps.isEmpty() ? String.join("; ", reasons)
                : String.join("; ", clamps.stream().map(Clamp::text).toList());
    }
}
