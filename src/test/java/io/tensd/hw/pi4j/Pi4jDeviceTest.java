package io.tensd.hw.pi4j;

import com.pi4j.io.gpio.digital.DigitalState;
import io.tensd.config.DeviceConfig;
import io.tensd.hw.Button;
import io.tensd.hw.Stimulator;
import io.tensd.loop.Clock;
import io.tensd.session.CommandGateway;
import io.tensd.session.SessionCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

/** Output states at start, while driven, at an e-stop (inside the listener, before any tick) and at shutdown. */
class Pi4jDeviceTest {
    private static final DeviceConfig.Hardware HW = DeviceConfig.Hardware.defaults();
    private static final String[] OUTPUTS = {Pi4jDevice.ID_HEATER_ENABLE, Pi4jDevice.ID_STIM_ENABLE, Pi4jDevice.ID_HAPTIC, Pi4jDevice.ID_LED};

    private final MockPi mock = new MockPi();
    private final Stimulator stimulator = mock(Stimulator.class);
    /** What every output looked like at the moment each command was submitted. */
    private final List<String> submissions = new CopyOnWriteArrayList<>();
    private final CommandGateway gateway = (command, reply) -> {
        Button b = ((SessionCommand.Press) command).button();
        submissions.add(b + (allLow() ? " (outputs LOW)" : " (outputs ON)"));
    };
    private Pi4jDevice device;

    @AfterEach
    void close() {
        if (device != null) {
            device.close();
        }
        mock.close();
    }

    private Pi4jDevice open() {
        device = Pi4jDevice.open(mock.pi4j, HW, Clock.SYSTEM, gateway, stimulator,
                Pi4jDevice.Options.defaults().withPhase(Pi4jButtons.PhaseSource.UNKNOWN));
        return device;
    }

    private boolean allLow() {
        for (String id : new String[] {Pi4jDevice.ID_HEATER_ENABLE, Pi4jDevice.ID_STIM_ENABLE}) {
            if (mock.pi4j.registry().exists(id) && mock.high(id)) {
                return false;
            }
        }
        return !mock.pi4j.registry().exists(Pi4jDevice.ID_HEATER_PWM) || !mock.pwm(Pi4jDevice.ID_HEATER_PWM).isOn();
    }

    @Test
    void everyOutputIsLowAfterOpen() {
        open();
        for (String id : OUTPUTS) {
            assertFalse(mock.high(id), id + " must start LOW");
        }
        assertFalse(mock.pwm(Pi4jDevice.ID_HEATER_PWM).isOn(), "heater PWM starts off");
        assertEquals(HW.heaterEnablePin(), mock.out(Pi4jDevice.ID_HEATER_ENABLE).address());
        assertEquals(0, mock.pwm(Pi4jDevice.ID_HEATER_PWM).address(), "BCM12 is PWM channel 0");
        assertFalse(device.buttons().active());
        assertTrue(submissions.isEmpty(), "nothing pressed: " + submissions);
    }

    @Test
    void heaterFollowsTheLoopWithDutyClampedToOne() {
        open();
        Pi4jHeater heater = device.heater();
        heater.drive(true, 0.5);
        assertTrue(mock.high(Pi4jDevice.ID_HEATER_ENABLE));
        assertTrue(mock.pwm(Pi4jDevice.ID_HEATER_PWM).isOn());
        assertEquals(50.0, mock.pwm(Pi4jDevice.ID_HEATER_PWM).getDutyCycle(), 1e-6);

        heater.drive(true, 1.7);
        assertEquals(100.0, mock.pwm(Pi4jDevice.ID_HEATER_PWM).getDutyCycle(), 1e-6);

        heater.drive(true, Double.NaN);
        assertFalse(mock.high(Pi4jDevice.ID_HEATER_ENABLE), "NaN duty is off");
        assertFalse(mock.pwm(Pi4jDevice.ID_HEATER_PWM).isOn());

        heater.drive(true, 0.25);
        heater.drive(false, 0.25);
        assertFalse(mock.high(Pi4jDevice.ID_HEATER_ENABLE), "disabled is off whatever the duty");
        assertFalse(mock.pwm(Pi4jDevice.ID_HEATER_PWM).isOn());

        heater.drive(true, -3);
        assertFalse(mock.high(Pi4jDevice.ID_HEATER_ENABLE));
        assertEquals(0, heater.writeErrors());
    }

    @Test
    void clampIsTotal() {
        assertEquals(0.0, Pi4jHeater.clampDuty(Double.NaN));
        assertEquals(0.0, Pi4jHeater.clampDuty(Double.NEGATIVE_INFINITY));
        assertEquals(1.0, Pi4jHeater.clampDuty(Double.POSITIVE_INFINITY));
        assertEquals(0.3, Pi4jHeater.clampDuty(0.3));
    }

