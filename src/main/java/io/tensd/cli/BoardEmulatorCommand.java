package io.tensd.cli;

import io.tensd.loop.Clock;
import io.tensd.stim.BoardLogic;
import io.tensd.stim.StimBoardEmulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the reference stimulator board on a serial port, standalone. Pair it with the daemon through
 * socat ptys ({@code socat -d -d pty,raw,echo=0,link=/tmp/board pty,raw,echo=0,link=/tmp/host}, then
 * {@code board-emulator --port /tmp/board} and point {@code hardware.stimulatorPort} at /tmp/host), or
 * with a USB-serial adapter wired to a Pi's UART for a bench run.
 */
@Command(name = "board-emulator", mixinStandardHelpOptions = true,
        description = "Run the emulated stimulator board (protocol v1/v2, hardware/stimulator-protocol.md) on a serial port.")
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

    @Option(names = "--protocol-version", defaultValue = "2", paramLabel = "V",
            description = "highest protocol version the board speaks: 2 (board-timed patterns) or 1 (default ${DEFAULT-VALUE})")
    int protocolVersion;

    @Option(names = "--inject", paramLabel = "CMD@TIME",
            description = "fault injection at a time after start, e.g. overcurrent@2s, 'mute on@1.5s', reset@3s "
                    + "(repeatable; commands as on the control input)")
    List<String> injections = new ArrayList<>();

    @Option(names = "--control", paramLabel = "PATH",
            description = "read fault-injection commands, one a line, from PATH (a pty or fifo; '-' = standard input): "
                    + StimBoardEmulator.CONTROL_COMMANDS)
    String controlPath;

    private final PrintWriter out;

    public BoardEmulatorCommand() { this(new PrintWriter(System.out, true)); }

    BoardEmulatorCommand(PrintWriter out) { this.out = out; }

    @Override
    public Integer call() throws InterruptedException {
        if (impedanceOhms <= 0 || statusPeriodMillis <= 0 || corruptFraction < 0 || corruptFraction > 1 || durationSeconds < 0) {
            out.println("board-emulator: --impedance-ohms and --status-period-ms must be positive, --corrupt within 0..1");
            return 2;
        }
        if (protocolVersion < 1 || protocolVersion > 2) {
            out.println("board-emulator: --protocol-version must be 1 or 2, got " + protocolVersion);
            return 2;
        }
        List<long[]> at = new ArrayList<>();
        for (int i = 0; i < injections.size(); i++) {
            String inj = injections.get(i);
            int sep = inj.lastIndexOf('@');
            Double seconds = sep < 0 ? null : seconds(inj.substring(sep + 1));
            if (seconds == null || seconds < 0) {
                out.println("board-emulator: --inject " + inj + ": expected COMMAND@TIME, e.g. overcurrent@2s");
                return 2;
            }
            at.add(new long[]{Math.round(seconds * 1e9), i});
        }
        if (!Files.exists(Path.of(port))) {
            out.println("board-emulator: " + port + ": no such serial port or pty (start socat first, e.g. socat -d -d "
                    + "pty,raw,echo=0,link=/tmp/board pty,raw,echo=0,link=/tmp/host)");
            return 2;
        }
        if (controlPath != null && !controlPath.equals("-") && !Files.exists(Path.of(controlPath))) {
            out.println("board-emulator: --control " + controlPath + ": no such file, fifo or pty");
            return 2;
        }
        BoardLogic logic = new BoardLogic(BoardLogic.Caps.defaults(), seed);
        logic.setImpedanceOhms(impedanceOhms);
        CountDownLatch stop = new CountDownLatch(1);
        try (StimBoardEmulator board = new StimBoardEmulator(port, logic, Clock.SYSTEM, seed, statusPeriodMillis,
                protocolVersion)) {
            board.corrupt(corruptFraction);
            board.start();
            startInjections(board, at);
            if (controlPath != null) {
                startControl(board, stop);
            }
            Thread hook = new Thread(stop::countDown, "board-emulator-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            out.printf("board-emulator: board on %s (protocol v%d, boot count %d, caps %s). Ctrl-C stops.%n", port,
                    protocolVersion, logic.bootCount(), logic.caps());
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

    private static Double seconds(String t) {
        try {
            String v = t.trim();
            if (v.endsWith("ms")) {
                return Double.parseDouble(v.substring(0, v.length() - 2)) / 1000.0;
            }
            return Double.parseDouble(v.endsWith("s") ? v.substring(0, v.length() - 1) : v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private void startInjections(StimBoardEmulator board, List<long[]> at) {
        if (at.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        Thread t = new Thread(() -> {
            at.sort((a, b) -> Long.compare(a[0], b[0]));
            for (long[] a : at) {
                long wait = start + a[0] - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                String inj = injections.get((int) a[1]);
                out.println("board-emulator: " + board.control(inj.substring(0, inj.lastIndexOf('@'))));
            }
        }, "board-emulator-inject");
        t.setDaemon(true);
        t.start();
    }

    /** Reads control commands one a line; each answer is one line on the command's output. */
    private void startControl(StimBoardEmulator board, CountDownLatch stop) {
        Thread t = new Thread(() -> {
            try (InputStream in = controlPath.equals("-") ? System.in : Files.newInputStream(Path.of(controlPath));
                 BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null && stop.getCount() > 0) {
                    if (!line.isBlank()) {
                        out.println("board-emulator: " + board.control(line));
                    }
                }
            } catch (IOException e) {
                out.println("board-emulator: control input " + controlPath + " closed: " + e.getMessage());
            }
        }, "board-emulator-control");
        t.setDaemon(true);
        t.start();
    }
}
