package io.tensd.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The site's primary host (clinic service) state. When it comes back (offline → online, or a new host bdSeq),
 * the birth and status are published again: the host may have missed them while it was down.
 */
final class HostRebirth {
    private static final Logger log = LoggerFactory.getLogger(HostRebirth.class);

    private final Executor executor;
    private final Runnable rebirth;
    private volatile String hostState;        // last primary host state seen: "online", "offline" or null
    private volatile long hostBdSeq = -1;
    private final AtomicLong rebirths = new AtomicLong();

    /** @param rebirth publishes status and birth again; run on {@code executor}, never on the MQTT callback thread */
    HostRebirth(Executor executor, Runnable rebirth) {
        this.executor = executor;
        this.rebirth = rebirth;
    }

    /** A host state message arrived (MQTT callback thread: must not block or publish). */
    void arrived(byte[] payload) {
        String state;
        long b;
        try {
            JsonNode n = Wire.JSON.readTree(payload);
            state = n.path("state").asText("");
            b = n.path("bdSeq").asLong(-1);
        } catch (IOException | RuntimeException e) {
            log.warn("host state not understood: {}", e.getMessage());
            return;
        }
        String before = hostState;
        long beforeSeq = hostBdSeq;
        hostState = state;
        if (!"online".equals(state)) return;
        hostBdSeq = b;
        if ("offline".equals(before) || (before != null && beforeSeq != b)) {
            rebirths.incrementAndGet();
            try {
                executor.execute(rebirth); // never publish on the callback thread
            } catch (RejectedExecutionException stopping) {
                // stopping
            }
        }
    }

    /** Births published again because the primary host came back. */
    long rebirths() { return rebirths.get(); }
}
