package io.tensd.therapy;

import java.util.Optional;

/**
 * What the clinic prescribes for one session. Validated against the limits when a session starts;
 * anything above a limit is clamped with a reason, never silently accepted.
 *
 * @param program          wire name of the TENS program ("conventional", …)
 * @param targetMilliAmps  intensity the session ramps up to
 * @param maxMilliAmps     the most the patient's up button (or habituation) may reach; ≥ target
 * @param heat             heat setpoint, when heat is prescribed
 */
public record Prescription(String program, double frequencyHz, int pulseWidthMicros, double targetMilliAmps,
                           double maxMilliAmps, int durationMinutes, Optional<Heat> heat) {

    public record Heat(double setpointCelsius) { }

    public long durationNanos() { return durationMinutes * 60_000_000_000L; }
}
