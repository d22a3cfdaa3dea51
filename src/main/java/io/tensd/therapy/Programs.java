package io.tensd.therapy;

/** Builds the program a prescription names. */
public final class Programs {
    private Programs() { }

    public static Program of(Prescription p) {
        return switch (p.program()) {
            case "conventional" -> new Conventional(p.frequencyHz(), p.pulseWidthMicros());
            default -> throw new IllegalArgumentException("unknown program '" + p.program() + "'");
        };
    }

    /** High-rate, narrow pulses at constant parameters (gate-control analgesia). */
    record Conventional(double frequencyHz, int pulseWidthMicros) implements Program {
        @Override public String wireName() { return "conventional"; }

        @Override
        public void envelope(long sinceStartNanos, double intensityMilliAmps, Setpoint out) {
            out.set(intensityMilliAmps, pulseWidthMicros, frequencyHz);
        }
    }
}