    @Test
    void estopMakesEverythingSafeInsideTheListenerBeforeEstopIsSubmitted() {
        open();
        device.heater().drive(true, 0.8);
        device.stimEnable().drive(true);
        assertTrue(mock.high(Pi4jDevice.ID_HEATER_ENABLE));
        assertTrue(mock.high(Pi4jDevice.ID_STIM_ENABLE));

        mock.in(Pi4jButtons.ID_PREFIX + "estop").mockState(DigitalState.HIGH); // NC contact opens; listener runs now

        // no loop tick has run: the listener alone must have done this
        assertFalse(mock.high(Pi4jDevice.ID_HEATER_ENABLE), "heater enable LOW at once");
        assertFalse(mock.pwm(Pi4jDevice.ID_HEATER_PWM).isOn(), "heater PWM off at once");
        assertFalse(mock.high(Pi4jDevice.ID_STIM_ENABLE), "stimulator enable LOW at once");
        verify(stimulator).forceSafe();
        assertEquals(List.of("ESTOP (outputs LOW)"), submissions, "ESTOP submitted after the outputs were safe");
        assertTrue(device.buttons().active());

        // a tick computed before the e-stop cannot switch anything back on
        device.heater().drive(true, 0.8);
        device.stimEnable().drive(true);
        assertFalse(mock.high(Pi4jDevice.ID_HEATER_ENABLE));
        assertFalse(mock.high(Pi4jDevice.ID_STIM_ENABLE));

        mock.in(Pi4jButtons.ID_PREFIX + "estop").mockState(DigitalState.LOW);
        assertFalse(device.buttons().active());
        assertEquals("ESTOP_RELEASE (outputs LOW)", submissions.get(1), "release turns nothing on by itself");
        device.heater().drive(true, 0.2);
        assertTrue(mock.high(Pi4jDevice.ID_HEATER_ENABLE), "after release the loop decides again");
    }

    @Test
    void closeLeavesEveryOutputLow() {
        open();
        device.heater().drive(true, 0.9);
        device.stimEnable().drive(true);
        device.annunciator().led(io.tensd.hw.Annunciator.Led.RUNNING);
        List<com.pi4j.io.gpio.digital.DigitalOutput> outs = new ArrayList<>();
        for (String id : OUTPUTS) {
            outs.add(mock.out(id));
        }
        var pwm = mock.pwm(Pi4jDevice.ID_HEATER_PWM);
        device.close();
        device = null;
        for (var o : outs) {
            assertEquals(DigitalState.LOW, o.state(), o.id() + " LOW after close");
        }
        assertFalse(pwm.isOn());
        for (String id : OUTPUTS) {
            assertFalse(mock.pi4j.registry().exists(id), id + " released");
        }
    }

    @Test
    void heaterOnAPinWithoutHardwarePwmIsRefusedAtOpen() {
        DeviceConfig.Hardware bad = new DeviceConfig.Hardware(17, 16, 26, 13, 6, 5, 22, 23, 24, 27,
                1, 0x48, 0x49, 0x6A, 0x6B, 0x36, "/dev/serial0");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Pi4jDevice.open(mock.pi4j, bad, Clock.SYSTEM, gateway, stimulator));
        assertTrue(e.getMessage().contains("BCM17 has no hardware PWM"), e.getMessage());
        assertTrue(mock.pi4j.registry().all().isEmpty(), "nothing left claimed");
    }

    /**
     * The skin's poll time dates its readings: over the schedule's 1 s hyperperiod no skin poll starts within
     * 1 ms of another part's poll (IMUs ~0.4 ms, battery ~0.5 ms) or inside the pad's 127–131 ms window (its
     * 2 ms conversion wait plus transfers), so none is pushed late by another transfer.
     */
    @Test
    void theSkinsPollsMissTheOtherPartsSlots() {
        long skinPeriod = Tmp117.POLL_PERIOD.toMillis();
        for (long t = Pi4jDevice.SKIN_PHASE.toMillis(); t < 1000; t += skinPeriod) {
            long imu = Pi4jDevice.IMU_PERIOD.toMillis();
            long lower = Math.floorMod(t, imu);
            long upper = Math.floorMod(t - Pi4jDevice.IMU_UPPER_PHASE.toMillis(), imu);
            assertTrue(Math.min(lower, upper) >= 1, "skin poll at " + t + " ms on an IMU slot");
            long pad = Math.floorMod(t - Pi4jDevice.PAD_PHASE.toMillis(), Pi4jDevice.TEMPERATURE_PERIOD.toMillis());
            assertTrue(pad >= 4 && pad <= Pi4jDevice.TEMPERATURE_PERIOD.toMillis() - 1, "skin poll at " + t + " ms in the pad's window");
            long battery = Math.floorMod(t - Pi4jDevice.BATTERY_PHASE.toMillis(), Pi4jDevice.BATTERY_PERIOD.toMillis());
            assertTrue(battery >= 1 && battery <= Pi4jDevice.BATTERY_PERIOD.toMillis() - 1, "skin poll at " + t + " ms on the battery's slot");
        }
    }
}
