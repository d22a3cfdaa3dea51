package io.tensd.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.session.SessionState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Remote commands from a clinician's client through Debian mosquitto into the real loop (simulated board). */
class RemoteCommandsMosquittoTest {
    static PlainMosquitto broker;
    @TempDir Path tmp;

    @BeforeAll
    static void start() throws Exception {
        broker = new PlainMosquitto();
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) broker.close();
    }

    private static final String RX = "\"prescription\":" + RemoteCommandIdempotencePropertyTest.prescriptionJson(4, 30, 5);

    @Test
    void aSecondPauseWithANewIdKeepsTheSessionPausedAtZero() throws Exception {
        Topics t = new Topics("site-a", "dev-pause");
        try (LiveDevice dev = new LiveDevice("site-a", "dev-pause", LiveDevice.plain(broker.url()), tmp.resolve("j"));
             Clinician anna = new Clinician(broker.url(), t, "anna", null)) {
            anna.send("start-session", "s1", RX);
            assertEquals("accepted", anna.await("s1", 10_000).json().get("status").asText());
            assertTrue(dev.awaitState(SessionState.ACTIVE, Duration.ofSeconds(20)), "ramped up: " + dev.state());
            anna.send("pause", "p1", "");
            Subscriber.Received first = anna.await("p1", 10_000);
            assertEquals("accepted", first.json().get("status").asText());
            assertEquals(false, first.json().get("noChange").asBoolean());
            anna.send("pause", "p2", ""); // the clinician's retry: a new id
            Subscriber.Received second = anna.await("p2", 10_000);
            assertEquals("accepted", second.json().get("status").asText(), second.json().toString());
            assertEquals(true, second.json().get("noChange").asBoolean(), "pause when paused changes nothing");
            Thread.sleep(500);
            assertEquals(SessionState.PAUSED, dev.state(), "a retried pause must not resume");
            assertEquals(0.0, dev.outputMilliAmps(), "0 mA while paused");
            anna.send("stop", "x1", "");
            anna.send("stop", "x2", "");
            assertEquals(false, anna.await("x1", 10_000).json().get("noChange").asBoolean());
            assertEquals(true, anna.await("x2", 10_000).json().get("noChange").asBoolean(), "stop when stopped changes nothing");
            assertEquals(SessionState.COMPLETE, dev.state());
            assertTrue(anna.replies.schemaErrors.isEmpty(), anna.replies.schemaErrors.toString());
        }
    }

    @Test
    void burstsOf30And100SetIntensityGetExactlyOneAnswerEach() throws Exception {
        Topics t = new Topics("site-a", "dev-burst");
        try (LiveDevice dev = new LiveDevice("site-a", "dev-burst", LiveDevice.plain(broker.url()), tmp.resolve("j"));
             Clinician anna = new Clinician(broker.url(), t, "anna", null)) {
            anna.send("start-session", "s1", RX);
            assertNotNull(anna.await("s1", 10_000));
            for (int burst : new int[] {30, 100}) {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < burst; i++) {
                    String id = "b" + burst + "-" + i;
                    ids.add(id);
                    anna.send("set-intensity", id, "\"milliAmps\":" + (10 + i % 10));
                }
                long end = System.nanoTime() + 20_000_000_000L;
                while (System.nanoTime() < end && ids.stream().anyMatch(id -> anna.answers(id).isEmpty())) Thread.sleep(10);
                Thread.sleep(300); // time for a second answer to show up, if one were sent
                int answered = 0;
                for (String id : ids) {
                    int n = anna.answers(id).size();
                    assertTrue(n <= 1, id + " answered " + n + " times");
                    answered += n;
                }
                System.out.printf("burst of %d set-intensity: %d answers%n", burst, answered);
                assertEquals(burst, answered, "every command of the burst answered");
            }
            assertTrue(anna.replies.schemaErrors.isEmpty(), anna.replies.schemaErrors.toString());
        }
    }

    @Test
    void everyMessageOnTheCommandSubscriptionIsAnswered() throws Exception {
        Topics t = new Topics("site-a", "dev-extra");
        try (LiveDevice dev = new LiveDevice("site-a", "dev-extra", LiveDevice.plain(broker.url()), tmp.resolve("j"));
             Clinician anna = new Clinician(broker.url(), t, "anna", null)) {
            String body = "{\"id\":\"e1\",\"deadline\":\"" + java.time.Instant.now().plusSeconds(60) + "\"," + RX + "}";
            anna.sendRaw(t.command("start-session") + "/extra", body.getBytes(), "e1", 60L);
            anna.sendRaw(t.root() + "cmd", "{\"id\":\"e2\"}".getBytes(), "e2", 60L);
            anna.sendRaw(t.root() + "cmd/a/b/c", "not json".getBytes(), "e3", 60L);
            for (String id : new String[] {"e1", "e2", "e3"}) {
                Subscriber.Received a = anna.await(id, 10_000);
                assertNotNull(a, id + " answered");
                assertEquals("rejected", a.json().get("status").asText());
            }
            assertTrue(anna.await("e1", 1).json().get("reasons").get(0).asText().startsWith("unknown-command"),
                    anna.await("e1", 1).json().toString());
            assertTrue(anna.await("e2", 1).json().get("reasons").get(0).asText().startsWith("unknown-command"));
            assertTrue(!dev.state().inSession(), "nothing started from cmd/start-session/extra: " + dev.state());
            assertTrue(anna.replies.schemaErrors.isEmpty(), anna.replies.schemaErrors.toString());
        }
    }
}
