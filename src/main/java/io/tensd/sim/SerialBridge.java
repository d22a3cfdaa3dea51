package io.tensd.sim;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A null-modem cable made of two linked pseudo-terminals ({@code socat -d -d pty,raw,echo=0,link=DIR/board
 * pty,raw,echo=0,link=DIR/host}): the board emulator opens {@link #board}, the host link opens {@link #host}.
 * {@link #kill()} unplugs the cable (both paths vanish, each side sees its port disconnected) and
 * {@link #restart()} plugs it back in at the same paths. socat's own log goes to DIR/socat.log.
 */
public final class SerialBridge implements AutoCloseable {
    /** What to tell a user who has no socat. */
    public static final String INSTALL_HINT = "install socat (apt-get install socat)";

    /** socat is not on the PATH. */
    public static final class SocatMissingException extends IOException {
        public SocatMissingException() { super("socat not found on the PATH: " + INSTALL_HINT); }
    }

    public final Path board;
    public final Path host;
    private final Path log;
    private Process process;

    private SerialBridge(Path dir) {
        this.board = dir.resolve("board");
        this.host = dir.resolve("host");
        this.log = dir.resolve("socat.log");
    }

    /** Starts socat with its two links in {@code dir} and waits (up to 5 s) until both exist. */
    public static SerialBridge start(Path dir) throws IOException, InterruptedException {
        if (!socatAvailable()) {
            throw new SocatMissingException();
        }
        SerialBridge b = new SerialBridge(dir);
        b.restart();
        return b;
    }

    /** True when an executable {@code socat} is on the PATH. */
    public static boolean socatAvailable() { return socatAvailable(System.getenv("PATH")); }

    /** True when an executable {@code socat} is in one of the directories of {@code path} (PATH syntax). */
    public static boolean socatAvailable(String path) {
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "socat"))) {
                return true;
            }
        }
        return false;
    }

    /** Starts socat (again) and waits until both links exist. */
    public synchronized void restart() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("socat still running");
        }
        Files.deleteIfExists(board);
        Files.deleteIfExists(host);
        try {
            process = new ProcessBuilder("socat", "-d", "-d",
                    "pty,raw,echo=0,link=" + board, "pty,raw,echo=0,link=" + host)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            if (!socatAvailable()) {
                throw new SocatMissingException();
            }
            throw e;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!(Files.exists(board) && Files.exists(host))) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IOException("socat did not create its ptys in " + board.getParent() + "; see " + log);
            }
            Thread.sleep(5);
        }
    }

    /** True while socat runs. */
    public synchronized boolean alive() { return process != null && process.isAlive(); }

    /** SIGTERM socat (it removes its links) and wait for it: both ptys vanish. */
    public synchronized void kill() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(3, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(3, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException { kill(); }
}
