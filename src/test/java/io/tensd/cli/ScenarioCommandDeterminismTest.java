package io.tensd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.telemetry.EmbeddedBroker;
import io.tensd.telemetry.MosquittoProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scenario's remote commands travel the real broker path (mosquitto) and still take effect at their `at`, at every
 * speed: the same file at --speed 10 and --speed max gives the same trace, row for row.
 */
class ScenarioCommandDeterminismTest {
    static final String SCENARIO = """
            name: remote commands at their time
            seed: 5
            prescription:
              program: conventional
              frequencyHz: 80
              pulseWidthMicros: 200
              targetMilliAmps: 4.0
              durationMinutes: 1
            timeline:
              - at: 3s
                command: { name: pause }
              - at: 5s
                command: { name: pause }
              - at: 6s
                command: { name: resume }
              - at: 6500ms
                command: { name: set-intensity, milliAmps: 3 }
              - at: 9s
                command: { name: stop }
            """;

    @Test
    void theSameFileGivesTheSameTraceAtSpeed10AndMax(@TempDir Path tmp) throws Exception {
        Path scenario = tmp.resolve("remote.yaml");
        Files.writeString(scenario, SCENARIO);
        Path dir = Files.createDirectories(tmp.resolve("broker"));
        int port = EmbeddedBroker.freePort();
        Files.writeString(dir.resolve("mosquitto.conf"), """
                listener %2$d 127.0.0.1
                allow_anonymous true
                persistence false
                log_dest file %1$s/mosquitto.log
                set_tcp_nodelay true
                """.formatted(dir, port));
        MosquittoProcess.chownIfRoot(dir);
        if ("root".equals(System.getProperty("user.name"))) MosquittoProcess.run(dir, "chmod", "o+rx", tmp.toString());
        Process broker = MosquittoProcess.start(dir, port);
        try {
            List<String> at10 = run(tmp, scenario, port, "10");
            List<String> atMax = run(tmp, scenario, port, "max");
            assertTrue(at10.size() > 900, "a real trace: " + at10.size() + " rows");
            long paused = at10.stream().filter(r -> r.split(",")[1].equals("PAUSED")).count();
            // pause at 3 s held through the second pause at 5 s (no toggle) until the resume at 6 s: 300 ticks of 10 ms
            assertEquals(300, paused, "paused from 3 s to 6 s exactly");
            String firstPaused = at10.stream().filter(r -> r.split(",")[1].equals("PAUSED")).findFirst().orElseThrow();
            assertEquals("3000", firstPaused.split(",")[0], "the pause took effect at its `at`");
            assertEquals(at10.size(), atMax.size(), "same number of rows");
            for (int i = 0; i < at10.size(); i++) {
                assertEquals(at10.get(i), atMax.get(i), "row " + i);
            }
        } finally {
            MosquittoProcess.stop(broker, 5);
        }
    }

    private static List<String> run(Path tmp, Path scenario, int port, String speed) throws Exception {
        Path trace = tmp.resolve("trace-" + speed + ".csv");
        StringWriter out = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        int rc = cl.execute("simulate", "--scenario", scenario.toString(), "--broker", "tcp://127.0.0.1:" + port,
                "--speed", speed, "--trace", trace.toString(), "--out", tmp.resolve("out-" + speed).toString());
        assertEquals(0, rc, out.toString());
        List<String> lines = Files.readAllLines(trace);
        return lines.subList(1, lines.size());
    }
}
