package io.tensd.cli;

import io.tensd.loop.Clock;
import io.tensd.stim.SerialStimulator;
import io.tensd.stim.SocatPair;
import io.tensd.stim.StimLinkConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(20)
class BoardEmulatorCommandTest {
    @TempDir
    Path dir;

    @Test
    void runsTheBoardOnAPortAndTheHostLinkTalksToIt() throws Exception {
        try (SocatPair socat = SocatPair.start(dir);
             SerialStimulator link = new SerialStimulator(StimLinkConfig.defaults(socat.host.toString(), 100), Clock.SYSTEM).start()) {
            StringWriter text = new StringWriter();
            AtomicInteger exit = new AtomicInteger(-1);
            Thread cmd = new Thread(() -> exit.set(new CommandLine(new BoardEmulatorCommand(new PrintWriter(text, true)))
                    .execute("--port", socat.board.toString(), "--impedance-ohms", "30000", "--duration-s", "2")));
            cmd.start();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (link.board().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(link.board().isPresent(), "HELLO_ACK from the command's board; " + link.counters());
            // enabled at zero the board probes the electrodes: the command's impedance shows
            for (int i = 0; i < 30 && link.latest().impedanceOhms() < 0; i++) {
                link.command(Clock.SYSTEM.nanos(), true, 0, 200, 80);
                Thread.sleep(10);
            }
            assertEquals(30_000, link.latest().impedanceOhms(), 1_000);
            cmd.join(5_000);
            assertEquals(0, exit.get());
            assertTrue(text.toString().contains("board on " + socat.board), text.toString());
        }
    }

    @Test
    void refusesNonsenseOptions() {
        StringWriter text = new StringWriter();
        int code = new CommandLine(new BoardEmulatorCommand(new PrintWriter(text, true)))
                .execute("--port", "/nonexistent", "--corrupt", "1.5");
        assertEquals(2, code);
        assertTrue(text.toString().contains("--corrupt"));
    }
}
