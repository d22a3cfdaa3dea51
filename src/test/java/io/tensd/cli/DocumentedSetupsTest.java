package io.tensd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.config.ConfigPaths;
import io.tensd.config.DeviceConfig;
import io.tensd.config.LoadedConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Setups the documentation describes are accepted by check-config and read as documented. */
class DocumentedSetupsTest {
    @TempDir
    Path dir;

    private record Run(int exitCode, String err) { }

    private static Run checkConfig(Path config) {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new CheckConfigCommand());
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        return new Run(cl.execute("--config", config.toString()), err.toString());
    }

    /** config/tensd.yaml with {@code replace} applied and {@code extra} appended, beside the shipped limits file. */
    private Path config(String from, String to, String extra) throws IOException {
        String yaml = Files.readString(Path.of("config/tensd.yaml"));
        if (from != null) {
            assertTrue(yaml.contains(from), "shipped config has '" + from + "'");
            yaml = yaml.replace(from, to);
        }
        Files.copy(Path.of("config/limits.yaml"), dir.resolve("limits.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return Files.writeString(dir.resolve("tensd.yaml"), yaml + (extra == null ? "" : "\n" + extra));
    }

    private static DeviceConfig load(Path cfg) throws Exception {
        return LoadedConfig.load(ConfigPaths.resolve(cfg, null)).device();
    }

    /** The {@code posture:} block exactly as docs/posture.md shows it. */
    static String documentedPostureSection() throws IOException {
        String doc = Files.readString(Path.of("docs/posture.md"));
        int start = doc.indexOf("```yaml\nposture:");
        assertTrue(start >= 0, "docs/posture.md shows a posture: block");
        int end = doc.indexOf("```", start + 7);
        return doc.substring(start + "```yaml\n".length(), end);
    }

    @Test
    void thePostureSectionOfDocsPostureIsAcceptedAndRead() throws Exception {
        String section = documentedPostureSection().replace("slouchDelay: 2m", "slouchDelay: 45s");
        Path cfg = config(null, null, section);
        Run r = checkConfig(cfg);
        assertEquals(0, r.exitCode(), r.err());
        DeviceConfig d = load(cfg);
        assertEquals(45_000, d.posture().slouchDelayMillis());
        assertEquals(20.0, d.posture().slouchThresholdDeg());
        // and a wrong value in it is FILE:LINE: path: message, exit 2
        Path bad = config(null, null, section.replace("slouchThresholdDeg: 20", "slouchThresholdDeg: 99"));
        Run b = checkConfig(bad);
        assertEquals(2, b.exitCode(), b.err());
        assertTrue(b.err().contains(bad + ":") && b.err().contains("posture.slouchThresholdDeg: must be between 5 and 60"), b.err());
    }

    @Test
    void aOneImuBeltIsConfiguredWithTildeOrZero() throws Exception {
        for (String absent : new String[] {"~", "0"}) {
            Path cfg = config("imuUpper: 0x6B", "imuUpper: " + absent, null);
            Run r = checkConfig(cfg);
            assertEquals(0, r.exitCode(), absent + ": " + r.err());
            assertFalse(load(cfg).hardware().hasUpperImu(), absent);
        }
        assertTrue(DeviceConfig.defaults().hardware().hasUpperImu());
    }

    @Test
    void mqttAndMqttsUrlsAreAcceptedAndMappedForPaho() throws Exception {
        Path cfg = config("url: tcp://localhost:1883", "url: mqtt://broker.clinic.example:1883", null);
        assertEquals(0, checkConfig(cfg).exitCode());
        assertEquals("tcp://broker.clinic.example:1883", load(cfg).broker().url());
        cfg = config("url: tcp://localhost:1883", "url: mqtts://broker.clinic.example:8883", null);
        Run r = checkConfig(cfg);
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("ssl://broker.clinic.example:8883", load(cfg).broker().url());
        Run bad = checkConfig(config("url: tcp://localhost:1883", "url: http://broker:1883", null));
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("broker.url: must start with tcp:// or mqtt:// (plain), ssl:// or mqtts:// (TLS)"), bad.err());
    }

    @Test
    void aPasswordFileReadableByTheServiceGroupIsAcceptedAndOneEveryUserCanReadIsNot() throws Exception {
        Path pw = Files.writeString(dir.resolve("broker.password"), "secret\n");
        String[][] cases = {{"rw-r-----", null}, {"rw-------", null}, {"r--r-----", null},
                {"rw-r--r--", "is readable by every user"}, {"rw-rw----", "can be written by users other than its owner"},
                {"rw-r---w-", "can be written by users other than its owner"}};
        for (String[] c : cases) {
            Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString(c[0]));
            Path cfg = config("passwordFile: ~", "passwordFile: broker.password", null);
            Run r = checkConfig(cfg);
            if (c[1] == null) {
                assertEquals(0, r.exitCode(), c[0] + ": " + r.err());
            } else {
                assertEquals(2, r.exitCode(), c[0]);
                assertTrue(r.err().contains("broker.passwordFile: " + pw + " " + c[1]), c[0] + ": " + r.err());
            }
        }
    }
}
