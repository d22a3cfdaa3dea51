package io.tensd.clinic.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tensd.safety.FaultCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One device as the live view shows it, folded from its retained status (online/offline, the Will), its birth
 * (the skin ceiling of its limits file) and its latest telemetry. Null fields are unknown (shown as "–").
 */
public record DeviceView(String site, String deviceId, Boolean online, String offlineReason, String state, String program,
                         Double setMilliAmps, Double measuredMilliAmps, Double skinCelsius, Double skinCeilingCelsius,
                         Double heaterDuty, String postureClass, List<String> faults, Instant lastTelemetry) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Fault(String code, String text) { }

    public static DeviceView empty(String site, String deviceId) {
        return new DeviceView(site, deviceId, null, null, null, null, null, null, null, null, null, null, List.of(), null);
    }

    DeviceView withStatus(JsonNode n, Instant now) {
        boolean on = "online".equals(n.path("state").asText());
        String reason = on ? null : n.path("reason").asText(null);
        return new DeviceView(site, deviceId, on, reason, state, program, setMilliAmps, measuredMilliAmps, skinCelsius,
                skinCeilingCelsius, heaterDuty, postureClass, faults, lastTelemetry);
    }

    DeviceView withBirth(JsonNode n) {
        Double ceiling = number(n.path("device").path("config").path("skinCeilingCelsius"));
        return new DeviceView(site, deviceId, online, offlineReason, state, program, setMilliAmps, measuredMilliAmps, skinCelsius,
                ceiling != null ? ceiling : skinCeilingCelsius, heaterDuty, postureClass, faults, lastTelemetry);
    }

    DeviceView withTelemetry(JsonNode n, Instant now) {
        List<String> f = new ArrayList<>();
        n.path("faults").forEach(x -> f.add(x.asText()));
        // telemetry arrives only from a connected device: it is online even if its retained status is not seen yet
        return new DeviceView(site, deviceId, online == null ? Boolean.TRUE : online, offlineReason, n.path("state").asText(null),
                n.path("program").isTextual() ? n.path("program").asText() : null,
                number(n.path("intensitySetMilliAmps")), number(n.path("intensityMeasuredMilliAmps")), number(n.path("skinCelsius")),
                skinCeilingCelsius, number(n.path("heaterDuty")), n.path("postureClass").isTextual() ? n.path("postureClass").asText() : null,
                List.copyOf(f), now);
    }

    DeviceView withFaults(List<String> latched) {
        return new DeviceView(site, deviceId, online, offlineReason, state, program, setMilliAmps, measuredMilliAmps, skinCelsius,
                skinCeilingCelsius, heaterDuty, postureClass, latched, lastTelemetry);
    }

    /** The latched faults with their plain-language line (an unknown code is shown as it came). */
    public List<Fault> faultLines() {
        List<Fault> out = new ArrayList<>();
        for (String code : faults) {
            String text;
            try {
                text = FaultCode.fromWire(code).description();
            } catch (IllegalArgumentException e) {
                text = "fault reported by the device";
            }
            out.add(new Fault(code, text));
        }
        return out;
    }

    /** What the page's script needs to redraw the row (already formatted; the script inserts it as text). */
    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", deviceId);
        n.put("site", site);
        n.put("online", Cells.online(this));
        n.put("state", Cells.text(state));
        n.put("program", Cells.text(program));
        n.put("ma", Cells.milliAmps(this));
        n.put("skin", Cells.skin(this));
        n.put("skinHot", Cells.skinNearCeiling(this));
        n.put("duty", Cells.duty(heaterDuty));
        var a = n.putArray("faults");
        for (Fault f : faultLines()) a.addObject().put("code", f.code()).put("text", f.text());
        return n;
    }

    private static Double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : null;
    }
}
