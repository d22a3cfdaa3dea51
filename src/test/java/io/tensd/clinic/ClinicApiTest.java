package io.tensd.clinic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensd.clinic.collector.Collector;
import io.tensd.clinic.http.ClinicApi;
import io.tensd.clinic.store.ClinicDb;
import io.tensd.clinic.store.ClinicStore;
import io.tensd.telemetry.Journal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON API over real HTTP on a real PostgreSQL. */
class ClinicApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;
    private ClinicDb db;
    private ClinicStore store;
    private ClinicApi api;
    private volatile Collector.Stats stats = new Collector.Stats(true, 0, 0, 0, 0, 0, 0, null, -1, null);
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void up() throws Exception {
        db = ClinicDb.open(TestPg.freshDatabase(), 4);
        store = new ClinicStore(db.dataSource());
        List<Inbound> msgs = new ArrayList<>();
        List<io.tensd.session.SessionEvent> events = new ArrayList<>(DevicePayloads.session("s-a", 0, 2, 3));
        events.addAll(DevicePayloads.session("s-b", 0, 0, 5));
        for (Journal.Entry e : DevicePayloads.journal(tmp.resolve("j"), "dev-api", events)) {
            msgs.add(InboundParser.parse(DevicePayloads.topic("site-x", "dev-api", e.payload()), e.payload()));
        }
        store.write(msgs, Instant.now());
        store.setPatientCode("dev-api", "site-x", "P-7F3A");
        api = new ClinicApi(store, () -> stats, Clock.systemUTC(), ZoneOffset.UTC).start("127.0.0.1", 0);
    }

    @AfterEach
    void down() {
        api.close();
        db.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(String path) throws Exception {
        HttpResponse<String> r = get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"), path);
        return JSON.readTree(r.body());
    }

    @Test
    void devicesSessionsAdherenceAndHealth() throws Exception {
        JsonNode devices = ok("/api/devices");
        assertEquals(1, devices.size());
        JsonNode d = devices.get(0);
        assertEquals("dev-api", d.get("id").asText());
        assertEquals("site-x", d.get("site").asText());
        assertEquals("P-7F3A", d.get("patientCode").asText());
        assertEquals("idle", d.get("state").asText());
        assertEquals(20, d.get("contiguousSeq").asLong());
        assertFalse(d.get("lastSeen").isNull());

        JsonNode sessions = ok("/api/sessions?device=dev-api");
        assertEquals(2, sessions.size());
        JsonNode s = sessions.get(0);
        for (String k : List.of("start", "end", "endReason", "program", "minutes", "maxMa", "heatMinutes", "maxSkinC", "faults", "pauses")) {
            assertTrue(s.has(k), "session has " + k);
        }
        assertEquals("completed", s.get("endReason").asText());
        assertEquals(9.0, s.get("minutes").asDouble(), 1e-9);
        assertEquals(1, s.get("pauses").asInt());
        assertEquals(0, ok("/api/sessions?device=dev-api&from=2000-01-01&to=2000-01-02").size());
        assertEquals(2, ok("/api/sessions?from=" + LocalDate.now(ZoneOffset.UTC) + "&to=" + LocalDate.now(ZoneOffset.UTC)).size());

        JsonNode a = ok("/api/devices/dev-api/adherence?days=7");
        assertEquals(7, a.get("perDay").size());
        assertEquals(2, a.get("sessions").asInt());
        assertEquals(18.0, a.get("therapyMinutes").asDouble(), 1e-9);
        assertEquals(8, a.get("exerciseReps").asInt());
        assertEquals(1, a.get("rtm").get("daysWithData").asInt());
        assertFalse(a.get("rtm").get("met").asBoolean());
        assertEquals(30, ok("/api/devices/dev-api/adherence").get("perDay").size());

        JsonNode h = ok("/api/health");
        assertEquals("ok", h.get("status").asText());
        assertTrue(h.get("db").get("ok").asBoolean());
        assertEquals(20, h.get("store").get("events").asLong());
        stats = new Collector.Stats(false, 0, 0, 0, 0, 0, 0, null, -1, null);
        HttpResponse<String> degraded = get("/api/health");
        assertEquals(503, degraded.statusCode());
        assertFalse(JSON.readTree(degraded.body()).get("broker").get("connected").asBoolean());
    }

    @Test
    void badParametersAreClear4xx() throws Exception {
        expect(400, "/api/sessions?from=yesterday", "from: 'yesterday' is not an ISO-8601");
        expect(400, "/api/sessions?from=2026-03-02&to=2026-03-01", "must be before");
        expect(400, "/api/sessions?limit=0", "limit: '0' must be a whole number from 1 to");
        expect(400, "/api/sessions?device=a%20b", "not a device id");
        expect(404, "/api/sessions?device=dev-none", "no device dev-none");
        expect(400, "/api/devices/dev-api/adherence?days=0", "days: '0' must be a whole number from 1 to 366");
        expect(400, "/api/devices/dev-api/adherence?days=x", "days: 'x'");
        expect(404, "/api/devices/dev-none/adherence", "no device dev-none");
        expect(404, "/api/nothing", "no such resource");
    }

    private void expect(int status, String path, String messagePart) throws Exception {
        HttpResponse<String> r = get(path);
        assertEquals(status, r.statusCode(), path + ": " + r.body());
        String error = JSON.readTree(r.body()).get("error").asText();
        assertTrue(error.contains(messagePart), path + ": " + error);
    }
}
