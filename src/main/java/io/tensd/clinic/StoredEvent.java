package io.tensd.clinic;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A journaled message as stored: {@code body} is the event's data or the summary object. */
public record StoredEvent(long seq, String type, Instant ts, JsonNode body) { }
