package io.tensd.telemetry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The birth/death sequence number (Sparkplug's bdSeq): one per MQTT connection, carried by that connection's Will,
 * its {@code status} and its birth, so a clinic can tell which birth a death belongs to and ignore an old death.
 * Kept in a file beside the journal, so it keeps growing across daemon restarts (a Pi without a clock battery
 * cannot use the wall clock for that). A file that cannot be written costs only that guarantee across restarts.
 */
final class BdSeq {
    private static final Logger log = LoggerFactory.getLogger(BdSeq.class);
    private final Path file;
    private long value;

    BdSeq(Path file) {
        this.file = file;
        long v = 0;
        try {
            if (Files.exists(file)) v = Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).strip());
        } catch (IOException | NumberFormatException e) {
            log.warn("bdSeq file {} unreadable ({}); counting from 0", file, e.getMessage());
        }
        value = Math.max(0, v);
    }

    synchronized long current() { return value; }

    /** The next connection's number, saved before it is used. */
    synchronized long next() {
        value++;
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, Long.toString(value), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log.warn("bdSeq {} not saved to {}: {}", value, file, e.getMessage());
        }
        return value;
    }
}
