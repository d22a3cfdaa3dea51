package io.tensd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;
import com.pi4j.plugin.mock.provider.pwm.MockPwmProvider;
import io.tensd.cli.Main;
import io.tensd.config.ConfigPaths;
import io.tensd.config.LoadedConfig;
import io.tensd.telemetry.EmbeddedBroker;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every failure a person can cause at start: the message (what happened, what to do), no stack trace, and the
 * exit code — or, for the broker, that the daemon keeps treating and says the data waits in the journal.
 */
class DaemonErrorsTest {
    record Run(int exitCode, String out, String err) { }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int rc = cl.execute(args);
        return new Run(rc, out.toString(), err.toString());
    }

    @Test
    void aBadConfigFileIsReportedAsFileLineMessagesWithExitCode2(@TempDir Path dir) throws IOException {
        Path cfg = DaemonFixture.config(dir, "dev-bad", "tcp://127.0.0.1:1883", null, "/dev/serial0");
        Files.writeString(cfg, Files.readString(cfg).replace("rateHz: 100", "rateHz: 5000"));
        Run r = run("run", "--config", cfg.toString(), "--hardware", "sim");
        System.out.println("bad config → exit " + r.exitCode() + ":\n" + r.err());
        assertEquals(ExitCodes.CONFIG, r.exitCode());
        assertTrue(r.err().matches("(?s).*" + java.util.regex.Pattern.quote(cfg.toString()) + ":\\d+: loop\\.rateHz: .*"), r.err());
        assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
        assertTrue(!Files.exists(dir.resolve("journal")), "nothing started");
    }

    @Test
    void aMissingLimitsFileIsAConfigError(@TempDir Path dir) throws IOException {
        Path cfg = DaemonFixture.config(dir, "dev-nolimits", "tcp://127.0.0.1:1883", null, "/dev/serial0");
        Files.delete(dir.resolve("limits.yaml"));
        Run r = run("run", "--config", cfg.toString(), "--hardware", "sim");
        assertEquals(ExitCodes.CONFIG, r.exitCode());
        assertTrue(r.err().contains("limits.yaml"), r.err());
    }

    @Test
    void anUnknownHardwareModeIsAnOptionError(@TempDir Path dir) throws IOException {
        Path cfg = DaemonFixture.config(dir, "dev-mode", "tcp://127.0.0.1:1883", null, "/dev/serial0");
        Run r = run("run", "--config", cfg.toString(), "--hardware", "mock");
        assertEquals(ExitCodes.CONFIG, r.exitCode());
        assertEquals("tensd: --hardware must be pi or sim, got 'mock'", r.err().strip());
    }

    @Test
    void aMissingSerialPortNamesTheBootConfigGuideAndExits3(@TempDir Path dir) throws IOException {
        Path cfg = DaemonFixture.config(dir, "dev-noport", "tcp://127.0.0.1:1883", null, "/dev/tensd-no-such-uart");
        Run r = run("run", "--config", cfg.toString()); // --hardware pi is the default
        System.out.println("missing serial port → exit " + r.exitCode() + ":\n" + r.err());
        assertEquals(ExitCodes.HARDWARE, r.exitCode());
        List<String> lines = r.err().lines().toList();
        assertEquals(2, lines.size(), r.err());
        assertEquals("tensd: stimulator serial port /dev/tensd-no-such-uart does not exist", lines.get(0));
        assertTrue(lines.get(1).contains("hardware/boot-config.md") && lines.get(1).contains("hardware.stimulatorPort"), lines.get(1));
    }

    @Test
    void anI2cPartThatDoesNotAnswerRefusesTheStartWithTheHwCheckHint(@TempDir Path dir) throws Exception {
        Path port = Files.createFile(dir.resolve("fake-uart")); // exists: the check goes on to the I2C parts
        Path cfgFile = DaemonFixture.config(dir, "dev-noi2c", "tcp://127.0.0.1:1883", null, port.toString());
        LoadedConfig cfg = LoadedConfig.load(ConfigPaths.resolve(cfgFile, null));
        // Pi4J's mock platform: every GPIO works, no I2C register answers (as with nothing on the bus)
        Context[] made = new Context[1];
        Daemon.Options opts = new Daemon.Options(cfg, Daemon.Hardware.PI, () -> made[0] = mockPi(),
                new SystemdNotify(Map.of(), args -> true), 1);
        DaemonException e = assertThrows(DaemonException.class, () -> Daemon.start(opts));
        System.out.println("missing I2C parts → exit " + e.exitCode() + ":\n" + e.getMessage() + "\n  " + e.hint());
        assertEquals(ExitCodes.HARDWARE, e.exitCode());
        assertTrue(e.getMessage().startsWith("I2C parts do not answer: skin thermometer TMP117 at 0x48 on i2c-1: no answer"), e.getMessage());
        assertTrue(e.getMessage().contains("lower-back IMU at 0x6A") && e.getMessage().contains("fuel gauge MAX17048 at 0x36"), e.getMessage());
        assertTrue(e.getMessage().contains("not starting (the safety supervisor would fault at once)"), e.getMessage());
        assertTrue(e.hint().contains("tensd hw-check"), e.hint());
        assertNotNull(made[0], "the Pi4J context was made");
        assertTrue(made[0].registry().all().isEmpty(), "every line released again: " + made[0].registry().all().keySet());
    }

    static Context mockPi() {
        return Pi4J.newContextBuilder().add(new MockPlatform())
                .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance(),
                        MockPwmProvider.newInstance(), MockI2CProvider.newInstance())
                .build();
    }

    @Test
    void anUnreachableBrokerIsOneWarningAndTherapyRunsOn(@TempDir Path dir) throws Exception {
        int port = EmbeddedBroker.freePort();
        Path cfg = DaemonFixture.config(dir, "dev-nobroker", "tcp://127.0.0.1:" + port, null, "/dev/serial0");
        Process p = DaemonFixture.spawn(dir, false, "--config", cfg.toString(), "--hardware", "sim");
        try {
            Matcher warn = DaemonFixture.awaitLog(dir, p, "^WARN .*Daemon: MQTT broker .* not reachable .*$", 20_000);
            assertNotNull(warn, DaemonFixture.log(dir));
            System.out.println("unreachable broker:\n" + warn.group());
            assertTrue(warn.group().contains("therapy runs locally; events are journaled in " + dir.resolve("journal")
                    + " and will be sent when the broker is reachable"), warn.group());
            long ticksLogged = DaemonFixture.log(dir).lines().filter(l -> l.contains("Daemon: MQTT broker")).count();
            assertEquals(1, ticksLogged, "one line from the daemon about it:\n" + DaemonFixture.log(dir));
            assertTrue(p.isAlive(), "still running");
            Thread.sleep(300);
            assertTrue(p.isAlive(), "still running");
            assertTrue(DaemonFixture.log(dir).contains("running: ready"), DaemonFixture.log(dir));
            p.destroy();
            assertTrue(p.waitFor(15, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), DaemonFixture.log(dir));
            assertTrue(DaemonFixture.log(dir).contains("wait in the journal"), DaemonFixture.log(dir));
        } finally {
            DaemonFixture.stop(p);
        }
    }

    @Test
    void aBrokerCertificateNotSignedByTheCaFileIsOneClearLineNamingCaFile(@TempDir Path dir) throws Exception {
        try (TlsMosquitto mosquitto = new TlsMosquitto(Files.createDirectories(dir.resolve("broker")))) {
            Path cfg = DaemonFixture.config(dir, "dev-wrongca", mosquitto.url(), mosquitto.otherCa(), "/dev/serial0");
            Process p = DaemonFixture.spawn(dir, false, "--config", cfg.toString(), "--hardware", "sim");
            try {
                Matcher err = DaemonFixture.awaitLog(dir, p, "^ERROR .*Daemon: MQTT broker .*$", 20_000);
                assertNotNull(err, DaemonFixture.log(dir));
                System.out.println("wrong CA file:\n" + err.group());
                assertTrue(err.group().contains("its TLS certificate is not trusted by broker.caFile " + mosquitto.otherCa()), err.group());
                assertTrue(err.group().contains("therapy runs locally"), err.group());
                assertTrue(p.isAlive(), "therapy goes on without MQTT");
                p.destroy();
                assertTrue(p.waitFor(15, TimeUnit.SECONDS));
                assertEquals(0, p.exitValue(), DaemonFixture.log(dir));
            } finally {
                DaemonFixture.stop(p);
            }
            // the right CA file connects (the broker itself is fine)
            BrokerDiagnosis ok = BrokerDiagnosis.of(new io.tensd.config.DeviceConfig.Broker(mosquitto.url(), null, null,
                    mosquitto.ca(), null, null, 10, 1000), 3_000);
            assertEquals(BrokerDiagnosis.Kind.REACHABLE, ok.kind(), ok.detail());
        }
    }
}
