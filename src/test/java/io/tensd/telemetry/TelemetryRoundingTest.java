package io.tensd.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tensd.config.DeviceConfig;
import io.tensd.loop.Clock;
import io.tensd.loop.StatusSnapshot;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Telemetry carries the digits the sensors resolve, not the simulator's or the filter's floating-point tail. */
class TelemetryRoundingTest {
    @Test
    void numbersAreRoundedToTheSensorsResolution(@TempDir Path dir) throws Exception {
        StatusSnapshot s = new StatusSnapshot(1_000_000_000L, "s-1", "ACTIVE", "conventional", true, 18.96666666, 18.93456789,
                150, 99.99999, 900, true, 0.4637281, 40.0000001, 39.8765432, 42.345678, -12.345678, "flexed", 60_000, 600_000,
                87.654321, List.of());
        try (JournalingEventSink sink = JournalingEventSink.open(dir, "d-1", Clock.SYSTEM)) {
            DeviceConfig.Broker b = new DeviceConfig.Broker("tcp://127.0.0.1:1", null, null, null, null, null, 10, 1000);
            TelemetryService svc = TelemetryService.builder("site", "d-1", b).events(sink).status(() -> s).commands((c, r) -> { }).build();
            JsonNode n = svc.telemetryPayload(s);
            assertTrue(Schemas.validate(Wire.TELEMETRY_SCHEMA, n).isEmpty(), Schemas.validate(Wire.TELEMETRY_SCHEMA, n).toString());
            assertEquals("19.0", n.get("intensitySetMilliAmps").asText());
            assertEquals("18.9", n.get("intensityMeasuredMilliAmps").asText());
            assertEquals("100.0", n.get("frequencyHz").asText());
            assertEquals("0.464", n.get("heaterDuty").asText());
            assertEquals("40.0", n.get("heatSetpointCelsius").asText());
            assertEquals("39.88", n.get("skinCelsius").asText());
            assertEquals("42.3", n.get("padCelsius").asText());
            assertEquals("-12.3", n.get("postureAngleDeg").asText());
            assertEquals("87.7", n.get("batteryPercent").asText());
        }
    }
}
