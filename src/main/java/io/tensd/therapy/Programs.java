package io.tensd.therapy;

import io.tensd.config.Limits;
import io.tensd.safety.HardwareCaps;
import java.util.Map;
import java.util.Set;

/**
 * Builds and validates the program a prescription names. Each program is a record whose compact constructor
 * checks the program's definition (rates and widths of its kind); {@link #validate} then checks that every
 * point of the envelope stays inside the limits file and the hardware caps. Parameter keys: docs/scenarios.md.
 */
public final class Programs {
    public static final Set<String> WIRE_NAMES = Set.of("conventional", "acupuncture-like", "burst", "modulated",
            "strength-duration");

    private static final long NANOS = 1_000_000_000L;

    private Programs() { }

    /** The program's record, or an {@link IllegalArgumentException} saying what is wrong with the prescription. */
    public static Program of(Prescription p) {
        Params a = new Params(p.program(), p.programParams());
        Program prog = switch (p.program()) {
            case "conventional" -> new Conventional(p.frequencyHz(), p.pulseWidthMicros());
            case "acupuncture-like" -> new AcupunctureLike(p.frequencyHz(), p.pulseWidthMicros());
            case "burst" -> {
                double pulseHz = a.has("burstPulseHz") ? a.number("burstPulseHz") : p.frequencyHz();
                if (Math.abs(pulseHz - p.frequencyHz()) > 1e-9) {
                    throw new IllegalArgumentException("burst: burstPulseHz " + fmt(pulseHz) + " differs from frequencyHz "
                            + fmt(p.frequencyHz()) + " (give one, or both equal)");
                }
                yield new Burst(a.number("burstRateHz"), pulseHz, a.integer("pulsesPerBurst"), p.pulseWidthMicros());
            }
            case "modulated" -> new Modulated(Modulation.fromWire(a.string("modulate")), a.number("depthPercent"),
                    a.number("periodS"), p.frequencyHz(), p.pulseWidthMicros());
            case "strength-duration" -> new StrengthDuration(a.number("depthPercent"), a.number("periodS"),
                    p.frequencyHz(), p.pulseWidthMicros());
            default -> throw new IllegalArgumentException("unknown program '" + p.program() + "' (allowed: conventional, "
                    + "acupuncture-like, burst, modulated, strength-duration)");
        };
        a.rejectUnused();
        return prog;
    }

    /**
     * The program, checked against the limits file and the hardware: every pulse width and rate the envelope
     * can produce must be allowed. Amplitude is not checked here (the session clamps it with a reason).
     */
    public static Program validate(Prescription p, Limits limits) throws ProgramException {
        Program prog;
        try {
            prog = of(p);
        } catch (IllegalArgumentException e) {
            throw new ProgramException(e.getMessage());
        }
        int pwMin = Math.max(limits.minPulseWidthMicros(), HardwareCaps.MIN_PULSE_WIDTH_MICROS);
        int pwMax = Math.min(limits.maxPulseWidthMicros(), HardwareCaps.MAX_PULSE_WIDTH_MICROS);
        double hzMin = Math.max(limits.minFrequencyHz(), HardwareCaps.MIN_FREQUENCY_HZ);
        double hzMax = Math.min(limits.maxFrequencyHz(), HardwareCaps.MAX_FREQUENCY_HZ);
        String n = prog.wireName();
        if (prog.minPulseWidthMicros() < pwMin) {
            throw new ProgramException(n + ": pulse width reaches " + prog.minPulseWidthMicros()
                    + " µs, below the limits minimum " + pwMin + " µs");
        }
        if (prog.maxPulseWidthMicros() > pwMax) {
            throw new ProgramException(n + ": pulse width reaches " + prog.maxPulseWidthMicros()
                    + " µs, above the limits maximum " + pwMax + " µs");
        }
        if (prog.minFrequencyHz() < hzMin - 1e-9) {
            throw new ProgramException(n + ": pulse rate reaches " + fmt(prog.minFrequencyHz())
                    + " Hz, below the limits minimum " + fmt(hzMin) + " Hz");
        }
        if (prog.maxFrequencyHz() > hzMax + 1e-9) {
            throw new ProgramException(n + ": pulse rate reaches " + fmt(prog.maxFrequencyHz())
                    + " Hz, above the limits maximum " + fmt(hzMax) + " Hz");
        }
        return prog;
    }

