package io.tensd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.config.LimitsFingerprint;
import io.tensd.config.Limits;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckConfigCommandTest {
    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {
        List<String> errLines() { return err.isEmpty() ? List.of() : List.of(err.split("\n")); }
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new CheckConfigCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString().replace(System.lineSeparator(), "\n"), err.toString().replace(System.lineSeparator(), "\n"));
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void shippedFilesAreValidAndGiveOneSummaryLine() {
        Run r = run("--config", "config/tensd.yaml");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err());
        assertEquals("OK: device tensd-dev-001 at clinic-demo, loop 100 Hz; limits 80 mA, 50–400 µs, 1–150 Hz, 25 µC, 2 mA/s, "
                + "session 60 min, skin 41 °C, heat 60 min, sensors stale after 500 ms, lease 100 ms (limits sha256 "
                + LimitsFingerprint.of(Limits.defaults()) + "); files config/tensd.yaml, config/limits.yaml\n", r.out());
    }

    @Test
    void everyErrorOfBothFilesIsPrintedAndTheExitCodeIs2() throws IOException {
        Path config = write("tensd.yaml", "device:\n  id: Belt/7\n  site: north\nloop: {rateHz: 100, extra: 1}\n");
        Path limits = write("limits.yaml", "heat:\n  skinCeilingCelsius: 43.5\nstimulation:\n  maxMilliAmps: eighty\n");
        Run r = run("--config", config.toString(), "--limits", limits.toString());
        assertEquals(2, r.exitCode());
        assertEquals("", r.out());
        assertEquals(List.of(
                limits + ":2: heat.skinCeilingCelsius: must not be above 43 °C, the absolute maximum skin temperature of this device "
                        + "(it cannot be configured higher), got 43.5 °C",
                limits + ":4: stimulation.maxMilliAmps: expected a number, got 'eighty'",
                config + ":2: device.id: must be 1 to 64 characters from a-z, 0-9 and '-' (it is a level of the MQTT topic), got 'Belt/7'",
                config + ":4: loop.extra: unknown key; allowed: rateHz"), r.errLines());
        for (String line : r.errLines()) {
            assertTrue(line.matches("[^:]+:\\d+: [^:]+: .+"), line);
        }
    }

    @Test
    void limitsDefaultToTheFileBesideTheConfigAndAMissingOneIsAnError() throws IOException {
        Path config = write("tensd.yaml", "device: {id: belt-7, site: north}\n");
        Run r = run("--config", config.toString());
        assertEquals(2, r.exitCode());
        assertEquals(List.of(dir.resolve("limits.yaml") + ":0: (document): file not found"), r.errLines());
    }

    @Test
    void syntaxErrorAndDuplicateKeyAreReportedWithTheirLines() throws IOException {
        Path config = write("tensd.yaml", "device:\n  id: belt-7\n  id: belt-8\n  site: north\n");
        Path limits = write("limits.yaml", "heat:\n  skinCeilingCelsius: [41\n");
        Run r = run("--config", config.toString(), "--limits", limits.toString());
        assertEquals(2, r.exitCode());
        assertEquals(2, r.errLines().size(), r.err());
        assertTrue(r.errLines().get(0).startsWith(limits + ":3: (document): YAML syntax: "), r.err());
        assertEquals(config + ":3: device.id: duplicate key (first given at line 2); the later value is ignored", r.errLines().get(1));
    }

    @Test
    void wrongOptionIsAUsageErrorWithExitCode2() {
        Run r = run("--nope");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("Unknown option: '--nope'"), r.err());
    }
}
