package io.tensd.cli;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.io.i2c.I2C;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;
import com.pi4j.plugin.mock.provider.pwm.MockPwmProvider;
import io.tensd.config.DeviceConfig;
import io.tensd.hw.pi4j.Ads1115Ntc;
import io.tensd.hw.pi4j.HardwareProbe;
import io.tensd.hw.pi4j.Lsm6dso;
import io.tensd.hw.pi4j.Max17048;
import io.tensd.hw.pi4j.Pi4jIo;
import io.tensd.hw.pi4j.Tmp117;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** hw-check against the Pi4J mock platform, with each I2C part emulated at register level. */
class HwCheckCommandTest {
    private static final DeviceConfig.Hardware HW = DeviceConfig.Hardware.defaults();
    private final StringWriter text = new StringWriter();
    private final Set<Integer> absent = new HashSet<>();
    private boolean estopPressed;
    /** Polls the TMP117 answers "no result yet" (Data_Ready clear) before its first conversion is ready. */
    private int skinPollsBeforeReady;

    private static Context mockContext() {
        return Pi4J.newContextBuilder().add(new MockPlatform())
                .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance(),
                        MockPwmProvider.newInstance(), MockI2CProvider.newInstance())
                .build();
    }

    private static void queue(I2C i2c, int register, int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        i2c.writeRegister(register, b, 0, b.length);
    }

    private static void queue16(I2C i2c, int register, int value) {
        queue(i2c, register, (value >> 8) & 0xFF, value & 0xFF);
    }

    /** What each part answers, from its datasheet, unless the test made it absent. */
    private I2C emulate(Context pi4j, String id, int bus, int address) {
        I2C i2c = Pi4jIo.i2c(pi4j, id, bus, address);
        if (absent.contains(address)) {
            return i2c; // nothing queued: every read fails like a missing ACK
        }
        if (address == HW.skinSensorAddress()) {
            queue16(i2c, Tmp117.REG_DEVICE_ID, 0x0117);
            queue16(i2c, Tmp117.REG_DEVICE_ID, 0x0117);
            // the driver's read-back after configuring pops the first (the mock keeps its write behind these);
            // the second is its first poll: Data_Ready set, so it reads the result
            queue16(i2c, Tmp117.REG_CONFIGURATION, Tmp117.CONFIG | Tmp117.DATA_READY);
            for (int i = 0; i < skinPollsBeforeReady; i++) {
                queue16(i2c, Tmp117.REG_CONFIGURATION, Tmp117.CONFIG);
            }
            queue16(i2c, Tmp117.REG_CONFIGURATION, Tmp117.CONFIG | Tmp117.DATA_READY);
            queue16(i2c, Tmp117.REG_TEMP_RESULT, 0x1280);
        } else if (address == HW.padAdcAddress()) {
            double ohms = Ads1115Ntc.ohmsFromCelsius(36.5, 10_000, 3988);
            queue16(i2c, Ads1115Ntc.REG_CONVERSION, (int) Math.round(3.3 * ohms / (ohms + 10_000) / Ads1115Ntc.VOLTS_PER_LSB));
            queue16(i2c, Ads1115Ntc.REG_CONVERSION, (int) Math.round(3.3 / Ads1115Ntc.VOLTS_PER_LSB));
        } else if (address == HW.imuLowerAddress() || address == HW.imuUpperAddress()) {
            queue(i2c, Lsm6dso.REG_WHO_AM_I, 0x6C);
            queue(i2c, Lsm6dso.REG_WHO_AM_I, 0x6C);
            queue(i2c, Lsm6dso.REG_OUTX_L_G, 0, 0, 0, 0, 0, 0, 0x05, 0x20, 0, 0, 0, 0); // upright: +1 g on x
        } else if (address == HW.fuelGaugeAddress()) {
            queue16(i2c, Max17048.REG_VERSION, 0x0012);
            queue16(i2c, Max17048.REG_VERSION, 0x0012);
            queue16(i2c, Max17048.REG_VCELL, 0xC000);
            queue16(i2c, Max17048.REG_SOC, 0x5000);
        }
        return i2c;
    }

    private DigitalInput input(Context pi4j, String id, String name, int bcm) {
        MockDigitalInput in = (MockDigitalInput) Pi4jIo.input(pi4j, id, name, bcm, PullResistance.PULL_UP, 1000);
        boolean high = bcm == HW.estopPin() ? estopPressed : true; // buttons rest HIGH (pull-ups); e-stop loop closed = LOW
        in.mockState(high ? DigitalState.HIGH : DigitalState.LOW);
        return in;
    }

    private int run(HwCheckCommand.StimProbe stim, String... args) {
        HwCheckCommand command = new HwCheckCommand(null, HwCheckCommandTest::mockContext, stim,
                (pi4j, hw, rp1) -> new HardwareProbe(pi4j, hw, rp1,
                        (id, bus, address) -> emulate(pi4j, id, bus, address),
                        (id, name, bcm) -> input(pi4j, id, name, bcm)),
                new PrintWriter(text, true));
        return new CommandLine(command).execute(args);
    }

    @Test
    void everyPartAnsweringIsExitZero() {
        int code = run(null);
        String out = text.toString();
        assertEquals(0, code, out);
        assertTrue(out.contains("all parts OK"), out);
        assertTrue(out.contains("stimulator: not probed"), out);
        assertTrue(out.contains("37.00 °C"), out);
        assertTrue(out.contains("36.5"), out);
        assertTrue(out.contains("BCM16 (pin 36)"), out);
        assertTrue(out.contains("0x48 on i2c-1"), out);
        assertTrue(out.contains("|a| = 1.00 g"), out);
        assertTrue(out.contains("80.0 %, 3.840 V"), out);
        assertFalse(out.contains("PROBLEM"), out);
    }

    @Test
    void theSkinThermometerIsReadWhenItsFirstResultIsReady() {
        // the configuration write may not restart the reset configuration's 1 s cycle: hw-check waits for Data_Ready
        skinPollsBeforeReady = 30; // 30 polls 25 ms apart: 0.75 s
        int code = run(null);
        String out = text.toString();
        assertEquals(0, code, out);
        assertTrue(out.contains("ID 0x0117, 37.00 °C"), out);
    }

    @Test
    void missingSensorIsExitOneWithTheFix() {
        absent.add(0x48);
        int code = run(null);
        String out = text.toString();
        assertEquals(1, code, out);
        assertTrue(out.contains("no ACK at 0x48 on i2c-1"), out);
        assertTrue(out.contains("`i2cdetect -y 1`"), out);
        assertTrue(out.contains("dtparam=i2c_arm=on"), out);
        assertTrue(out.contains("1 problem(s)"), out);
    }

    @Test
    void pressedEstopIsAProblem() {
        estopPressed = true;
        assertEquals(1, run(null));
        assertTrue(text.toString().contains("reads ACTIVE (contact open)"), text.toString());
    }

    @Test
    void stimulatorProbeIsUsedWhenWired() {
        int code = run(port -> new HardwareProbe.Result("stimulator", port, HardwareProbe.Status.PROBLEM,
                "no HELLO within 500 ms", "check the UART wiring"));
        assertEquals(1, code);
        assertTrue(text.toString().contains("no HELLO within 500 ms"), text.toString());
        assertTrue(text.toString().contains("/dev/serial0"), text.toString());
    }

    @Test
    void configFileWithoutALoaderSaysSo() {
        assertEquals(0, run(null, "--config", "/etc/tensd/tensd.yaml"));
        assertTrue(text.toString().contains("no config loader wired yet"), text.toString());
    }

    @Test
    void onAMachineThatIsNotAPiOneLineSaysSo() {
        StringWriter w = new StringWriter();
        HwCheckCommand cmd = new HwCheckCommand(null, () -> { throw new AssertionError("no probing off a Pi"); }, null,
                HardwareProbe::new, new PrintWriter(w, true)).boardModel(() -> null);
        int code = new CommandLine(cmd).execute();
        assertEquals(1, code);
        assertEquals(1, w.toString().lines().count(), w.toString());
        assertTrue(w.toString().startsWith("not a Raspberry Pi ("), w.toString());
    }

    @Test
    void aDeviceTreeModelOfAnotherBoardIsNotAPi() {
        StringWriter w = new StringWriter();
        HwCheckCommand cmd = new HwCheckCommand(null, () -> { throw new AssertionError("no probing off a Pi"); }, null,
                HardwareProbe::new, new PrintWriter(w, true)).boardModel(() -> "Pine64 RockPro64");
        assertEquals(1, new CommandLine(cmd).execute());
        assertEquals("not a Raspberry Pi (Pine64 RockPro64): nothing to probe; run hw-check on the device", w.toString().strip());
    }
}