    private static void range(String prog, String key, double v, double lo, double hi, String unit) {
        if (!(v >= lo && v <= hi)) {
            throw new IllegalArgumentException(prog + ": " + key + " " + fmt(v) + unit + " outside " + fmt(lo) + "–"
                    + fmt(hi) + unit);
        }
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(Math.round(v * 1000) / 1000.0);
    }

    /** Raised cosine 0 → 1 → 0 over one period, starting at 0: smooth, no step at the period boundary. */
    static double cycle(long sinceStartNanos, long periodNanos) {
        long phase = Math.floorMod(sinceStartNanos, periodNanos);
        return 0.5 - 0.5 * Math.cos(2 * Math.PI * phase / (double) periodNanos);
    }

    /** What the board gets is whole hertz: the envelope rounds, so the trace shows what is sent. */
    static double wholeHz(double hz) { return Math.max(1, Math.round(hz)); }

    /** A program whose pulse width and rate do not move: the envelope is the intensity itself. */
    interface Constant extends Program {
        double frequencyHz();

        int pulseWidthMicros();

        @Override
        default void envelope(long sinceStartNanos, double intensityMilliAmps, Setpoint out) {
            out.set(intensityMilliAmps, pulseWidthMicros(), frequencyHz());
        }

        @Override default int minPulseWidthMicros() { return pulseWidthMicros(); }

        @Override default int maxPulseWidthMicros() { return pulseWidthMicros(); }

        @Override default double minFrequencyHz() { return frequencyHz(); }

        @Override default double maxFrequencyHz() { return frequencyHz(); }
    }

    /** High-rate, narrow pulses at constant parameters (gate-control analgesia): 80–150 Hz, 50–200 µs. */
    public record Conventional(double frequencyHz, int pulseWidthMicros) implements Constant {
        public Conventional {
            range("conventional", "frequencyHz", frequencyHz, 80, 150, " Hz");
            range("conventional", "pulseWidthMicros", pulseWidthMicros, 50, 200, " µs");
        }

        @Override public String wireName() { return "conventional"; }
    }

    /** Low-rate, wide pulses at a strong but comfortable intensity (endorphin release): 1–5 Hz, 200–250 µs. */
    public record AcupunctureLike(double frequencyHz, int pulseWidthMicros) implements Constant {
        public AcupunctureLike {
            range("acupuncture-like", "frequencyHz", frequencyHz, 1, 5, " Hz");
            range("acupuncture-like", "pulseWidthMicros", pulseWidthMicros, 200, 250, " µs");
        }

        @Override public String wireName() { return "acupuncture-like"; }
    }

    /**
     * Trains of {@code pulsesPerBurst} pulses at {@code burstPulseHz}, {@code burstRateHz} trains a second. The
     * board runs at {@code burstPulseHz} throughout; the envelope gates the amplitude: the intensity for the
     * first {@code pulsesPerBurst / burstPulseHz} of every burst period, 0 mA (output enabled) for the rest.
     * The gate is evaluated at loop rate, so train edges fall on loop ticks (±1 loop period); a board that times
     * bursts (protocol v2) is given the trains as a pattern instead and runs them on its own clock (the loop's
     * DeviceController decides per tick).
     */
    public record Burst(double burstRateHz, double burstPulseHz, int pulsesPerBurst, int pulseWidthMicros) implements Program {
        public Burst {
            range("burst", "burstRateHz", burstRateHz, 1, 4, " Hz");
            range("burst", "burstPulseHz", burstPulseHz, 80, 150, " Hz");
            range("burst", "pulsesPerBurst", pulsesPerBurst, 2, 20, "");
            range("burst", "pulseWidthMicros", pulseWidthMicros, 50, 250, " µs");
            double trainMs = pulsesPerBurst * 1000.0 / burstPulseHz;
            double periodMs = 1000.0 / burstRateHz;
            if (trainMs < 20) {
                throw new IllegalArgumentException("burst: a train of " + pulsesPerBurst + " pulses at " + fmt(burstPulseHz)
                        + " Hz lasts " + fmt(trainMs) + " ms, shorter than the 20 ms the loop can gate reliably");
            }
            if (trainMs > periodMs / 2) {
                throw new IllegalArgumentException("burst: a train of " + fmt(trainMs) + " ms takes more than half of the "
                        + fmt(periodMs) + " ms burst period: fewer pulsesPerBurst or a lower burstRateHz");
            }
        }

