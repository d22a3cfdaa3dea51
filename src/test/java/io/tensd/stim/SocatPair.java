package io.tensd.stim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Two linked pseudo-terminals from socat, at fixed link paths in a directory, that a test can kill
 * (the host's port vanishes) and restart at the same paths (the port comes back).
 */
public final class SocatPair implements AutoCloseable {
    public final Path board;
    public final Path host;
    private Process process;

    private SocatPair(Path dir) {
        this.board = dir.resolve("board");
        this.host = dir.resolve("host");
    }

    public static SocatPair start(Path dir) throws IOException, InterruptedException {
        SocatPair p = new SocatPair(dir);
        p.restart();
        return p;
    }

    /** Starts socat (again) and waits until both links exist. */
    public void restart() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("socat still running");
        }
        Files.deleteIfExists(board);
        Files.deleteIfExists(host);
        process = new ProcessBuilder("socat", "-d", "-d",
                "pty,raw,echo=0,link=" + board, "pty,raw,echo=0,link=" + host)
                .redirectErrorStream(true)
                .redirectOutput(board.resolveSibling("socat.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!(Files.exists(board) && Files.exists(host))) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("socat did not create its ptys; see " + board.resolveSibling("socat.log"));
            }
            Thread.sleep(5);
        }
    }

    /** SIGTERM socat (it removes its links) and wait for it: both ptys vanish. */
    public void kill() throws InterruptedException {
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
