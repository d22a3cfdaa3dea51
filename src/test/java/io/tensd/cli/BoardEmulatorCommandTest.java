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

import io.tensd.hw.BoardFault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(40)
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
    void aMissingPortFailsAtOnceWithOneLineAndExit2() {
        StringWriter text = new StringWriter();
        long t0 = System.nanoTime();
        int code = new CommandLine(new BoardEmulatorCommand(new PrintWriter(text, true)))
                .execute("--port", dir.resolve("nothing-here").toString());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(2, code);
        assertEquals(1, text.toString().strip().lines().count(), text.toString());
        assertTrue(text.toString().contains("nothing-here: no such serial port or pty"), text.toString());
        assertTrue(ms < 2_000, "took " + ms + " ms");
    }

    /**
     * The latched-fault path over the wire, driven from the emulator's control input (a fifo): overcurrent with
     * its cause still present → CLEAR_FAULT refused with CAUSE_PRESENT, the fault stays latched; cause gone →
     * CLEAR_FAULT clears it and the host may switch on again; --inject on the command line does the same on a timer.
     */
    @Test
    void faultsInjectedThroughTheControlInputReachTheHostOverTheWire() throws Exception {
        Path fifo = dir.resolve("control");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        try (SocatPair socat = SocatPair.start(dir);
             SerialStimulator link = new SerialStimulator(StimLinkConfig.defaults(socat.host.toString(), 100), Clock.SYSTEM).start()) {
            StringWriter text = new StringWriter();
            AtomicInteger exit = new AtomicInteger(-1);
            Thread cmd = new Thread(() -> exit.set(new CommandLine(new BoardEmulatorCommand(new PrintWriter(text, true)))
                    .execute("--port", socat.board.toString(), "--control", fifo.toString(), "--duration-s", "5",
                            "--inject", "mute on@4s")));
            cmd.start();
            try (java.io.Writer control = java.nio.file.Files.newBufferedWriter(fifo)) {
                waitFor(() -> link.board().isPresent(), link);
                waitFor(() -> { link.command(Clock.SYSTEM.nanos(), true, 0, 200, 80); return link.latest().outputEnabled(); }, link);
                control.write("cause-present on\novercurrent\n");
                control.flush();
                waitFor(() -> { link.command(Clock.SYSTEM.nanos(), false, 0, 0, 0); return link.latest().has(BoardFault.OVERCURRENT); }, link);
                assertFalse(link.latest().outputEnabled());
                link.clearBoardFault();
                waitFor(() -> "CAUSE_PRESENT".equals(link.counters().lastNack()), link);
                Thread.sleep(50);
                assertTrue(link.latest().has(BoardFault.OVERCURRENT), "still latched while the cause is present");
                control.write("cause-present off\n");
                control.flush();
                Thread.sleep(100);
                link.clearBoardFault();
                waitFor(() -> { link.command(Clock.SYSTEM.nanos(), false, 0, 0, 0); return link.latest().boardFaultBits() == 0; }, link);
                waitFor(() -> { link.command(Clock.SYSTEM.nanos(), true, 0, 200, 80); return link.latest().outputEnabled(); }, link);
                control.write("bogus\n");
                control.flush();
                waitFor(() -> text.toString().contains("error: unknown command 'bogus'"), link);
            }
            cmd.join(10_000);
            assertEquals(0, exit.get(), text.toString());
            assertTrue(text.toString().contains("ok: overcurrent"), text.toString());
            assertTrue(text.toString().contains("ok: mute on"), "the timed --inject ran: " + text);
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier c, SerialStimulator link) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!c.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out; " + link.counters() + " " + link.latest());
            Thread.sleep(10);
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
