package io.tensd.stim;

import io.tensd.sim.SerialBridge;
import java.io.IOException;
import java.nio.file.Path;

/** A socat pseudo-terminal pair for the serial tests: the product's {@link SerialBridge}, with the names the tests use. */
public final class SocatPair implements AutoCloseable {
    public final Path board;
    public final Path host;
    private final SerialBridge bridge;

    private SocatPair(SerialBridge bridge) {
        this.bridge = bridge;
        this.board = bridge.board;
        this.host = bridge.host;
    }

    public static SocatPair start(Path dir) throws IOException, InterruptedException {
        return new SocatPair(SerialBridge.start(dir));
    }

    /** Starts socat again at the same link paths (the port "comes back"). */
    public void restart() throws IOException, InterruptedException { bridge.restart(); }

    /** Kills socat: both ends vanish, as when the cable or board disappears. */
    public void kill() throws InterruptedException { bridge.kill(); }

    @Override
    public void close() throws InterruptedException { bridge.close(); }
}
