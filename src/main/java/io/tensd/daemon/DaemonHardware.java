package io.tensd.daemon;

import io.tensd.hw.DeviceIo;

/** The device the daemon drives: the Pi's real hardware or the simulator. Outputs are safe from construction on. */
interface DaemonHardware extends AutoCloseable {
    /** The ports the control loop uses. */
    DeviceIo io();

    /** One line for the log and the birth message. */
    String describe();

    /** "pi" or "sim" (birth message, systemd status). */
    String mode();

    /** The posture pipeline fed by the IMUs (its running statistics go into each session's summary). */
    io.tensd.posture.PosturePipeline posture();

    /** Every output off now, from any thread (shutdown). The next loop tick may command again. */
    void forceSafe();

    /** Outputs LOW, acquisition threads stopped, lines released. Idempotent. */
    @Override
    void close();
}
