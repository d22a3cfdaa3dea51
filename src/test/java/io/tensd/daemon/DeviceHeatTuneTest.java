package io.tensd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tensd.config.Limits;
import io.tensd.heat.tune.PadCalibration;
import io.tensd.heat.tune.ThermalFit;
import io.tensd.heat.tune.TuneExperiment;
import io.tensd.heat.tune.TunePlan;
import io.tensd.heat.tune.TuneRun;
import io.tensd.hw.DeviceIo;
import io.tensd.hw.HeaterOutput;
import io.tensd.loop.VirtualClock;
import io.tensd.safety.HeatModel;
import io.tensd.safety.SafetySettings;
import io.tensd.safety.SafetySupervisor;
import io.tensd.sim.PadPlant;
import io.tensd.sim.SimDevice;
import io.tensd.sim.SimTempSensor;
import io.tensd.testkit.SeededCases;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The device-side heat-tune runner over the simulated device's ports (the same {@link DeviceIo} the daemon drives),
 * in virtual time: it identifies a non-nominal pad, and whatever interrupts it (e-stop, a sensor open or stuck, a stop
 * request, at a random moment) it ends with the heater off, never asks for heat after the experiment ended, and the
 * true skin stays under the ceiling. Seeded ({@link SeededCases#sequential}): a failure names the seed; rerun one case with
 * -Dtensd.seed=N.
 */
class DeviceHeatTuneTest {
    private static final int CASES = 200;
    private static final long S = 1_000_000_000L;

    /** The simulated device in virtual time, its heater wrapped to see every command the runner gives it. */
    private static final class Rig {
        final VirtualClock clock = new VirtualClock(S);
        final SimDevice device;
        final List<Runnable> atTimes = new ArrayList<>();
        double maxTrueSkin = Double.NEGATIVE_INFINITY;
        TuneRun run;
        int heatAfterEnd;
        int heatCommands;
        boolean lastOn = true;

        Rig(Limits limits, PadPlant plant, long seed) {
            device = new SimDevice(clock, limits, seed);
            plant.applyTo(device.thermal(), SimDevice.AMBIENT_CELSIUS);
            device.advance(clock.nanos());
        }

        DeviceIo io() {
            DeviceIo b = device.io();
            HeaterOutput watched = new HeaterOutput() {
                @Override
                public void drive(boolean enabled, double duty) {
                    boolean on = enabled && duty > 0;
                    if (on && run != null && run.finished()) {
                        heatAfterEnd++;
                    }
                    heatCommands += on ? 1 : 0;
                    lastOn = on;
                    b.heater().drive(enabled, duty);
                }

                @Override
                public void forceSafe() { b.heater().forceSafe(); }
            };
            return new DeviceIo(b.skin(), b.pad(), b.stimulator(), watched, b.annunciator(), b.battery(), b.posture(), b.estop());
        }

        DeviceHeatTune.Pacer pacer() {
            DeviceHeatTune.Pacer p = DeviceHeatTune.virtualTime(clock, device);
            return t -> {
                p.awaitUntil(t);
                maxTrueSkin = Math.max(maxTrueSkin, device.thermal().skinCelsius());
            };
        }
    }

    @Test
    void identifiesANonNominalPadOverTheDevicePorts() {
        Limits limits = Limits.defaults();
        PadPlant plant = new PadPlant(0.95, 1.1, 1.05);
        Rig rig = new Rig(limits, plant, 7);
        SafetySupervisor sup = new SafetySupervisor(limits, SafetySettings.defaults());
        rig.run = new TuneRun(sup, TunePlan.defaults(limits.skinCeilingCelsius(), sup.thermalLimits().padLimitCelsius()));
        List<DeviceHeatTune.Progress> lines = new ArrayList<>();
        DeviceHeatTune.Result r = DeviceHeatTune.run(rig.io(), rig.clock, rig.pacer(), rig.run, () -> false,
                () -> rig.device.heater().forceSafe(), 60 * S, lines::add);
        TuneExperiment e = rig.run.experiment();
        assertEquals(TuneExperiment.Phase.DONE, e.phase(), e.endReason());
        assertEquals(0, rig.run.faults(), "no fault during a clean run");
        PadCalibration c = PadCalibration.identify("PAD-7", "2026-12-02", "device", e, HeatModel.defaults());
        ThermalFit.Result f = c.fit();
        String fit = f.toString() + ", step ended by " + e.heatEndReason();
        double watts = SimDevice.HEATER_WATTS * plant.gainScale();
        double padCap = 60 * plant.tauScale();
        assertEquals(watts, f.heaterWatts().value(), 0.05 * watts, fit);
        assertEquals(padCap, f.padJoulesPerKelvin().value(), 0.05 * padCap, fit);
        assertEquals(watts, f.heaterWatts().value(), f.heaterWatts().ci95(), "truth inside the 95 % CI: " + fit);
        assertEquals(padCap, f.padJoulesPerKelvin().value(), f.padJoulesPerKelvin().ci95(), "truth inside the 95 % CI: " + fit);
        assertEquals(40 * plant.tauScale(), f.skinJoulesPerKelvin().value(), 0.03 * 40 * plant.tauScale(), fit);
        assertEquals(2 * plant.couplingScale(), f.padSkinKelvinPerWatt().value(), 0.03 * 2 * plant.couplingScale(), fit);
        assertNull(c.refusal("PAD-7"), fit);
        System.out.printf(Locale.ROOT, "device heat-tune on %s: heater %.3f W (%+.1f %%), C_p %.2f J/K (%+.1f %%), C_s %+.1f %%, "
                        + "R_ps %+.1f %%, step ended by %s%n", plant, f.heaterWatts().value(), 100 * (f.heaterWatts().value() / watts - 1),
                f.padJoulesPerKelvin().value(), 100 * (f.padJoulesPerKelvin().value() / padCap - 1),
                100 * (f.skinJoulesPerKelvin().value() / (40 * plant.tauScale()) - 1),
                100 * (f.padSkinKelvinPerWatt().value() / (2 * plant.couplingScale()) - 1), e.heatEndReason());
        assertTrue(r.heaterOffAtEnd() && !rig.lastOn && !rig.device.heater().enabled());
        assertEquals(0, r.heatAfterAbort());
        assertTrue(rig.heatCommands > 100, "the step heated");
        assertTrue(lines.size() >= 10 && lines.stream().anyMatch(p -> p.phase() == TuneExperiment.Phase.HEAT), lines.toString());
        assertTrue(r.maxSkinCelsius() < limits.skinCeilingCelsius() - TunePlan.MIN_CEILING_MARGIN_CELSIUS + 0.1,
                "skin read " + r.maxSkinCelsius());
    }

    private record Outcome(boolean heated, boolean aborted) { }

    enum Interruption { ESTOP, SKIN_OPEN, PAD_OPEN, SKIN_STUCK, PAD_STUCK, STOP_REQUEST, INTERRUPT, EXCEPTION, NONE }

    @Test
    void everyInterruptionEndsWithTheHeaterOffAndTheSkinUnderTheCeiling() {
        Limits limits = Limits.defaults();
        SeededCases cases = SeededCases.sequential(1515L, CASES);
        List<Outcome> outcomes = cases.map(c -> {
            long seed = c.seed();
            Random rnd = c.random();
            PadPlant plant = new PadPlant(0.75 + rnd.nextDouble() * 0.5, 0.75 + rnd.nextDouble() * 0.5, 0.75 + rnd.nextDouble() * 0.5);
            Interruption what = Interruption.values()[rnd.nextInt(Interruption.values().length)];
            long at = S + (long) (rnd.nextDouble() * 110 * S);
            Rig rig = new Rig(limits, plant, seed);
            SafetySupervisor sup = new SafetySupervisor(limits, SafetySettings.defaults());
            TunePlan d = TunePlan.defaults(limits.skinCeilingCelsius(), sup.thermalLimits().padLimitCelsius());
            // a short experiment (the same bounds, shorter phases) keeps 200 cases to a few seconds
            TunePlan plan = new TunePlan(d.dutyStep(), d.skinStopCelsius(), d.padStopCelsius(), 5_000, 90_000, 20_000,
                    120_000, d.residualStopCelsius());
            rig.run = new TuneRun(sup, plan);
            long t0 = rig.clock.nanos();
            boolean[] stopAsked = {false};
            boolean[] whileRunning = {false};
            DeviceHeatTune.Pacer inner = rig.pacer();
            DeviceHeatTune.Pacer pacer = t -> {
                inner.awaitUntil(t);
                if (stopAsked[0] && what == Interruption.INTERRUPT) {
                    throw new InterruptedException();
                }
                if (stopAsked[0] && what == Interruption.EXCEPTION) {
                    throw new IllegalStateException("I2C bus error");
                }
                if (!stopAsked[0] && t - t0 >= at) {
                    stopAsked[0] = true;
                    whileRunning[0] = !rig.run.finished();
                    long now = rig.clock.nanos();
                    switch (what) {
                        case ESTOP -> rig.device.pressEstop();
                        case SKIN_OPEN -> rig.device.skinSensor().setMode(now, SimTempSensor.Mode.OPEN);
                        case PAD_OPEN -> rig.device.padSensor().setMode(now, SimTempSensor.Mode.OPEN);
                        case SKIN_STUCK -> rig.device.skinSensor().setMode(now, SimTempSensor.Mode.STUCK);
                        case PAD_STUCK -> rig.device.padSensor().setMode(now, SimTempSensor.Mode.STUCK);
                        default -> { }
                    }
                }
            };
            DeviceHeatTune.Result r;
            try {
                r = DeviceHeatTune.run(rig.io(), rig.clock, pacer, rig.run,
                        () -> what == Interruption.STOP_REQUEST && stopAsked[0], () -> rig.device.heater().forceSafe(),
                        10 * S, p -> { });
            } catch (IllegalStateException thrown) {
                r = new DeviceHeatTune.Result(0, 0, 0, true); // the runner rethrows: only the outputs are checked
            }
            boolean interrupted = Thread.interrupted();
            if (what == Interruption.INTERRUPT && whileRunning[0] && !interrupted) {
                fail("the interrupt was swallowed");
            }
            String desc = String.format(Locale.ROOT, "%s, %s at %.1f s: end '%s', faults %x, "
                    + "max true skin %.3f", plant, what, at / 1e9, rig.run.experiment().endReason(),
                    rig.run.faults(), rig.maxTrueSkin);
            if (!rig.run.finished()) {
                fail(desc + ": did not end");
            }
            if (rig.lastOn || !r.heaterOffAtEnd() || rig.device.heater().enabled() || rig.device.heater().powerFraction() != 0) {
                fail(desc + ": heater not off at the end");
            }
            if (rig.heatAfterEnd != 0 || r.heatAfterAbort() != 0) {
                fail(desc + ": heat asked after the experiment ended (" + rig.heatAfterEnd + ")");
            }
            if (rig.maxTrueSkin >= limits.skinCeilingCelsius()) {
                fail(desc + ": skin over the ceiling");
            }
            if ((what == Interruption.ESTOP || what == Interruption.STOP_REQUEST || what == Interruption.SKIN_OPEN
                    || what == Interruption.INTERRUPT || what == Interruption.EXCEPTION
                    || what == Interruption.PAD_OPEN) && whileRunning[0]
                    && rig.run.experiment().phase() != TuneExperiment.Phase.ABORTED) {
                fail(desc + ": not aborted");
            }
            return new Outcome(rig.heatCommands > 0, rig.run.experiment().phase() == TuneExperiment.Phase.ABORTED);
        });
        int n = cases.size();
        long heated = outcomes.stream().filter(Outcome::heated).count();
        long aborted = outcomes.stream().filter(Outcome::aborted).count();
        System.out.printf(Locale.ROOT, "device heat-tune interruptions: %d cases from seed %d (-Dtensd.seed=N reruns one), "
                + "%d heated, %d aborted%n", n, cases.master(), heated, aborted);
        if (n == CASES) {
            assertTrue(heated > CASES / 2, "most cases heated before the interruption: " + heated);
            assertTrue(aborted > CASES / 3, "interruptions abort: " + aborted);
        }
        assertFalse(n == 0);
    }
}
