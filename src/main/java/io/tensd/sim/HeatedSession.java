package io.tensd.sim;

import io.tensd.config.Limits;
import io.tensd.heat.HeatController;
import io.tensd.heat.HeatSetup;
import io.tensd.hw.SensorStatus;
import io.tensd.safety.Request;
import io.tensd.safety.SafetySettings;
import io.tensd.safety.SafetySupervisor;
import io.tensd.safety.Verdict;
import io.tensd.safety.Inputs;

/**
 * A heated session's heat path on a {@link PadRig}: the session's PID with the setup's gains towards a skin
 * setpoint, decided each tick by the real supervisor with the setup's model.
 */
public final class HeatedSession implements PadRig.Driver {
    private final SafetySupervisor sup;
    private final HeatController pid;
    private final Request req = new Request();
    private final double setpointCelsius;
    private final double bandCelsius;
    private final boolean stopOnFault;
    private int bandTicks;
    private boolean faulted;

    /** {@code stopOnFault}: the run ends at the first latched fault (detection runs); else it runs on (false-trip runs). */
    public HeatedSession(HeatSetup setup, Limits limits, double setpointCelsius, boolean stopOnFault) {
        SafetySettings s = setup.applyTo(SafetySettings.defaults());
        this.sup = new SafetySupervisor(limits, s);
        this.pid = setup.controller(s.heaterDutyCap());
        this.setpointCelsius = setpointCelsius;
        this.bandCelsius = setup.bandCelsius();
        this.stopOnFault = stopOnFault;
    }

    @Override
    public Verdict tick(long now, Inputs in) {
        double duty = in.skin().status() == SensorStatus.OK ? pid.update(now, in.skin().celsius(), setpointCelsius) : 0;
        req.stim(false, 0, 0, 0, 0).heater(true, duty, setpointCelsius);
        Verdict v = sup.step(now, in, req);
        faulted |= v.faultBits() != 0;
        if (sup.heatResidualCelsius() > bandCelsius) {
            bandTicks++;
        }
        return v;
    }

    @Override
    public boolean finished() { return stopOnFault && faulted; }

    /** The supervisor's cross-check residual at the last tick (°C). */
    public double heatResidualCelsius() { return sup.heatResidualCelsius(); }

    /** Ticks whose cross-check residual was outside the setup's reported band. */
    public int bandTicks() { return bandTicks; }
}
