package io.tensd.therapy;

/**
 * A TENS program: the setpoint envelope the Pi computes at loop rate; the board makes the pulses.
 * {@code intensityMilliAmps} is the session's current intensity (ramped, patient-adjusted); the envelope
 * may only modulate it downwards or keep it, never exceed it. Its pulse widths and rates stay inside
 * [{@link #minPulseWidthMicros}, {@link #maxPulseWidthMicros}] and [{@link #minFrequencyHz}, {@link #maxFrequencyHz}],
 * which {@link Programs#validate} checks against the limits file before a session starts.
 */
public interface Program {
    String wireName();

    void envelope(long sinceStartNanos, double intensityMilliAmps, Setpoint out);

    int minPulseWidthMicros();

    int maxPulseWidthMicros();

    double minFrequencyHz();

    double maxFrequencyHz();
}
