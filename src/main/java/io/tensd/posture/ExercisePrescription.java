package io.tensd.posture;

/**
 * A clinician's exercise block, e.g. 3 × 10 McKenzie extensions. A repetition whose range of motion is below
 * {@code shallowFraction × targetRomDeg} (fraction from {@link PostureConfig}) is counted and flagged.
 */
public record ExercisePrescription(Exercise exercise, int sets, int repsPerSet, double targetRomDeg) {
    public ExercisePrescription {
        if (exercise == null) {
            throw new IllegalArgumentException("exercise is required");
        }
        if (sets < 1 || sets > 20) {
            throw new IllegalArgumentException("sets must be 1..20, got " + sets);
        }
        if (repsPerSet < 1 || repsPerSet > 100) {
            throw new IllegalArgumentException("reps per set must be 1..100, got " + repsPerSet);
        }
        if (!(targetRomDeg >= 3 && targetRomDeg <= 90)) {
            throw new IllegalArgumentException("target range of motion must be 3..90°, got " + targetRomDeg);
        }
    }

    /** With the exercise's default target range of motion. */
    public static ExercisePrescription of(Exercise exercise, int sets, int repsPerSet) {
        return new ExercisePrescription(exercise, sets, repsPerSet, exercise.defaultTargetRomDeg());
    }
}
