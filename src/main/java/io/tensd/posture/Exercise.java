package io.tensd.posture;

/**
 * Exercises the device can count. Each names the angle it counts on, the direction of a repetition, the
 * position it starts from and a default target range of motion (the clinician overrides it per patient in
 * the {@link ExercisePrescription}).
 */
public enum Exercise {
    /** McKenzie extension in standing: hands on the hips, lean back, return. Counted on lumbar (or trunk) extension. */
    MCKENZIE_EXTENSION("mckenzie-extension", Signal.TRUNK, Direction.EXTENSION, StartPosition.STANDING, 15.0),
    /** On hands and knees: round the back (cat) then hollow it (cow). One repetition visits both sides; ROM is peak to peak. */
    CAT_COW("cat-cow", Signal.TRUNK, Direction.BOTH, StartPosition.QUADRUPED, 30.0),
    /** Supine, knees bent, lift the pelvis. A hip exercise: counted on the lower sensor (pelvis) rotating into extension. */
    BRIDGE("bridge", Signal.PELVIS, Direction.EXTENSION, StartPosition.SUPINE, 25.0),
    /** Supine posterior pelvic tilt (flatten the back to the floor). Counted on the lower sensor. */
    PELVIC_TILT("pelvic-tilt", Signal.PELVIS, Direction.EXTENSION, StartPosition.SUPINE, 10.0);

    /** Which angle a repetition moves. */
    public enum Signal {
        /** The reported flexion: lumbar (upper minus lower) with two sensors, trunk inclination with one. */
        TRUNK,
        /** The lower (sacral) sensor's own sagittal angle. */
        PELVIS
    }

    /** Sign of a repetition on the sagittal angle (flexion +). */
    public enum Direction {
        FLEXION(1), EXTENSION(-1), BOTH(0);

        private final int sign;

        Direction(int sign) { this.sign = sign; }

        public int sign() { return sign; }
    }

    /** Where the patient must be before counting starts, judged from the lower sensor's sagittal angle. */
    public enum StartPosition { STANDING, SUPINE, QUADRUPED }

    private final String wireName;
    private final Signal signal;
    private final Direction direction;
    private final StartPosition start;
    private final double defaultTargetRomDeg;

    Exercise(String wireName, Signal signal, Direction direction, StartPosition start, double defaultTargetRomDeg) {
        this.wireName = wireName;
        this.signal = signal;
        this.direction = direction;
        this.start = start;
        this.defaultTargetRomDeg = defaultTargetRomDeg;
    }

    public String wireName() { return wireName; }

    public Signal signal() { return signal; }

    public Direction direction() { return direction; }

    public StartPosition start() { return start; }

    public double defaultTargetRomDeg() { return defaultTargetRomDeg; }

    public static Exercise fromWire(String name) {
        for (Exercise e : values()) {
            if (e.wireName.equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown exercise '" + name + "' (mckenzie-extension, cat-cow, bridge, pelvic-tilt)");
    }
}
