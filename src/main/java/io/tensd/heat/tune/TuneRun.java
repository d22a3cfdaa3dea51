package io.tensd.heat.tune;

import io.tensd.safety.FaultCode;
import io.tensd.safety.Inputs;
import io.tensd.safety.Request;
import io.tensd.safety.SafetySupervisor;
import io.tensd.safety.Verdict;

/**
 * One tick of heat-tune, the same shape as the device loop: the experiment asks, the real
 * {@link SafetySupervisor} (the session's, with every check of a session) decides, the caller drives the heater
 * and the stimulator (off, lease renewed) from the verdict. Any fault the supervisor latches aborts the experiment
 * in the same tick, and the outputs are then safe from that tick on. Pure: time is an argument.
 */
public final class TuneRun {
    private final SafetySupervisor supervisor;
    private final TuneExperiment experiment;
    private final Request request = new Request();
    private double applied;
    private long faults;

    public TuneRun(SafetySupervisor supervisor, TunePlan plan) {
        this.supervisor = supervisor;
        this.experiment = new TuneExperiment(plan);
    }

    public TuneExperiment experiment() { return experiment; }

    public SafetySupervisor supervisor() { return supervisor; }

    /** Every fault latched during the run. */
    public long faults() { return faults; }

    public boolean finished() { return experiment.finished(); }

    /** Asks the operator's stop (Ctrl-C, stop button): aborts; the next verdict has the heater off. */
    public void stop(long now) { experiment.abort(now, "stopped by the operator"); }

    public Verdict tick(long now, Inputs in) {
        double duty = experiment.tick(now, in.skin(), in.pad(), applied, supervisor.heatResidualCelsius());
        boolean heat = duty > 0 && !experiment.finished();
        request.stim(false, 0, 0, 0, 0).heater(heat, heat ? duty : 0, experiment.plan().skinStopCelsius());
        Verdict v = supervisor.step(now, in, request);
        if (v.faultBits() != 0) {
            faults |= v.faultBits();
            experiment.abort(now, "fault: " + FaultCode.join(v.faultBits(), ","));
        }
        applied = v.heaterEnabled() ? v.heaterDuty() : 0;
        return v;
    }
}