        public long periodNanos() { return Math.round(NANOS / burstRateHz); }

        public long trainNanos() { return Math.round(pulsesPerBurst * (double) NANOS / burstPulseHz); }

        @Override public String wireName() { return "burst"; }

        @Override
        public void envelope(long sinceStartNanos, double intensityMilliAmps, Setpoint out) {
            boolean on = Math.floorMod(sinceStartNanos, periodNanos()) < trainNanos();
            out.set(on ? intensityMilliAmps : 0.0, pulseWidthMicros, burstPulseHz);
        }

        @Override public int minPulseWidthMicros() { return pulseWidthMicros; }

        @Override public int maxPulseWidthMicros() { return pulseWidthMicros; }

        @Override public double minFrequencyHz() { return burstPulseHz; }

        @Override public double maxFrequencyHz() { return burstPulseHz; }
    }

    /** What a modulated program cycles. Wire names are the {@code modulate} values. */
    public enum Modulation {
        AMPLITUDE("amplitude"), WIDTH("width"), RATE("rate");

        private final String wireName;

        Modulation(String wireName) { this.wireName = wireName; }

        public String wireName() { return wireName; }

        public static Modulation fromWire(String s) {
            for (Modulation m : values()) {
                if (m.wireName.equals(s)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("modulated: modulate must be amplitude, width or rate, got '" + s + "'");
        }
    }

    /**
     * One parameter cycles down from its prescribed value by {@code depthPercent} and back, over
     * {@code periodS} (raised cosine, starting at the prescribed value). The prescribed value is the peak, so
     * the envelope never exceeds the prescription: amplitude I·(1 − d·x), width pw·(1 − d·x), rate f·(1 − d·x)
     * with x = (1 − cos 2πt/T)/2. Base 2–150 Hz (20–150 Hz when the rate cycles), 50–250 µs, depth 10–60 %,
     * period 1–60 s.
     */
    public record Modulated(Modulation modulate, double depthPercent, double periodS, double frequencyHz,
                            int pulseWidthMicros) implements Program {
        public Modulated {
            range("modulated", "depthPercent", depthPercent, 10, 60, " %");
            range("modulated", "periodS", periodS, 1, 60, " s");
            range("modulated", "frequencyHz", frequencyHz, modulate == Modulation.RATE ? 20 : 2, 150, " Hz");
            range("modulated", "pulseWidthMicros", pulseWidthMicros, 50, 250, " µs");
        }

        private double depth() { return depthPercent / 100.0; }

        @Override public String wireName() { return "modulated"; }

        @Override
        public void envelope(long sinceStartNanos, double intensityMilliAmps, Setpoint out) {
            double k = 1 - depth() * cycle(sinceStartNanos, Math.round(periodS * NANOS));
            switch (modulate) {
                case AMPLITUDE -> out.set(intensityMilliAmps * k, pulseWidthMicros, frequencyHz);
                case WIDTH -> out.set(intensityMilliAmps, (int) Math.round(pulseWidthMicros * k), frequencyHz);
                case RATE -> out.set(intensityMilliAmps, pulseWidthMicros, wholeHz(frequencyHz * k));
            }
        }

        @Override public int minPulseWidthMicros() {
            return modulate == Modulation.WIDTH ? (int) Math.round(pulseWidthMicros * (1 - depth())) : pulseWidthMicros;
        }

        @Override public int maxPulseWidthMicros() { return pulseWidthMicros; }

        @Override public double minFrequencyHz() {
            return modulate == Modulation.RATE ? wholeHz(frequencyHz * (1 - depth())) : frequencyHz;
        }

        @Override public double maxFrequencyHz() { return modulate == Modulation.RATE ? wholeHz(frequencyHz) : frequencyHz; }
    }

    /**
     * Width and rate move in opposite directions over {@code periodS}: width pw·(1 − d·x) while rate
     * f·(1 − d·(1 − x)), x the raised cosine; starts at full width and the lowest rate. Both peaks are the
     * prescribed values. Base 20–150 Hz, 50–250 µs, depth 10–60 %, period 1–60 s.
     */
    public record StrengthDuration(double depthPercent, double periodS, double frequencyHz, int pulseWidthMicros)
            implements Program {
        public StrengthDuration {
            range("strength-duration", "depthPercent", depthPercent, 10, 60, " %");
            range("strength-duration", "periodS", periodS, 1, 60, " s");
            range("strength-duration", "frequencyHz", frequencyHz, 20, 150, " Hz");
            range("strength-duration", "pulseWidthMicros", pulseWidthMicros, 50, 250, " µs");
        }

        private double depth() { return depthPercent / 100.0; }

        @Override public String wireName() { return "strength-duration"; }

        @Override
        public void envelope(long sinceStartNanos, double intensityMilliAmps, Setpoint out) {
            double x = cycle(sinceStartNanos, Math.round(periodS * NANOS));
            out.set(intensityMilliAmps, (int) Math.round(pulseWidthMicros * (1 - depth() * x)),
                    wholeHz(frequencyHz * (1 - depth() * (1 - x))));
        }

        @Override public int minPulseWidthMicros() { return (int) Math.round(pulseWidthMicros * (1 - depth())); }

        @Override public int maxPulseWidthMicros() { return pulseWidthMicros; }

        @Override public double minFrequencyHz() { return wholeHz(frequencyHz * (1 - depth())); }

        @Override public double maxFrequencyHz() { return wholeHz(frequencyHz); }
    }

    /** Reads a program's parameters; every key must be used, so a typo is an error, not a silent default. */
    private static final class Params {
        private final String program;
        private final Map<String, Object> map;
        private final java.util.Set<String> used = new java.util.HashSet<>();

        Params(String program, Map<String, Object> map) {
            this.program = program;
            this.map = map;
        }

        boolean has(String key) {
            used.add(key);
            return map.containsKey(key);
        }

        Object require(String key) {
            used.add(key);
            Object v = map.get(key);
            if (v == null) {
                throw new IllegalArgumentException(program + ": missing parameter '" + key + "'");
            }
            return v;
        }

        double number(String key) {
            Object v = require(key);
            if (v instanceof Number n) {
                return n.doubleValue();
            }
            try {
                return Double.parseDouble(v.toString());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(program + ": " + key + " must be a number, got '" + v + "'");
            }
        }

        int integer(String key) {
            double d = number(key);
            if (d != Math.rint(d)) {
                throw new IllegalArgumentException(program + ": " + key + " must be a whole number, got " + d);
            }
            return (int) d;
        }

        String string(String key) { return require(key).toString(); }

        void rejectUnused() {
            for (String k : map.keySet()) {
                if (!used.contains(k)) {
                    throw new IllegalArgumentException(program + ": unknown parameter '" + k + "'"
                            + (used.isEmpty() ? " (this program takes none)" : " (allowed: " + String.join(", ", new java.util.TreeSet<>(used)) + ")"));
                }
            }
        }
    }
}
