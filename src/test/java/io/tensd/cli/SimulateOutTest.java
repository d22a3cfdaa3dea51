package io.tensd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code simulate --scenario F --out DIR} without a broker: a session folder and its HTML report. */
class SimulateOutTest {
    static final String SCENARIO = """
            name: out without a broker
            seed: 5
            prescription:
              program: conventional
              frequencyHz: 100
              pulseWidthMicros: 150
              targetMilliAmps: 10.0
              durationMinutes: 3
            timeline:
              - at: 30s
                press: up
              - at: 60s
                press: pause
              - at: 75s
                press: resume
            """;

    @Test
    void aScenarioRunWritesItsSessionFolderAndHtmlReport(@TempDir Path tmp) throws Exception {
        Path scenario = Files.writeString(tmp.resolve("s.yaml"), SCENARIO);
        Path outDir = tmp.resolve("out");
        StringWriter out = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        int rc = cl.execute("simulate", "--scenario", scenario.toString(), "--out", outDir.toString());
        assertEquals(0, rc, out.toString());
        List<Path> sessions;
        try (var s = Files.list(outDir.resolve("sessions"))) {
            sessions = s.toList();
        }
        assertEquals(1, sessions.size(), sessions.toString());
        Path html = sessions.get(0).resolve("report.html");
        assertTrue(Files.size(html) > 1000, "report.html written");
        assertTrue(out.toString().contains("session report: " + html.toAbsolutePath()), out.toString());
        assertTrue(Files.exists(outDir.resolve("report.json")), "run report beside it");
        assertTrue(!out.toString().contains("MQTT"), "no broker involved: " + out);
    }
}
