package io.tensd.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tensd.hw.Button;
import io.tensd.session.CommandGateway;
import io.tensd.session.CommandOutcome;
import io.tensd.session.SessionCommand;
import io.tensd.session.SessionEvent;
import io.tensd.therapy.Prescription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class CommandHandlerTest {
    static final Instant NOW = Instant.parse("2025-06-01T10:00:00Z");

    final List<CommandHandler.Answer> answers = new CopyOnWriteArrayList<>();
    final List<SessionEvent> events = new CopyOnWriteArrayList<>();
    final List<SessionCommand> submitted = new CopyOnWriteArrayList<>();
    final AtomicInteger rebirths = new AtomicInteger();
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    /** A loop stand-in: records the command and answers on "its" thread via the callback. */
    CommandGateway gateway(CommandOutcome outcome) {
        return (cmd, reply) -> {
            submitted.add(cmd);
            reply.accept(outcome);
        };
    }

    CommandHandler handler(CommandGateway gw, CommandHandler.Settings settings) {
        return new CommandHandler("dev-1", gw, events::add, () -> "s-1", rebirths::incrementAndGet, Runnable::run,
                answers::add, nanos::get, () -> NOW, settings);
    }

    static CommandHandler.Request req(String name, String json) {
        return new CommandHandler.Request(name, json.getBytes(StandardCharsets.UTF_8), 30L, "reply/x", new byte[] {1});
    }

    static String deadline() { return NOW.plusSeconds(30).toString(); }

    JsonNode lastAnswer() throws Exception {
        return Wire.JSON.readTree(answers.get(answers.size() - 1).payload());
    }

    @Test
    void validCommandsMapToRemoteSessionCommands() throws Exception {
        CommandHandler h = handler(gateway(CommandOutcome.accepted()), CommandHandler.Settings.defaults());
        h.handle(req("stop", "{\"id\":\"c1\",\"deadline\":\"" + deadline() + "\"}"));
        h.handle(req("pause", "{\"id\":\"c2\",\"deadline\":\"" + deadline() + "\"}"));
        h.handle(req("resume", "{\"id\":\"c3\",\"deadline\":\"" + deadline() + "\"}"));
        h.handle(req("set-intensity", "{\"id\":\"c4\",\"deadline\":\"" + deadline() + "\",\"milliAmps\":12.5}"));
        h.handle(req("set-heat", "{\"id\":\"c5\",\"deadline\":\"" + deadline() + "\",\"setpointCelsius\":null}"));
        h.handle(req("start-session", "{\"id\":\"c6\",\"deadline\":\"" + deadline() + "\",\"prescription\":{\"program\":\"conventional\","
                + "\"frequencyHz\":80,\"pulseWidthMicros\":200,\"targetMilliAmps\":20,\"maxMilliAmps\":30,\"durationMinutes\":30,\"heatSetpointCelsius\":39,"
                + "\"screening\":{\"bladderBowelControlLoss\":false,\"saddleNumbness\":false,\"progressiveLegWeakness\":false,\"fever\":false,\"unexplainedWeightLoss\":false,\"cancerHistory\":false,\"recentTrauma\":false,\"pacemaker\":false,\"pregnancyOverTrunk\":false,\"epilepsy\":false,\"impairedSensation\":false,\"brokenSkin\":false}}}"));
        assertEquals(List.of(
                new SessionCommand.Want(SessionCommand.Target.STOPPED, SessionCommand.Source.REMOTE),
                new SessionCommand.Want(SessionCommand.Target.PAUSED, SessionCommand.Source.REMOTE),
                new SessionCommand.Want(SessionCommand.Target.RUNNING, SessionCommand.Source.REMOTE),
                new SessionCommand.SetIntensity(12.5, SessionCommand.Source.REMOTE),
                new SessionCommand.SetHeat(java.util.OptionalDouble.empty(), SessionCommand.Source.REMOTE),
                new SessionCommand.StartSession(new Prescription("conventional", 80, 200, 20, 30, 30,
                        java.util.Optional.of(new Prescription.Heat(39)), io.tensd.therapy.Screening.clear("clinic")),
                        SessionCommand.Source.REMOTE)), submitted);
        assertEquals(6, answers.size());
        for (CommandHandler.Answer a : answers) {
            assertEquals("accepted", a.status());
            JsonNode n = Wire.JSON.readTree(a.payload());
            assertTrue(Schemas.validate(Wire.RESPONSE_SCHEMA, n).isEmpty(), Schemas.validate(Wire.RESPONSE_SCHEMA, n).toString());
        }
        assertEquals(6, events.stream().filter(e -> e.type().equals("command-result")).count());
    }

    @Test
    void clampReasonsFromTheLoopReachTheAnswer() throws Exception {
        CommandHandler h = handler(gateway(CommandOutcome.clamped(List.of("limits: maxMilliAmps 40"))), CommandHandler.Settings.defaults());
        h.handle(req("set-intensity", "{\"id\":\"c\",\"deadline\":\"" + deadline() + "\",\"milliAmps\":90}"));
        JsonNode a = lastAnswer();
        assertEquals("clamped", a.get("status").asText());
        assertEquals("limits: maxMilliAmps 40", a.get("reasons").get(0).asText());
        assertEquals("clamped", events.get(0).data().get("status"));
    }

    @Test
    void aClampedAnswerSaysWhatWasAskedAndWhatIsApplied() throws Exception {
        var clamp = new io.tensd.session.Clamp("targetMilliAmps", 120, 80, "limit-max-amplitude");
        CommandHandler h = handler(gateway(CommandOutcome.clamped(List.of("limit-max-amplitude"), List.of(clamp))),
                CommandHandler.Settings.defaults());
        h.handle(req("set-intensity", "{\"id\":\"c2\",\"deadline\":\"" + deadline() + "\",\"milliAmps\":90}"));
        JsonNode a = lastAnswer();
        assertTrue(Schemas.validate(Wire.RESPONSE_SCHEMA, a).isEmpty(), Schemas.validate(Wire.RESPONSE_SCHEMA, a).toString());
        assertEquals("limit-max-amplitude", a.get("reasons").get(0).asText());
        JsonNode c = a.get("clamps").get(0);
        assertEquals("targetMilliAmps", c.get("field").asText());
        assertEquals(120, c.get("requested").asDouble());
        assertEquals(80, c.get("applied").asDouble());
        assertEquals("targetMilliAmps 120 → 80 (limits max)", c.get("text").asText());
        assertEquals(List.of("targetMilliAmps 120 → 80 (limits max)"), events.get(0).data().get("clamps"));
        // a repeated id gets the same answer, clamps included
        h.handle(req("set-intensity", "{\"id\":\"c2\",\"deadline\":\"" + deadline() + "\",\"milliAmps\":90}"));
        assertEquals("targetMilliAmps 120 → 80 (limits max)", lastAnswer().get("clamps").get(0).get("text").asText());
    }

    @Test
    void rejectionsSayWhy() throws Exception {
        CommandHandler h = handler(gateway(CommandOutcome.accepted()), CommandHandler.Settings.defaults());
        Map<String, String[]> cases = new java.util.LinkedHashMap<>();
        cases.put("expired", new String[] {"stop", "{\"id\":\"e1\",\"deadline\":\"" + NOW.minusSeconds(1) + "\"}"});
        cases.put("deadline-too-far", new String[] {"stop", "{\"id\":\"e2\",\"deadline\":\"" + NOW.plusSeconds(3600) + "\"}"});
        cases.put("schema", new String[] {"set-intensity", "{\"id\":\"e3\",\"deadline\":\"" + deadline() + "\",\"milliAmps\":1000}"});
        cases.put("invalid-json", new String[] {"stop", "{nope"});
        cases.put("unknown-command", new String[] {"raise-limit", "{\"id\":\"e5\",\"deadline\":\"" + deadline() + "\"}"});
        cases.put("no-remote-clear", new String[] {"clear", "{\"id\":\"e6\",\"deadline\":\"" + deadline() + "\"}"});
        cases.put("invalid: targetMilliAmps above maxMilliAmps", new String[] {"start-session", "{\"id\":\"e7\",\"deadline\":\"" + deadline()
                + "\",\"prescription\":{\"program\":\"conventional\",\"frequencyHz\":80,\"pulseWidthMicros\":200,\"targetMilliAmps\":50,\"maxMilliAmps\":30,\"durationMinutes\":30,"
                + "\"screening\":{\"bladderBowelControlLoss\":false,\"saddleNumbness\":false,\"progressiveLegWeakness\":false,\"fever\":false,\"unexplainedWeightLoss\":false,\"cancerHistory\":false,\"recentTrauma\":false,\"pacemaker\":false,\"pregnancyOverTrunk\":false,\"epilepsy\":false,\"impairedSensation\":false,\"brokenSkin\":false}}}"});
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            h.handle(req(c.getValue()[0], c.getValue()[1]));
            JsonNode a = lastAnswer();
            assertEquals("rejected", a.get("status").asText(), c.getKey());
            assertTrue(a.get("reasons").get(0).asText().startsWith(c.getKey()), c.getKey() + " → " + a.get("reasons"));
        }
        h.handle(new CommandHandler.Request("stop", ("{\"id\":\"e8\",\"deadline\":\"" + deadline() + "\"}").getBytes(), null, "r", null));
        assertTrue(lastAnswer().get("reasons").get(0).asText().startsWith("missing-message-expiry"));
        h.handle(new CommandHandler.Request("stop", ("{\"id\":\"e9\",\"deadline\":\"" + deadline() + "\"}").getBytes(), 0L, "r", null));
        assertTrue(lastAnswer().get("reasons").get(0).asText().startsWith("expired"));
        assertTrue(submitted.isEmpty(), "nothing rejected reaches the loop");
    }

    @Test
    void duplicateIdIsAnsweredWithTheFirstAnswerAndNotRunAgain() throws Exception {
        List<Consumer<CommandOutcome>> replies = new ArrayList<>();
        CommandGateway slow = (cmd, reply) -> {
            submitted.add(cmd);
            replies.add(reply); // the loop answers later
        };
        CommandHandler h = handler(slow, CommandHandler.Settings.defaults());
        String json = "{\"id\":\"dup\",\"deadline\":\"" + deadline() + "\",\"milliAmps\":10}";
        h.handle(req("set-intensity", json));
        h.handle(req("set-intensity", json)); // while the first is pending
        assertEquals(0, answers.size());
        replies.get(0).accept(CommandOutcome.clamped(List.of("ramp")));
        h.handle(req("set-intensity", json)); // after
        assertEquals(1, submitted.size());
        assertEquals(3, answers.size());
        for (CommandHandler.Answer a : answers) {
            assertEquals("clamped", a.status());
            assertEquals(List.of("ramp"), a.reasons());
        }
        assertEquals(2, answers.stream().filter(CommandHandler.Answer::duplicate).count());
        assertEquals(1, events.size(), "one command-result event per command, not per repeat");
    }

    @Test
    void tokenBucketRejectsFloodsAndRefills() throws Exception {
        CommandHandler h = handler(gateway(CommandOutcome.accepted()), new CommandHandler.Settings(8192, Duration.ofSeconds(300), 3, 1, true, 100));
        for (int i = 0; i < 5; i++) h.handle(req("stop", "{\"id\":\"r" + i + "\",\"deadline\":\"" + deadline() + "\"}"));
        assertEquals(3, submitted.size());
        assertEquals(2, answers.stream().filter(a -> a.reasons().equals(List.of("rate-limited"))).count());
        nanos.addAndGet(1_000_000_000L);
        h.handle(req("stop", "{\"id\":\"r4\",\"deadline\":\"" + deadline() + "\"}")); // the rate-limited id may retry
        assertEquals(4, submitted.size());
    }

    @Test
    void rebirthIsHandledHereAndAccepted() throws Exception {
        CommandHandler h = handler(gateway(CommandOutcome.accepted()), CommandHandler.Settings.defaults());
        h.handle(req("rebirth", "{\"id\":\"b\",\"deadline\":\"" + deadline() + "\"}"));
        assertEquals(1, rebirths.get());
        assertEquals("accepted", lastAnswer().get("status").asText());
        assertTrue(submitted.isEmpty());
    }

    /** The resend command: range checks here, the journal's answer from the resender, once per id, never to the loop. */
    @Test
    void resendChecksTheRangeAsksTheJournalOnceAndNeverReachesTheLoop() throws Exception {
        List<long[]> asked = new ArrayList<>();
        CommandHandler.Resender journal = (from, to) -> {
            asked.add(new long[] {from, to});
            return from < 100 ? CommandOutcome.rejected("not-stored: the journal keeps seq 100..500") : CommandOutcome.accepted();
        };
        CommandHandler h = new CommandHandler("dev-1", gateway(CommandOutcome.accepted()), events::add, () -> "s-1",
                rebirths::incrementAndGet, journal, Runnable::run, answers::add, nanos::get, () -> NOW, CommandHandler.Settings.defaults());
        String ok = "{\"id\":\"rs1\",\"deadline\":\"" + deadline() + "\",\"fromSeq\":120,\"toSeq\":130}";
        h.handle(req("resend", ok));
        assertEquals("accepted", lastAnswer().get("status").asText());
        h.handle(req("resend", ok)); // a repeat: the first answer, not queued again
        assertTrue(lastAnswer().get("duplicate").asBoolean());
        assertEquals(1, asked.size());
        assertEquals(120, asked.get(0)[0]);
        assertEquals(130, asked.get(0)[1]);

        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("not-stored: the journal keeps seq 100..500", "\"fromSeq\":5,\"toSeq\":9");
        cases.put("invalid: toSeq 9 is below fromSeq 120", "\"fromSeq\":120,\"toSeq\":9");
        cases.put("range-too-large: at most 10000", "\"fromSeq\":100,\"toSeq\":10100");
        cases.put("schema", "\"fromSeq\":0,\"toSeq\":9");
        cases.put("schema:", "\"fromSeq\":1.5,\"toSeq\":9");
        cases.put("schema: ", "\"fromSeq\":120");
        int i = 0;
        for (Map.Entry<String, String> c : cases.entrySet()) {
            h.handle(req("resend", "{\"id\":\"rb" + i++ + "\",\"deadline\":\"" + deadline() + "\"," + c.getValue() + "}"));
            JsonNode a = lastAnswer();
            assertEquals("rejected", a.get("status").asText(), c.getKey());
            assertTrue(a.get("reasons").get(0).asText().startsWith(c.getKey().strip()), c.getKey() + " → " + a.get("reasons"));
        }
        h.handle(req("resend", "{\"id\":\"rx\",\"deadline\":\"" + NOW.minusSeconds(1) + "\",\"fromSeq\":120,\"toSeq\":130}"));
        assertTrue(lastAnswer().get("reasons").get(0).asText().startsWith("expired"));
        assertEquals(2, asked.size(), "only the in-range and the not-stored ones reached the journal");
        assertTrue(submitted.isEmpty(), "resend never goes to the loop");
        assertEquals(8, events.stream().filter(e -> e.type().equals("command-result")).count(), "every first answer is journaled");

        CommandHandler plain = handler(gateway(CommandOutcome.accepted()), CommandHandler.Settings.defaults());
        plain.handle(req("resend", ok));
        assertTrue(lastAnswer().get("reasons").get(0).asText().startsWith("resend-unavailable"));
    }

    @Test
    void javaBoundsMatchTheSchemaFiles() {
        JsonNode p = Schemas.get("tensd.cmd.start-session.v1").getSchemaNode().at("/properties/prescription/properties");
        assertEquals(CommandHandler.MAX_MILLIAMPS, p.at("/targetMilliAmps/maximum").asDouble());
        assertEquals(CommandHandler.MAX_FREQUENCY_HZ, p.at("/frequencyHz/maximum").asDouble());
        assertEquals(CommandHandler.MIN_FREQUENCY_HZ, p.at("/frequencyHz/minimum").asDouble());
        assertEquals(CommandHandler.MAX_PULSE_WIDTH_MICROS, p.at("/pulseWidthMicros/maximum").asInt());
        assertEquals(CommandHandler.MIN_PULSE_WIDTH_MICROS, p.at("/pulseWidthMicros/minimum").asInt());
        assertEquals(CommandHandler.MAX_DURATION_MINUTES, p.at("/durationMinutes/maximum").asInt());
        assertEquals(CommandHandler.MAX_HEAT_CELSIUS, p.at("/heatSetpointCelsius/maximum").asDouble());
        assertEquals(CommandHandler.MAX_MILLIAMPS,
                Schemas.get("tensd.cmd.set-intensity.v1").getSchemaNode().at("/properties/milliAmps/maximum").asDouble());
        assertEquals(CommandHandler.MAX_HEAT_CELSIUS,
                Schemas.get("tensd.cmd.set-heat.v1").getSchemaNode().at("/properties/setpointCelsius/maximum").asDouble());
    }

    /**
     * ≥100,000 fuzzed payloads (mutated valid commands, random JSON, random bytes): no exception escapes,
     * every request gets exactly one answer with a reason when rejected, and nothing outside the schema
     * bounds reaches the loop.
     */
    @Test
    void fuzzedPayloadsAreAlwaysAnsweredAndNeverExceedBounds() {
        long seed = new Random().nextLong();
        Random rnd = new Random(seed);
        List<String> violations = Collections.synchronizedList(new ArrayList<>());
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        CommandGateway checking = (cmd, reply) -> {
            String bad = outOfBounds(cmd);
            if (bad != null) violations.add(bad);
            reply.accept(switch (rnd.nextInt(3)) {
                case 0 -> CommandOutcome.accepted();
                case 1 -> CommandOutcome.clamped(List.of("fuzz clamp"));
                default -> CommandOutcome.rejected("fuzz reject");
            });
        };
        List<CommandHandler.Answer> got = new ArrayList<>();
        CommandHandler h = new CommandHandler("dev-1", checking, e -> { }, () -> null, () -> { }, Runnable::run,
                got::add, nanos::get, () -> NOW, new CommandHandler.Settings(8192, Duration.ofSeconds(300), 1e9, 1e9, true, 4096));
        int n = 100_000;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            String name = pick(rnd, new String[] {"start-session", "stop", "pause", "resume", "set-intensity", "set-heat",
                    "rebirth", "clear", "x", "", "set-intensity/../stop"});
            byte[] payload = fuzzPayload(rnd, name, i);
            int before = got.size();
            try {
                h.handle(new CommandHandler.Request(name, payload, rnd.nextInt(10) == 0 ? null : (long) rnd.nextInt(60),
                        rnd.nextBoolean() ? "r" : null, null));
            } catch (RuntimeException e) {
                fail("seed " + seed + " case " + i + ": " + e + " for " + new String(payload, StandardCharsets.UTF_8));
            }
            if (got.size() != before + 1) fail("seed " + seed + " case " + i + ": " + (got.size() - before) + " answers");
            CommandHandler.Answer a = got.get(got.size() - 1);
            if (a.status().equals("rejected") && a.reasons().isEmpty()) fail("seed " + seed + ": rejected without a reason");
            outcomes.computeIfAbsent(a.status() + (a.status().equals("rejected") ? ":" + a.reasons().get(0).split("[: ]")[0] : ""),
                    k -> new AtomicInteger()).incrementAndGet();
            if (got.size() > 1000) got.clear();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        assertTrue(violations.isEmpty(), "seed " + seed + ": " + violations.subList(0, Math.min(5, violations.size())));
        System.out.printf("fuzz: %d payloads in %.1f s (%.0f/s), seed %d, outcomes %s%n", n, secs, n / secs, seed, new java.util.TreeMap<>(outcomes));
        assertTrue(outcomes.keySet().stream().anyMatch(k -> k.startsWith("accepted")), "the fuzz reaches the loop too");
        assertFalse(outcomes.keySet().stream().noneMatch(k -> k.startsWith("rejected:schema")));
    }

    static String outOfBounds(SessionCommand c) {
        if (c.source() != SessionCommand.Source.REMOTE) return "non-remote " + c;
        if (c instanceof SessionCommand.SetIntensity s && !(s.milliAmps() >= 0 && s.milliAmps() <= CommandHandler.MAX_MILLIAMPS)) return c.toString();
        if (c instanceof SessionCommand.SetHeat s && s.setpointCelsius().isPresent()) {
            double v = s.setpointCelsius().getAsDouble();
            if (!(v >= CommandHandler.MIN_HEAT_CELSIUS && v <= CommandHandler.MAX_HEAT_CELSIUS)) return c.toString();
        }
        if (c instanceof SessionCommand.StartSession s) {
            Prescription p = s.prescription();
            boolean ok = p.targetMilliAmps() >= 0 && p.targetMilliAmps() <= p.maxMilliAmps() && p.maxMilliAmps() <= CommandHandler.MAX_MILLIAMPS
                    && p.frequencyHz() >= CommandHandler.MIN_FREQUENCY_HZ && p.frequencyHz() <= CommandHandler.MAX_FREQUENCY_HZ
                    && p.pulseWidthMicros() >= CommandHandler.MIN_PULSE_WIDTH_MICROS && p.pulseWidthMicros() <= CommandHandler.MAX_PULSE_WIDTH_MICROS
                    && p.durationMinutes() >= CommandHandler.MIN_DURATION_MINUTES && p.durationMinutes() <= CommandHandler.MAX_DURATION_MINUTES
                    && p.heat().map(hh -> hh.setpointCelsius() >= CommandHandler.MIN_HEAT_CELSIUS && hh.setpointCelsius() <= CommandHandler.MAX_HEAT_CELSIUS).orElse(true)
                    && p.program() != null && p.program().matches("[a-z][a-z0-9-]{0,31}");
            if (!ok) return c.toString();
        }
        return null;
    }

    private static final Object[] NUMBERS = {0, -1, 1, 0.5, 20, 43, 43.0001, 100, 100.0000001, 1e308, -1e308, "1e400", "-0.0", 250, 251,
            1000, 1001, 19, 120, 121, Long.MAX_VALUE, "12345678901234567890123", "NaN", "\"10\"", "null", "true", "[]", "{}", 2.5e-320};

    static byte[] fuzzPayload(Random rnd, String name, int i) {
        int mode = rnd.nextInt(10);
        if (mode == 0) {
            byte[] b = new byte[rnd.nextInt(64)];
            rnd.nextBytes(b);
            return b;
        }
        ObjectNode n = Wire.JSON.createObjectNode();
        if (rnd.nextInt(20) != 0) n.put("id", rnd.nextInt(50) == 0 ? "x".repeat(70) : "f" + i);
        int dl = rnd.nextInt(12);
        if (dl < 8) n.put("deadline", NOW.plusSeconds(5 + rnd.nextInt(200)).toString());
        else if (dl == 8) n.put("deadline", NOW.minusSeconds(1).toString());
        else if (dl == 9) n.put("deadline", "tomorrow");
        else if (dl == 10) n.put("deadline", rnd.nextInt());
        String body = null;
        switch (name) {
            case "set-intensity" -> body = "\"milliAmps\":" + num(rnd);
            case "set-heat" -> body = "\"setpointCelsius\":" + num(rnd);
            case "start-session" -> body = "\"prescription\":{\"program\":" + pick(rnd, new String[] {"\"conventional\"", "\"burst\"", "\"Bad Name\"", "7", "null"})
                    + ",\"frequencyHz\":" + num(rnd) + ",\"pulseWidthMicros\":" + num(rnd) + ",\"targetMilliAmps\":" + num(rnd)
                    + ",\"maxMilliAmps\":" + num(rnd) + ",\"durationMinutes\":" + num(rnd)
                    + (rnd.nextBoolean() ? ",\"heatSetpointCelsius\":" + num(rnd) : "") + "}";
            default -> { }
        }
        if (rnd.nextInt(10) == 0) n.put("extra", "field");
        String json = n.toString();
        if (body != null && rnd.nextInt(15) != 0) json = json.substring(0, json.length() - 1) + (n.isEmpty() ? "" : ",") + body + "}";
        if (rnd.nextInt(15) == 0) json = json.substring(0, rnd.nextInt(json.length() + 1)); // truncated
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static String num(Random rnd) {
        if (rnd.nextInt(3) == 0) return Double.toString((rnd.nextDouble() * 300) - 50);
        return String.valueOf(NUMBERS[rnd.nextInt(NUMBERS.length)]);
    }

    private static String pick(Random rnd, String[] options) { return options[rnd.nextInt(options.length)]; }
}
