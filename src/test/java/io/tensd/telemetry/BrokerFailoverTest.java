package io.tensd.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.config.DeviceConfig;
import io.tensd.loop.Clock;
import io.tensd.session.CommandOutcome;
import io.tensd.session.SessionEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code broker.urls} with two real mosquitto brokers: the device fails over to the second when the first is
 * killed mid-session, and the journal makes the switch lossless. The clinic side listens on both brokers (as
 * a bridged or clustered pair would deliver to it): every seq arrives, without a gap, and a seq that arrives
 * twice does so only as a {@code replayed} copy of one the first broker took but never acknowledged.
 */
class BrokerFailoverTest {
    @TempDir Path tmp;

    private static TelemetryService service(String device, List<String> urls, JournalingEventSink sink) {
        DeviceConfig.Broker b = new DeviceConfig.Broker(urls, null, null, null, null, null, 5, 200);
        return TelemetryService.builder("site-f", device, b).events(sink).status(TelemetryServiceTest::snapshot)
                .commands((cmd, reply) -> reply.accept(CommandOutcome.accepted())).birth(() -> Map.of("version", "test"))
                .firstConnectRetryMax(Duration.ofMillis(500)).build();
    }

    @Test
    void firstBrokerKilledMidSessionDeviceGoesOnWithTheSecondAndNothingIsLost() throws Exception {
        int events = 600;
        try (PlainMosquitto a = new PlainMosquitto(); PlainMosquitto b = new PlainMosquitto();
             Subscriber onA = new Subscriber(a.url(), "clinic-a", null, "tensd/v1/site-f/#");
             Subscriber onB = new Subscriber(b.url(), "clinic-b", null, "tensd/v1/site-f/#");
             JournalingEventSink sink = JournalingEventSink.open(tmp.resolve("j"), "dev-fo", Clock.SYSTEM)) {
            TelemetryService svc = service("dev-fo", List.of(a.url(), b.url()), sink);
            svc.start();
            assertTrue(svc.awaitConnected(Duration.ofSeconds(15)));
            assertEquals(a.url(), svc.connectedTo(), "the first broker of the list is preferred");
            Thread producer = new Thread(() -> {
                for (int i = 0; i < events; i++) {
                    sink.emit(new SessionEvent(i == events - 1 ? Wire.SUMMARY_TYPE : "slouch-alert", "s-1", System.nanoTime(), Map.of("i", i)));
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "session");
            producer.start();
            Thread.sleep(1_000);
            long ackedBeforeKill = sink.journal().ackedSeq();
            a.kill();
            producer.join();
            assertTrue(sink.awaitIdle(Duration.ofSeconds(10)));
            assertTrue(svc.awaitDelivered(Duration.ofSeconds(30)),
                    "acked " + sink.journal().ackedSeq() + " of " + sink.journal().durableSeq());
            assertEquals(b.url(), svc.connectedTo(), "failed over to the second broker");
            long last = sink.journal().durableSeq();
            assertEquals(events, last, "every event journaled");
            assertTrue(ackedBeforeKill > 0 && ackedBeforeKill < last, "killed mid-session: " + ackedBeforeKill + " of " + last);
            Thread.sleep(300);
            svc.stop();

            Map<Long, List<Boolean>> copies = new TreeMap<>();  // seq → replayed flag of each copy, both brokers
            int viaA = 0;
            int viaB = 0;
            for (Subscriber s : List.of(onA, onB)) {
                for (Subscriber.Received r : s.messages) {
                    if (r.topic().endsWith("/event") || r.topic().endsWith("/session/summary")) {
                        copies.computeIfAbsent(r.json().get("seq").asLong(), k -> new ArrayList<>())
                                .add(r.json().path("replayed").asBoolean());
                        if (s == onA) viaA++; else viaB++;
                    }
                }
            }
            assertEquals(last, copies.size(), "every seq arrived");
            assertEquals(List.copyOf(java.util.stream.LongStream.rangeClosed(1, last).boxed().toList()), List.copyOf(copies.keySet()),
                    "gapless from 1");
            long duplicates = 0;
            for (Map.Entry<Long, List<Boolean>> e : copies.entrySet()) {
                List<Boolean> flags = e.getValue();
                assertTrue(flags.size() <= 2, "seq " + e.getKey() + " arrived " + flags.size() + " times");
                if (flags.size() == 2) {
                    duplicates++;
                    assertTrue(flags.get(1) || flags.get(0), "a second copy of seq " + e.getKey() + " is marked replayed");
                }
            }
            assertTrue(viaA > 0 && viaB > 0, "both brokers carried part of the session: A " + viaA + ", B " + viaB);
            assertTrue(onA.schemaErrors.isEmpty() && onB.schemaErrors.isEmpty(), onA.schemaErrors + " " + onB.schemaErrors);
            System.out.printf("failover: %d events, %d via A before the kill, %d via B, %d duplicates (replayed), connects %d%n",
                    last, viaA, viaB, duplicates, svc.counters().connects());
        }
    }

    @Test
    void firstBrokerDownAtStartDeviceConnectsToTheSecond() throws Exception {
        try (PlainMosquitto a = new PlainMosquitto(); PlainMosquitto b = new PlainMosquitto();
             Subscriber onB = new Subscriber(b.url(), "clinic-b2", null, "tensd/v1/site-f/#");
             JournalingEventSink sink = JournalingEventSink.open(tmp.resolve("j2"), "dev-fo2", Clock.SYSTEM)) {
            a.kill();
            sink.emit(new SessionEvent("session-started", "s-2", System.nanoTime(), Map.of("program", "conventional")));
            TelemetryService svc = service("dev-fo2", List.of(a.url(), b.url()), sink);
            svc.start();
            assertTrue(svc.awaitConnected(Duration.ofSeconds(15)));
            assertEquals(b.url(), svc.connectedTo());
            assertTrue(svc.awaitDelivered(Duration.ofSeconds(10)));
            assertTrue(onB.await(r -> r.topic().endsWith("/event") && r.json().get("seq").asLong() == 1, Duration.ofSeconds(5)) != null);
            svc.stop();
        }
    }
}
