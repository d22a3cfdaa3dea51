package io.tensd.clinic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.telemetry.Journal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InboundParserTest {
    @TempDir
    Path tmp;

    @Test
    void everyRealDevicePayloadParsesWithItsSeqTypeAndSession() throws Exception {
        List<Journal.Entry> entries = DevicePayloads.journal(tmp, "dev-7", DevicePayloads.session("s-1", 0, 2, 3));
        for (Journal.Entry e : entries) {
            Inbound in = InboundParser.parse(DevicePayloads.topic("site-a", "dev-7", e.payload()), e.payload());
            Inbound.Journaled j = assertInstanceOf(Inbound.Journaled.class, in, () -> in.toString());
            assertEquals(e.seq(), j.seq());
            assertEquals("dev-7", j.deviceId());
            assertEquals("site-a", j.site());
            assertEquals("s-1", j.sessionId());
        }
        Inbound.Journaled last = (Inbound.Journaled) InboundParser.parse(
                DevicePayloads.topic("site-a", "dev-7", entries.get(entries.size() - 1).payload()), entries.get(entries.size() - 1).payload());
        assertTrue(last.isSummary());
        assertEquals(540_000, last.body().get("deliveredMs").asLong());
    }

    @Test
    void statusAndBirthParse() {
        String status = """
                {"schema":"tensd.status.v1","deviceId":"d1","sessionId":null,"ts":"2026-01-02T03:04:05.006Z","monoMs":5,
                 "state":"offline","reason":"will"}""";
        Inbound.Status s = assertInstanceOf(Inbound.Status.class, InboundParser.parse("tensd/v1/s/d1/status", bytes(status)));
        assertFalse(s.online());
        assertEquals("will", s.reason());
        String birth = """
                {"schema":"tensd.birth.v1","deviceId":"d1","sessionId":null,"ts":"2026-01-02T03:04:05.006Z","monoMs":5,
                 "device":{"version":"1"},"journal":{"lastSeq":42,"ackedSeq":40},"counters":{},"connects":1}""";
        Inbound.Birth b = assertInstanceOf(Inbound.Birth.class, InboundParser.parse("tensd/v1/s/d1/birth", bytes(birth)));
        assertEquals(42, b.lastSeq());
    }

    @Test
    void badInputIsRejectedWithAReasonNeverThrown() {
        String ok = """
                {"schema":"tensd.event.v1","deviceId":"d1","sessionId":null,"ts":"2026-01-02T03:04:05.006Z","monoMs":5,
                 "seq":3,"type":"fault-raised","data":{}}""";
        assertInstanceOf(Inbound.Journaled.class, InboundParser.parse("tensd/v1/s/d1/event", bytes(ok)));
        assertReject("not json", "tensd/v1/s/d1/event", bytes("{nope"), "json:");
        assertReject("array", "tensd/v1/s/d1/event", bytes("[1]"), "json: not an object");
        assertReject("seq 0", "tensd/v1/s/d1/event", bytes(ok.replace("\"seq\":3", "\"seq\":0")), "schema tensd.event.v1");
        assertReject("missing type", "tensd/v1/s/d1/event", bytes(ok.replace("\"type\":\"fault-raised\",", "")), "schema");
        assertReject("extra key", "tensd/v1/s/d1/event", bytes(ok.replace("\"data\":{}", "\"data\":{},\"patientName\":\"x\"")), "schema");
        assertReject("other device", "tensd/v1/s/d2/event", bytes(ok), "is not the topic's device");
        assertReject("bad utf-8", "tensd/v1/s/d1/event", new byte[] {(byte) 0xC3, (byte) 0x28}, "not UTF-8");
        assertReject("foreign topic", "other/x", bytes(ok), "topic:");
        assertReject("unknown kind", "tensd/v1/s/d1/telemetry", bytes(ok), "unknown kind");
        assertReject("huge", "tensd/v1/s/d1/event", new byte[InboundParser.MAX_PAYLOAD_BYTES + 1], "bytes");
    }

    private static void assertReject(String what, String topic, byte[] payload, String reasonPart) {
        Inbound in = InboundParser.parse(topic, payload);
        Inbound.Rejected r = assertInstanceOf(Inbound.Rejected.class, in, what);
        assertTrue(r.reason().contains(reasonPart), what + ": " + r.reason());
        assertEquals(topic, r.topic());
    }

    private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }
}
