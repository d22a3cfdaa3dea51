package io.tensd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.context.Context;
import io.tensd.config.ConfigPaths;
import io.tensd.config.LoadedConfig;
import io.tensd.telemetry.EmbeddedBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A belt with only the lower-back IMU (hardware/bom.md) is a configuration, not a missing part. */
class OneImuBeltTest {

    private static LoadedConfig oneImu(Path dir, String uart, String extra) throws Exception {
        Path cfg = DaemonFixture.config(dir, "dev-one-imu", "tcp://127.0.0.1:" + EmbeddedBroker.freePort(), null, uart);
        String yaml = Files.readString(cfg);
        assertTrue(yaml.contains("imuUpper: 0x6B"));
        Files.writeString(cfg, yaml.replace("imuUpper: 0x6B", "imuUpper: ~") + extra);
        return LoadedConfig.load(ConfigPaths.resolve(cfg, null));
    }

    @Test
    void theDaemonStartsWithOneImuAndTheConfiguredPostureSettings(@TempDir Path dir) throws Exception {
        LoadedConfig cfg = oneImu(dir, "/dev/serial0", "\nposture:\n  slouchDelay: 45s\n");
        Daemon daemon = Daemon.start(new Daemon.Options(cfg, Daemon.Hardware.SIM, null, new SystemdNotify(Map.of(), a -> true), 3));
        try {
            SimHardware sim = (SimHardware) daemon.hardware();
            assertTrue(sim.describe().endsWith("one posture IMU"), sim.describe());
            assertFalse(sim.device().posturePipeline().twoSensors());
            assertEquals(45_000, sim.device().posturePipeline().config().slouchDelayMillis(), "posture: section used");
            long end = System.currentTimeMillis() + 5_000;
            while (daemon.controller().ticks() < 10 && System.currentTimeMillis() < end) {
                Thread.sleep(10);
            }
            assertTrue(daemon.controller().ticks() >= 10, "the loop runs");
        } finally {
            daemon.stop();
        }
    }

    @Test
    void onPiHardwareTheAbsentImuIsNotProbed(@TempDir Path dir) throws Exception {
        Path port = Files.createFile(dir.resolve("fake-uart"));
        LoadedConfig cfg = oneImu(dir, port.toString(), "");
        // Pi4J's mock platform: no I2C part answers, so the start is refused, naming every configured part
        Daemon.Options opts = new Daemon.Options(cfg, Daemon.Hardware.PI, DaemonErrorsTest::mockPi,
                new SystemdNotify(Map.of(), args -> true), 1);
        DaemonException e = assertThrows(DaemonException.class, () -> Daemon.start(opts));
        assertTrue(e.getMessage().contains("lower-back IMU at 0x6A"), e.getMessage());
        assertFalse(e.getMessage().contains("upper-lumbar IMU"), "the configured-absent IMU is not required: " + e.getMessage());
    }
}
