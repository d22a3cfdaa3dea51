package io.tensd.stim;

/** Pulse shapes the board generates. Codes are part of the wire protocol. */
public enum Waveform {
    /** equal positive and negative phases: charge-balanced by construction (the default) */
    SYMMETRIC_BIPHASIC(0),
    /** short positive phase, long low negative phase of equal charge */
    ASYMMETRIC_BIPHASIC(1);

    private final int code;

    Waveform(int code) { this.code = code; }

    public int code() { return code; }

    /** The waveform for a wire value, or {@code null} when unknown. */
    public static Waveform of(int code) {
        for (Waveform w : values()) {
            if (w.code == code) {
                return w;
            }
        }
        return null;
    }
}
