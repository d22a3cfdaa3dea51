package io.tensd.clinic;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One MQTT message as the clinic understands it, after parsing and schema validation. */
public sealed interface Inbound {
    /** The topic it came on (for logs and the rejects table). */
    String topic();

    /**
     * An event or a session summary: both come from the device journal and share its gapless per-device {@code seq}.
     *
     * @param body  the event's {@code data}, or the summary's {@code summary} object
     * @param json  the whole payload as received (stored as is)
     */
    record Journaled(String topic, String site, String deviceId, String sessionId, long seq, String type, Instant ts,
                     long monoMs, boolean replayed, JsonNode body, String json) implements Inbound {
        public boolean isSummary() { return SUMMARY_TYPE.equals(type); }
    }

    /** The retained {@code status}: online, or offline (Will or orderly shutdown). */
    record Status(String topic, String site, String deviceId, boolean online, String reason, Instant ts) implements Inbound { }

    /** The retained {@code birth}: the device's versions and journal position on each (re)connect. */
    record Birth(String topic, String site, String deviceId, Instant ts, long lastSeq, String json) implements Inbound { }

    /** Anything that failed to parse or validate: counted, logged with its topic, stored, and acknowledged. */
    record Rejected(String topic, String reason, byte[] payload) implements Inbound { }

    String SUMMARY_TYPE = "session-summary";
}
