package io.tensd.posture;

/** Slouch feedback: {@code training} buzzes and raises an event; {@code tracking} only records the episode. */
public enum FeedbackMode {
    TRAINING("training"),
    TRACKING("tracking");

    private final String wireName;

    FeedbackMode(String wireName) { this.wireName = wireName; }

    public String wireName() { return wireName; }

    public static FeedbackMode fromWire(String name) {
        for (FeedbackMode m : values()) {
            if (m.wireName.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown feedback mode '" + name + "' (training or tracking)");
    }
}
