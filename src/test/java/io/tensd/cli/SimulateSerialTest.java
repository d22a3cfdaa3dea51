package io.tensd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensd.loop.Clock;
import io.tensd.sim.SerialBridge;
import io.tensd.stim.BoardLogic;
import io.tensd.stim.StimBoardEmulator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tensd simulate --serial / --serial-port}: the options, their refusals, and short real-time runs. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SimulateSerialTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) { }

    private Result run(SimulateCommand cmd, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(cmd);
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private Path scenario(String timeline) throws Exception {
        Path f = tmp.resolve("short.yaml");
        Files.writeString(f, "name: short serial\nseed: 3\nprescription:\n  program: conventional\n  frequencyHz: 100\n"
                + "  pulseWidthMicros: 150\n  targetMilliAmps: 6.0\n  durationMinutes: 30\ntimeline:\n" + timeline);
        return f;
    }

    @Test
    void speedMaxIsRefusedWithTheSerialLink() throws Exception {
        Result r = run(new SimulateCommand(), "--scenario", scenario("  - at: 2s\n    press: stop\n").toString(),
                "--serial", "--speed", "max", "--no-mqtt");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--speed max cannot be used with --serial"), r.err());
        Result fast = run(new SimulateCommand(), "--scenario", scenario("  - at: 2s\n    press: stop\n").toString(),
                "--serial-port", "/dev/null", "--speed", "10", "--no-mqtt");
        assertEquals(2, fast.code(), fast.err());
        assertTrue(fast.err().contains("too fast for the serial link (at most 4)"), fast.err());
    }

    @Test
    void missingSocatIsAClearErrorWithTheInstallHint() throws Exception {
        SimulateCommand cmd = new SimulateCommand();
        cmd.searchPath = tmp.toString();    // a PATH without socat
        Result r = run(cmd, "--scenario", scenario("  - at: 2s\n    press: stop\n").toString(), "--serial", "--no-mqtt");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--serial needs socat") && r.err().contains("install socat (apt-get install socat)"), r.err());
    }

    @Test
    void aPortWithNoBoardIsAClearError() throws Exception {
        Result r = run(new SimulateCommand(), "--scenario", scenario("  - at: 2s\n    press: stop\n").toString(),
                "--serial-port", tmp.resolve("nothing-here").toString(), "--no-mqtt");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("no stimulator board answered HELLO on " + tmp.resolve("nothing-here")), r.err());
        assertTrue(r.err().contains("board-emulator --port"), "hint names the emulator: " + r.err());
    }

    @Test
    void serialRunCompletesAndReportsTheLink() throws Exception {
        Path report = tmp.resolve("report.json");
        Result r = run(new SimulateCommand(), "--scenario", scenario("  - at: 6s\n    press: stop\n").toString(),
                "--serial", "--no-mqtt", "--report", report.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("stimulator link: serial") && r.out().contains("pace 1x real time"), r.out());
        assertTrue(r.out().contains("end state COMPLETE (stopped)"), r.out());
        assertTrue(r.out().matches("(?s).*serial link .*/host: \\d+ status frames.*"), r.out());
        var json = new ObjectMapper().readTree(report.toFile());
        assertEquals("COMPLETE", json.path("endState").asText());
        assertTrue(json.path("wallMs").asLong() >= 6_000, "paced at real time: " + json);
        assertTrue(json.path("faults").isEmpty(), json.toString());
    }

    /** An external board (here the emulator on its own clock, as `tensd board-emulator --port` runs it). */
    @Test
    void serialPortTalksToAnExternalBoardAndSkipsBoardInjections() throws Exception {
        try (SerialBridge pair = SerialBridge.start(tmp);
             StimBoardEmulator board = new StimBoardEmulator(pair.board.toString(), new BoardLogic(BoardLogic.Caps.defaults(), 9),
                     Clock.SYSTEM, 9).start()) {
            Result r = run(new SimulateCommand(), "--scenario",
                    scenario("  - at: 3s\n    inject: { electrode: lift }\n  - at: 5s\n    press: stop\n").toString(),
                    "--serial-port", pair.host.toString(), "--no-mqtt");
            assertEquals(0, r.code(), r.out() + r.err());
            assertTrue(r.out().contains("(external board)"), r.out());
            assertTrue(r.out().contains("end state COMPLETE (stopped)"), r.out());
            assertTrue(r.out().contains("electrode: lift needs the built-in board emulator (--serial), not an external port; skipped"),
                    r.out());
            assertTrue(board.framesSent() > 300, "the external board reported over the pty: " + board.framesSent());
        }
    }
}
