package io.tensd.heat;

import io.tensd.config.Limits;
import io.tensd.hw.BatteryReading;
import io.tensd.hw.PostureReading;
import io.tensd.hw.SensorStatus;
import io.tensd.hw.StimStatus;
import io.tensd.hw.TempReading;
import io.tensd.safety.FaultCode;
import io.tensd.safety.Inputs;
import io.tensd.safety.Request;
import io.tensd.safety.SafetySettings;
import io.tensd.safety.SafetySupervisor;
import io.tensd.safety.Verdict;
import io.tensd.sim.ThermalModel;
import java.util.Random;

/**
 * The heat path of one session without the rest of the device, for property tests over thousands of runs:
 * the simulator's thermal model (scaled plant), both temperature channels with their noise, resolution and a
 * linear drift each, the session's heat controller ({@link HeatController}, as {@code Session.planHeat} calls it)
 * and the real {@link SafetySupervisor}. The loop runs at 20 Hz (the supervisor's time rules are in time, not
 * ticks), sensors sample at 10 Hz, physics steps 10 ms.
 */
final class HeatLoopSim {
    static final long MS = 1_000_000L;
    private static final long TICK = 50 * MS;
    private static final long SAMPLE = 100 * MS;
    private static final long PHYSICS = 10 * MS;

    /** A linear drift of one channel: {@code ratePerMinute} °C/min from {@code onsetMinutes}, none if rate 0. */
    record Drift(double ratePerMinute, double onsetMinutes) {
        static final Drift NONE = new Drift(0, 0);

        double offset(long tNanos) {
            double minutes = tNanos / 60e9 - onsetMinutes;
            return minutes <= 0 ? 0 : ratePerMinute * minutes;
        }
    }

    /** Plant scale factors against the nominal pad: heater power (gain), heat capacities (tau), pad–skin resistance (coupling). */
    record Plant(double gain, double tau, double coupling, double ambientCelsius) {
        static final Plant NOMINAL = new Plant(1, 1, 1, 22);
    }

    record Result(double maxTrueSkin, long maxAtNanos, long firstFaultNanos, long faultBits) {
        String faults() { return FaultCode.join(faultBits, ","); }
    }

    private HeatLoopSim() { }

    static Result run(long seed, double setpoint, int minutes, Plant plant, Drift skinDrift, Drift padDrift) {
        return run(seed, setpoint, minutes, plant, skinDrift, padDrift, SafetySettings.defaults());
    }

    static Result run(long seed, double setpoint, int minutes, Plant plant, Drift skinDrift, Drift padDrift,
                      SafetySettings settings) {
        Random noise = new Random(seed);
        ThermalModel thermal = new ThermalModel(22.0, 8.0);
        thermal.setPlant(plant.gain(), plant.tau(), plant.coupling(), 1, 1, plant.ambientCelsius());
        SafetySupervisor sup = new SafetySupervisor(Limits.defaults(), settings);
        HeatController pid = HeatController.defaults(settings.heaterDutyCap());
        Inputs in = new Inputs();
        Request req = new Request();
        TempReading skinR = TempReading.NONE;
        TempReading padR = TempReading.NONE;
        long t0 = 1_000 * MS;
        long end = t0 + minutes * 60_000 * MS;
        long nextSample = t0;
        long physics = t0;
        double power = 0;
        double maxSkin = thermal.skinCelsius();
        long maxAt = 0;
        long firstFault = -1;
        long faults = 0;
        for (long now = t0; now <= end; now += TICK) {
            while (physics + PHYSICS <= now) {
                physics += PHYSICS;
                thermal.step(PHYSICS / 1e9, power);
                if (thermal.skinCelsius() > maxSkin) {
                    maxSkin = thermal.skinCelsius();
                    maxAt = physics - t0;
                }
            }
            if (now >= nextSample) {
                nextSample += SAMPLE;
                double s = thermal.skinCelsius() + skinDrift.offset(now - t0) + noise.nextGaussian() * 0.01;
                double p = thermal.padCelsius() + padDrift.offset(now - t0) + noise.nextGaussian() * 0.03;
                skinR = reading(Math.round(s / 0.0078125) * 0.0078125, now);
                padR = reading(Math.round(p / 0.01) * 0.01, now);
            }
            in.set(skinR, padR, new StimStatus(now, 0, 1000, 0, true, 100, 1), false, BatteryReading.UNKNOWN, PostureReading.NONE);
            double duty = skinR.status() == SensorStatus.OK ? pid.update(now, skinR.celsius(), setpoint) : 0;
            req.stim(true, 0, 150, 100, 20).heater(true, duty, setpoint);
            Verdict v = sup.step(now, in, req);
            if (v.faultBits() != 0 && firstFault < 0) {
                firstFault = now - t0;
            }
            faults |= v.faultBits();
            power = v.heaterEnabled() ? v.heaterDuty() : 0;
        }
        return new Result(maxSkin, maxAt, firstFault, faults);
    }

    /** A channel outside the sensor's span reads as failed, as the real parts do. */
    private static TempReading reading(double celsius, long at) {
        return celsius < -40 || celsius > 125 ? TempReading.failed(SensorStatus.OPEN, at) : TempReading.ok(celsius, at);
    }
}
