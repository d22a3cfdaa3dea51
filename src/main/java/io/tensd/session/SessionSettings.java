package io.tensd.session;

/**
 * Session behaviour a clinic may tune in config/tensd.yaml (none of it can exceed a limit).
 *
 * @param intensityStepMilliAmps     patient up/down step
 * @param minImpedanceOhms           precheck/contact: below this the electrodes are shorted together
 * @param maxImpedanceOhms           above this an electrode has lifted
 * @param precheckMinMillis          precheck lasts at least this long (fresh samples, impedance measured)
 * @param precheckTimeoutMillis      precheck gives up after this long
 * @param electrodeRestoreMillis     contact must be good this long before stimulation resumes
 * @param electrodeLiftTimeoutMillis a lift longer than this ends the session
 * @param heatMinSetpointCelsius     lowest heat setpoint accepted (below it heat does nothing useful)
 * @param heatCeilingMarginCelsius   the heat setpoint stays at least this far under the skin ceiling
 */
public record SessionSettings(double intensityStepMilliAmps, int minImpedanceOhms, int maxImpedanceOhms,
                              long precheckMinMillis, long precheckTimeoutMillis, long electrodeRestoreMillis,
                              long electrodeLiftTimeoutMillis, double heatMinSetpointCelsius,
                              double heatCeilingMarginCelsius) {
    public static SessionSettings defaults() {
        return new SessionSettings(1.0, 200, 10_000, 500, 10_000, 1_000, 60_000, 37.0, 1.0);
    }
}
