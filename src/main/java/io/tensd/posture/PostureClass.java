package io.tensd.posture;

/** Posture classes. The wire name crosses to telemetry and the CSV output; the code to compact telemetry. */
public enum PostureClass {
    UPRIGHT("upright", 0),
    FLEXED("flexed", 1),
    EXTENDED("extended", 2),
    LYING("lying", 3),
    MOVING("moving", 4);

    private final String wireName;
    private final int code;

    PostureClass(String wireName, int code) {
        this.wireName = wireName;
        this.code = code;
    }

    public String wireName() { return wireName; }

    public int code() { return code; }

    public static PostureClass fromWire(String name) {
        for (PostureClass c : values()) {
            if (c.wireName.equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown posture class '" + name + "'");
    }
}
