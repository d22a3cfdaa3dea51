package io.tensd.cli;

import io.tensd.loop.Clock;
import io.tensd.stim.BoardLogic;
import io.tensd.stim.StimBoardEmulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the reference stimulator board on a serial port, standalone. Pair it with the daemon through
 * socat ptys ({@code socat -d -d pty,raw,echo=0,link=/tmp/board pty,raw,echo=0,link=/tmp/host}, then
 * {@code board-emulator --port /tmp/board} and point {@code hardware.stimulatorPort} at /tmp/host), or
 * with a USB-serial adapter wired to a Pi's UART for a bench run.
 */
@Command(name = "board-emulator", mixinStandardHelpOptions = true,
        description = "Run the emulated stimulator board (protocol v1, hardware/stimulator-protocol.md) on a serial port.")
public final class BoardEmulatorCommand implements Callable<Integer> {

    @Option(names = "--port", required = true, paramLabel = "PATH", description = "serial device or pty link the board listens on")
    String port;

    @Option(names = "--impedance-ohms", defaultValue = "1000", paramLabel = "OHMS",
            description = "electrode impedance (default ${DEFAULT-VALUE}; > 20000 looks like a lifted electrode)")
    int impedanceOhms;

    @Option(names = "--status-period-ms", defaultValue = "10", paramLabel = "MS", description = "STATUS period (default ${DEFAULT-VALUE})")
    int statusPeriodMillis;

    @Option(names = "--corrupt", defaultValue = "0", paramLabel = "FRACTION",
            description = "damage this fraction (0..1) of outgoing frames (default ${DEFAULT-VALUE})")
    double corruptFraction;

    @Option(names = "--seed", defaultValue = "1", description = "seed of measurement noise and frame damage (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--duration-s", defaultValue = "0", paramLabel = "S", description = "stop after this many seconds (0: run until interrupted)")
    long durationSeconds;

    private final PrintWriter out;

    public BoardEmulatorCommand() { this(new PrintWriter(System.out, true)); }

    BoardEmulatorCommand(PrintWriter out) { this.out = out; }

    @Override
    public Integer call() throws InterruptedException {
        if (impedanceOhms <= 0 || statusPeriodMillis <= 0 || corruptFraction < 0 || corruptFraction > 1 || durationSeconds < 0) {
            out.println("board-emulator: --impedance-ohms and --status-period-ms must be positive, --corrupt within 0..1");
            return 2;
        }
        BoardLogic logic = new BoardLogic(BoardLogic.Caps.defaults(), seed);
        logic.setImpedanceOhms(impedanceOhms);
        CountDownLatch stop = new CountDownLatch(1);
        try (StimBoardEmulator board = new StimBoardEmulator(port, logic, Clock.SYSTEM, seed, statusPeriodMillis)) {
            board.corrupt(corruptFraction);
            board.start();
            Thread hook = new Thread(stop::countDown, "board-emulator-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            out.printf("board-emulator: board on %s (boot count %d, caps %s); waiting for the port if it is not there yet. "
                    + "Ctrl-C stops.%n", port, logic.bootCount(), logic.caps());
            if (durationSeconds > 0) {
                stop.await(durationSeconds, java.util.concurrent.TimeUnit.SECONDS);
                Runtime.getRuntime().removeShutdownHook(hook);
            } else {
                stop.await();
            }
            out.printf("board-emulator: stopping; %d frames sent, %d CRC errors received%n", board.framesSent(), board.crcErrors());
        }
        return 0;
    }
}
