package io.tensd.heat.tune;

/**
 * Bounds of the identification experiment on the pad (docs/deployment.md "Heat-tune"). The experiment is a
 * step: rest with the heater off, one step of {@code dutyStep}, then cooling with the heater off. The step ends
 * at the first of: skin reading at {@code skinStopCelsius}, pad reading at {@code padStopCelsius}, the skin no
 * longer warming, or {@code maxHeatMillis}. The whole run never exceeds {@code maxTotalMillis}.
 *
 * @param dutyStep         heater duty of the step (the supervisor's duty cap and model bound still apply)
 * @param skinStopCelsius  the step ends at this skin reading: at least 2 °C under the ceiling
 * @param padStopCelsius   the step ends at this pad reading: under the supervisor's pad limit
 * @param restMillis       heater off before the step (baseline: ambient and core from the resting pad)
 * @param maxHeatMillis    longest step
 * @param coolMillis       heater off after the step (the decay carries most of the time-constant information)
 * @param maxTotalMillis   hard cap of the whole experiment
 * @param residualStopCelsius the step also ends when the supervisor's cross-check residual (model in force vs.
 *                         sensors) reaches this: well under the cross-check's tolerance, which stays as it is
 */
public record TunePlan(double dutyStep, double skinStopCelsius, double padStopCelsius, long restMillis,
                       long maxHeatMillis, long coolMillis, long maxTotalMillis, double residualStopCelsius) {
    /** Smallest distance between the experiment's stop temperature and the skin ceiling. */
    public static final double MIN_CEILING_MARGIN_CELSIUS = 2.0;

    public TunePlan {
        if (!(dutyStep > 0 && dutyStep <= 0.6)) {
            throw new IllegalArgumentException("dutyStep must be in (0, 0.6], got " + dutyStep);
        }
        if (restMillis + maxHeatMillis + coolMillis > maxTotalMillis) {
            throw new IllegalArgumentException("rest + heat + cool exceed the experiment's time cap");
        }
    }

    /** The defaults for a skin ceiling ({@code Limits.skinCeilingCelsius}) and the supervisor's pad limit. */
    public static TunePlan defaults(double skinCeilingCelsius, double padLimitCelsius) {
        return new TunePlan(0.5, Math.min(38.5, skinCeilingCelsius - MIN_CEILING_MARGIN_CELSIUS - 0.5),
                Math.min(44.0, padLimitCelsius - 0.7), 60_000, 15 * 60_000, 8 * 60_000, 25 * 60_000, 0.6);
    }
}
