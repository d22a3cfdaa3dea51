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
 * @param batteryLowPercent          at or below this the heat stops (the pad is the big load) and start refuses heat
 * @param batteryCriticalPercent     at or below this the session ramps down and ends; start is refused
 * @param cem43BudgetMinutes         thermal dose (CEM43 of the measured skin) per session; heating ends when spent
 * @param sensorFreshMillis          precheck: temperature and stimulator readings must be younger than this
 */
public record SessionSettings(double intensityStepMilliAmps, int minImpedanceOhms, int maxImpedanceOhms,
                              long precheckMinMillis, long precheckTimeoutMillis, long electrodeRestoreMillis,
                              long electrodeLiftTimeoutMillis, double heatMinSetpointCelsius,
                              double heatCeilingMarginCelsius, double batteryLowPercent, double batteryCriticalPercent,
                              double cem43BudgetMinutes, long sensorFreshMillis) {

    /** The original form; battery thresholds, dose budget and freshness at their defaults. */
    public SessionSettings(double intensityStepMilliAmps, int minImpedanceOhms, int maxImpedanceOhms,
                           long precheckMinMillis, long precheckTimeoutMillis, long electrodeRestoreMillis,
                           long electrodeLiftTimeoutMillis, double heatMinSetpointCelsius,
                           double heatCeilingMarginCelsius) {
        this(intensityStepMilliAmps, minImpedanceOhms, maxImpedanceOhms, precheckMinMillis, precheckTimeoutMillis,
                electrodeRestoreMillis, electrodeLiftTimeoutMillis, heatMinSetpointCelsius, heatCeilingMarginCelsius,
                20.0, 5.0, 1.5, 500);
    }

    public static SessionSettings defaults() {
        return new SessionSettings(1.0, 200, 10_000, 500, 10_000, 1_000, 60_000, 37.0, 1.0, 20.0, 5.0, 1.5, 500);
    }
}
