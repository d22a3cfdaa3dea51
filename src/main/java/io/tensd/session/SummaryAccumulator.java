package io.tensd.session;

import io.tensd.safety.FaultCode;
import java.util.ArrayList;
import java.util.List;

/** Integrates what a session delivers, tick by tick, without allocating. */
final class SummaryAccumulator {
    long deliveredNanos;
    double maIntegralMilliAmpSeconds;
    double maxMilliAmps;
    double chargeMicroCoulombs;
    long heatNanos;
    double maxSkinCelsius = Double.NaN;
    double cem43Minutes;
    int pauses;
    int electrodeLifts;
    long faultBits;
    long pausedNanos;
    int habituationSteps;
    double finalMilliAmps = Double.NaN;
    String heatEndReason;
    int heatModelExcursions;
    double heatResidualMaxCelsius = Double.NaN;

    void reset() {
        deliveredNanos = 0;
        maIntegralMilliAmpSeconds = 0;
        maxMilliAmps = 0;
        chargeMicroCoulombs = 0;
        heatNanos = 0;
        maxSkinCelsius = Double.NaN;
        cem43Minutes = 0;
        pauses = 0;
        electrodeLifts = 0;
        faultBits = 0;
        pausedNanos = 0;
        habituationSteps = 0;
        finalMilliAmps = Double.NaN;
        heatEndReason = null;
        heatModelExcursions = 0;
        heatResidualMaxCelsius = Double.NaN;
    }

    void addStim(long dtNanos, double milliAmps, int pulseWidthMicros, double frequencyHz, boolean delivering) {
        double dt = dtNanos / 1e9;
        if (delivering) {
            deliveredNanos += dtNanos;
            maIntegralMilliAmpSeconds += milliAmps * dt;
        }
        maxMilliAmps = Math.max(maxMilliAmps, milliAmps);
        chargeMicroCoulombs += milliAmps * pulseWidthMicros / 1000.0 * frequencyHz * dt;
    }

    void addHeat(long dtNanos, boolean heating, double skinCelsius) {
        if (heating) {
            heatNanos += dtNanos;
        }
        if (!Double.isNaN(skinCelsius)) {
            maxSkinCelsius = Double.isNaN(maxSkinCelsius) ? skinCelsius : Math.max(maxSkinCelsius, skinCelsius);
            // Sapareto & Dewey: CEM43 = Σ R^(43−T)·Δt, R = 0.5 at or above 43 °C, 0.25 below.
            double r = skinCelsius >= 43.0 ? 0.5 : 0.25;
            cem43Minutes += Math.pow(r, 43.0 - skinCelsius) * dtNanos / 60e9;
        }
    }

    SessionSummary build(String sessionId, String program, String endReason, long prescribedNanos) {
        List<String> faults = new ArrayList<>();
        for (FaultCode f : FaultCode.values()) {
            if ((faultBits & f.bit()) != 0) {
                faults.add(f.wireName());
            }
        }
        double mean = deliveredNanos == 0 ? 0 : maIntegralMilliAmpSeconds / (deliveredNanos / 1e9);
        return new SessionSummary(sessionId, program, endReason, prescribedNanos / 1_000_000, deliveredNanos / 1_000_000,
                mean, maxMilliAmps, chargeMicroCoulombs, heatNanos / 1_000_000, maxSkinCelsius, cem43Minutes,
                pauses, electrodeLifts, faults, pausedNanos / 1_000_000, habituationSteps, finalMilliAmps, heatEndReason,
                heatModelExcursions, heatResidualMaxCelsius);
    }
}
