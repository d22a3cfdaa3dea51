package io.tensd.therapy;

import java.util.Map;
import java.util.Optional;

/**
 * What the clinic prescribes for one session. Validated against the program's definition and the limits
 * when a session starts ({@link Programs#validate}); amplitude above a limit is clamped with a reason, a
 * program envelope outside the limits or an unsafe screening refuses the start. Key names on the wire
 * (scenario {@code prescription:} block and the MQTT start-session payload): docs/scenarios.md "Programs".
 *
 * @param program          wire name of the TENS program ("conventional", "acupuncture-like", "burst",
 *                         "modulated", "strength-duration")
 * @param frequencyHz      pulse rate; for {@code burst} the rate of the pulses inside a train
 * @param pulseWidthMicros pulse width (the peak width for width-modulated programs)
 * @param targetMilliAmps  intensity the session ramps up to
 * @param maxMilliAmps     the most the patient's up button (or habituation) may reach; ≥ target
 * @param heat             heat setpoint and mode, when heat is prescribed
 * @param programParams    the program's own parameters (numbers, or strings such as {@code modulate}); exact
 *                         keys per program in docs/scenarios.md, unknown keys refuse the start
 * @param habituation      optional slow rise of intensity during ACTIVE, never above {@code maxMilliAmps}
 * @param screening        contraindication screening; a start without one, or with a red flag, is refused
 */
public record Prescription(String program, double frequencyHz, int pulseWidthMicros, double targetMilliAmps,
                           double maxMilliAmps, int durationMinutes, Optional<Heat> heat,
                           Map<String, Object> programParams, Optional<Habituation> habituation,
                           Optional<Screening> screening) {

    public Prescription {
        programParams = Map.copyOf(programParams);
    }

    /**
     * The plain form: no program parameters and no habituation, with the screening that lets it start. There is
     * deliberately no form without a screening: a request that cannot start is built only with the full
     * constructor and {@code Optional.empty()}, by the tests of that refusal.
     */
    public Prescription(String program, double frequencyHz, int pulseWidthMicros, double targetMilliAmps,
                        double maxMilliAmps, int durationMinutes, Optional<Heat> heat, Screening screening) {
        this(program, frequencyHz, pulseWidthMicros, targetMilliAmps, maxMilliAmps, durationMinutes, heat, Map.of(),
                Optional.empty(), Optional.of(screening));
    }

    /** How heat and TENS share the session. Wire names are the scenario/MQTT values. */
    public enum HeatMode {
        /** heat and stimulation together (default) */
        SIMULTANEOUS("simultaneous"),
        /** heat and stimulation take turns, {@link Heat#alternateMinutes} each, stimulation first */
        ALTERNATING("alternating");

        private final String wireName;

        HeatMode(String wireName) { this.wireName = wireName; }

        public String wireName() { return wireName; }

        public static HeatMode fromWire(String s) {
            for (HeatMode m : values()) {
                if (m.wireName.equals(s)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("heat mode must be simultaneous or alternating, got '" + s + "'");
        }
    }

    /**
     * @param setpointCelsius  skin temperature to hold (37 … ceiling − margin)
     * @param mode             simultaneous or alternating with TENS
     * @param alternateMinutes length of each phase when alternating
     */
    public record Heat(double setpointCelsius, HeatMode mode, double alternateMinutes) {
        public Heat(double setpointCelsius) { this(setpointCelsius, HeatMode.SIMULTANEOUS, 5.0); }
    }

    /**
     * Counter accommodation: every {@code intervalS} seconds of ACTIVE stimulation the intensity rises by
     * {@code stepMilliAmps}, up to the prescribed maximum and never beyond it.
     */
    public record Habituation(double stepMilliAmps, double intervalS) {
        public Habituation {
            if (!(stepMilliAmps > 0 && stepMilliAmps <= 5)) {
                throw new IllegalArgumentException("habituation stepMilliAmps must be above 0 and at most 5, got " + stepMilliAmps);
            }
            if (!(intervalS >= 30 && intervalS <= 3600)) {
                throw new IllegalArgumentException("habituation intervalS must be 30–3600 s, got " + intervalS);
            }
        }
    }

    public long durationNanos() { return durationMinutes * 60_000_000_000L; }

    public Prescription withScreening(Screening s) {
        return new Prescription(program, frequencyHz, pulseWidthMicros, targetMilliAmps, maxMilliAmps, durationMinutes,
                heat, programParams, habituation, Optional.of(s));
    }
}
