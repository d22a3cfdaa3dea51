package io.tensd.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tensd.loop.Clock;
import io.tensd.session.CommandGateway;
import io.tensd.session.CommandOutcome;
import io.tensd.session.EventSink;
import io.tensd.session.SessionCommand;
import io.tensd.session.SessionCommand.Source;
import io.tensd.session.SessionEvent;
import io.tensd.therapy.Prescription;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Turns remote command messages into {@link SessionCommand}s (source REMOTE) and answers each one exactly
 * once: accepted, clamped (with the loop's reasons) or rejected (with a reason).
 *
 * <p>Order of checks: size → JSON → duplicate id (answered with the first answer, not run again) → rate
 * limit → known command → JSON Schema → deadline and MQTT message expiry → bounds (again, in Java) → the
 * loop. {@link #handle} runs on the MQTT callback thread and never waits: the loop's reply arrives on the
 * loop thread and is finished on {@code answerExecutor}.
 *
 * <p>There is no remote "clear": a latched fault is cleared only at the device. No command raises a limit;
 * the numbers here are only the schema's outer bounds, the loop clamps to the limits file.
 */
public final class CommandHandler {

    /** One received command message. {@code messageExpirySeconds} is the MQTT v5 property, null when absent. */
    public record Request(String name, byte[] payload, Long messageExpirySeconds, String responseTopic,
                          byte[] correlationData) { }

    /** The answer to one request; {@code payload} is the tensd.cmd-response.v1 JSON. */
    public record Answer(Request request, String commandId, String status, List<String> reasons, boolean duplicate,
                         boolean noChange, byte[] payload, List<io.tensd.session.Clamp> clamps) {
        public Answer(Request request, String commandId, String status, List<String> reasons, boolean duplicate,
                      boolean noChange, byte[] payload) {
            this(request, commandId, status, reasons, duplicate, noChange, payload, List.of());
        }

        public Answer(Request request, String commandId, String status, List<String> reasons, boolean duplicate, byte[] payload) {
            this(request, commandId, status, reasons, duplicate, false, payload, List.of());
        }
    }

    /**
     * Publishes journaled entries {@code fromSeq..toSeq} again (the {@code resend} command). Returns at once with
     * accepted (queued for the publisher) or rejected with the reason (e.g. the range is no longer stored).
     */
    @FunctionalInterface
    public interface Resender {
        CommandOutcome resend(long fromSeq, long toSeq);
    }

    /** Seqs one resend command may ask for (the schema says so too); larger gaps are asked for in parts. */
    public static final long MAX_RESEND_SEQS = 10_000;

    @FunctionalInterface
    public interface Responder {
        /** Called once per request, off the loop thread. */
        void answer(Answer answer);
    }

    /**
     * @param maxPayloadBytes  larger messages are rejected unread
     * @param maxDeadlineAhead a deadline further ahead is rejected (a command must not live long)
     * @param burst            token bucket capacity
     * @param perSecond        token bucket refill
     * @param requireMessageExpiry reject commands without the MQTT message expiry property
     * @param rememberedIds    how many answered ids are kept for duplicate detection
     */
    public record Settings(int maxPayloadBytes, Duration maxDeadlineAhead, double burst, double perSecond,
                           boolean requireMessageExpiry, int rememberedIds) {
        public static Settings defaults() { return new Settings(8192, Duration.ofSeconds(300), 10, 5, true, 4096); }
    }

    public static final Set<String> COMMANDS =
            Set.of("start-session", "stop", "pause", "resume", "set-intensity", "set-heat", "rebirth", "resend");

    // Outer bounds, identical to the JSON Schemas (a test checks they agree).
    static final double MAX_MILLIAMPS = 100;
    static final double MIN_FREQUENCY_HZ = 1, MAX_FREQUENCY_HZ = 250;
    static final int MIN_PULSE_WIDTH_MICROS = 20, MAX_PULSE_WIDTH_MICROS = 1000;
    static final int MIN_DURATION_MINUTES = 1, MAX_DURATION_MINUTES = 120;
    static final double MIN_HEAT_CELSIUS = 25, MAX_HEAT_CELSIUS = 43;

    private final String deviceId;
    private final CommandGateway gateway;
    private final EventSink events;
    private final Supplier<String> sessionId;
    private final Runnable rebirth;
    private final Resender resender;
    private final Executor answerExecutor;
    private final Responder responder;
    private final Clock clock;
    private final Supplier<Instant> wallClock;
    private final Settings settings;
    private final TokenBucket bucket;
    private final Map<String, Object> seen;
    private volatile long runStartNanos;  // id → Answer (done) or List<Request> (waiting for the first answer)

    final AtomicLong received = new AtomicLong();
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong clamped = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    final AtomicLong rateLimited = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong handled = new AtomicLong();

    public CommandHandler(String deviceId, CommandGateway gateway, EventSink events, Supplier<String> sessionId,
                          Runnable rebirth, Executor answerExecutor, Responder responder, Clock clock,
                          Supplier<Instant> wallClock, Settings settings) {
        this(deviceId, gateway, events, sessionId, rebirth,
                (from, to) -> CommandOutcome.rejected("resend-unavailable: this device keeps no journal to resend from"),
                answerExecutor, responder, clock, wallClock, settings);
    }

    public CommandHandler(String deviceId, CommandGateway gateway, EventSink events, Supplier<String> sessionId,
                          Runnable rebirth, Resender resender, Executor answerExecutor, Responder responder, Clock clock,
                          Supplier<Instant> wallClock, Settings settings) {
        this.deviceId = deviceId;
        this.gateway = gateway;
        this.events = events;
        this.sessionId = sessionId;
        this.rebirth = rebirth;
        this.resender = resender;
        this.answerExecutor = answerExecutor;
        this.responder = responder;
        this.clock = clock;
        this.wallClock = wallClock;
        this.settings = settings;
        this.bucket = new TokenBucket(settings.burst(), settings.perSecond());
        this.runStartNanos = clock.nanos();
        int max = settings.rememberedIds();
        this.seen = new LinkedHashMap<>(256, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
                return size() > max && eldest.getValue() instanceof Answer;
            }
        };
        // warm the schemas so the first command is not slow
        for (String c : COMMANDS) Schemas.get(Schemas.command(c));
    }

    /** Handles one message; returns at once. Exactly one answer follows (now or after the loop replies). */
    public void handle(Request r) {
        try {
            check(r);
        } finally {
            handled.incrementAndGet(); // answered, or queued to the loop: it takes effect at the loop's next tick
        }
    }

    /** Messages fully handled so far: each was answered or is in the loop's queue. */
    public long handled() { return handled.get(); }

    private void check(Request r) {
        received.incrementAndGet();
        String name = r.name();
        if (r.payload() == null || r.payload().length > settings.maxPayloadBytes()) {
            finish(r, null, CommandOutcome.rejected("payload-too-large: at most " + settings.maxPayloadBytes() + " bytes"), true);
            return;
        }
        JsonNode json;
        try {
            json = Wire.JSON.readTree(r.payload());
        } catch (IOException | RuntimeException e) {
            finish(r, null, CommandOutcome.rejected("invalid-json"), true);
            return;
        }
        String id = json != null && json.path("id").isTextual() ? json.get("id").asText() : null;
        if (id != null && id.length() > 64) id = null; // the schema rejects it below; not worth remembering
        if (id != null && duplicateOf(id, r)) return;
        if (!bucket.tryAcquire(clock.nanos())) {
            rateLimited.incrementAndGet();
            // not remembered and not journaled: a repeat after the wait runs, and a flood cannot fill the journal
            answer(r, id, CommandOutcome.rejected("rate-limited"), false);
            forget(id, r);
            return;
        }
        if (json == null || !json.isObject()) {
            finish(r, id, CommandOutcome.rejected("invalid-json: a command is a JSON object"), true);
            return;
        }
        if ("clear".equals(name)) {
            finish(r, id, CommandOutcome.rejected("no-remote-clear: a latched fault is cleared only at the device, after its cause is gone"), true);
            return;
        }
        if (name == null || !COMMANDS.contains(name)) {
            finish(r, id, CommandOutcome.rejected("unknown-command: " + safe(name)), true);
            return;
        }
        List<String> errors = Schemas.validate(Schemas.command(name), json);
        if (!errors.isEmpty()) {
            finish(r, id, CommandOutcome.rejected("schema: " + String.join("; ", errors.subList(0, Math.min(5, errors.size())))), true);
            return;
        }
        String expiry = checkExpiry(r, json.get("deadline").asText());
        if (expiry != null) {
            finish(r, id, CommandOutcome.rejected(expiry), true);
            return;
        }
        if ("resend".equals(name)) {
            resend(r, id, json.get("fromSeq").asLong(), json.get("toSeq").asLong());
            return;
        }
        SessionCommand cmd;
        try {
            cmd = toCommand(name, json);
        } catch (IllegalArgumentException e) {
            finish(r, id, CommandOutcome.rejected(e.getMessage()), true);
            return;
        }
        final String fid = id;
        if (cmd == null) { // rebirth
            try {
                answerExecutor.execute(() -> {
                    rebirth.run();
                    finish(r, fid, CommandOutcome.accepted(), true);
                });
            } catch (RejectedExecutionException stopping) {
                finish(r, fid, CommandOutcome.rejected("shutting-down"), true);
            }
            return;
        }
        gateway.submit(cmd, outcome -> {
            // loop thread: hand over at once, never publish or log here
            try {
                answerExecutor.execute(() -> finish(r, fid, outcome, true));
            } catch (RejectedExecutionException stopping) {
                // the service is stopping: the answer cannot be sent any more
            }
        });
    }

    public long received() { return received.get(); }

    /** The range is checked here, then queued off the callback thread; the answer says whether it was queued. */
    private void resend(Request r, String id, long fromSeq, long toSeq) {
        if (toSeq < fromSeq) {
            finish(r, id, CommandOutcome.rejected("invalid: toSeq " + toSeq + " is below fromSeq " + fromSeq), true);
            return;
        }
        if (toSeq - fromSeq + 1 > MAX_RESEND_SEQS) {
            finish(r, id, CommandOutcome.rejected("range-too-large: at most " + MAX_RESEND_SEQS + " seq per resend"), true);
            return;
        }
        try {
            answerExecutor.execute(() -> finish(r, id, resender.resend(fromSeq, toSeq), true));
        } catch (RejectedExecutionException stopping) {
            finish(r, id, CommandOutcome.rejected("shutting-down"), true);
        }
    }

    /** Where the answers' {@code monoMs} counts from (the daemon run's start on {@code clock}). */
    void runStartNanos(long nanos) { this.runStartNanos = nanos; }

    // ---- checks

    private String checkExpiry(Request r, String deadlineText) {
        Instant deadline;
        try {
            deadline = OffsetDateTime.parse(deadlineText).toInstant();
        } catch (DateTimeParseException e) {
            return "invalid-deadline: ISO-8601 with offset expected";
        }
        Instant now = wallClock.get();
        if (!deadline.isAfter(now)) return "expired: deadline " + deadlineText + " has passed";
        if (Duration.between(now, deadline).compareTo(settings.maxDeadlineAhead()) > 0) {
            return "deadline-too-far: at most " + settings.maxDeadlineAhead().toSeconds() + " s ahead";
        }
        if (r.messageExpirySeconds() == null) {
            if (settings.requireMessageExpiry()) return "missing-message-expiry: set the MQTT v5 message expiry interval";
        } else if (r.messageExpirySeconds() <= 0) {
            return "expired: MQTT message expiry reached";
        }
        return null;
    }

    /** The command, or null for rebirth. Re-checks every number against the schema bounds (defence in depth). */
    static SessionCommand toCommand(String name, JsonNode json) {
        return switch (name) {
            // a named state, never the patient's PAUSE toggle: a retry must not undo the first
            case "stop" -> new SessionCommand.Want(SessionCommand.Target.STOPPED, Source.REMOTE);
            case "pause" -> new SessionCommand.Want(SessionCommand.Target.PAUSED, Source.REMOTE);
            case "resume" -> new SessionCommand.Want(SessionCommand.Target.RUNNING, Source.REMOTE);
            case "rebirth" -> null;
            case "set-intensity" -> new SessionCommand.SetIntensity(number(json, "milliAmps", 0, MAX_MILLIAMPS), Source.REMOTE);
            case "set-heat" -> {
                JsonNode sp = json.get("setpointCelsius");
                yield new SessionCommand.SetHeat(sp == null || sp.isNull() ? OptionalDouble.empty()
                        : OptionalDouble.of(number(json, "setpointCelsius", MIN_HEAT_CELSIUS, MAX_HEAT_CELSIUS)), Source.REMOTE);
            }
            case "start-session" -> {
                JsonNode p = json.get("prescription");
                double target = number(p, "targetMilliAmps", 0, MAX_MILLIAMPS);
                double max = number(p, "maxMilliAmps", 0, MAX_MILLIAMPS);
                if (target > max) throw new IllegalArgumentException("invalid: targetMilliAmps above maxMilliAmps");
                JsonNode heat = p.get("heatSetpointCelsius");
                Optional<Prescription.Heat> h = heat == null || heat.isNull() ? Optional.empty()
                        : Optional.of(new Prescription.Heat(number(p, "heatSetpointCelsius", MIN_HEAT_CELSIUS, MAX_HEAT_CELSIUS)));
                yield new SessionCommand.StartSession(new Prescription(p.get("program").asText(),
                        number(p, "frequencyHz", MIN_FREQUENCY_HZ, MAX_FREQUENCY_HZ),
                        integer(p, "pulseWidthMicros", MIN_PULSE_WIDTH_MICROS, MAX_PULSE_WIDTH_MICROS),
                        target, max,
                        integer(p, "durationMinutes", MIN_DURATION_MINUTES, MAX_DURATION_MINUTES), h,
                        screening(p.get("screening"))), Source.REMOTE);
            }
            default -> throw new IllegalArgumentException("unknown-command: " + safe(name));
        };
    }

    /** The clinician's answers; a question left out stays unanswered, which the session refuses. */
    private static io.tensd.therapy.Screening screening(JsonNode s) {
        java.util.Map<io.tensd.therapy.Screening.RedFlag, Boolean> answers =
                new java.util.EnumMap<>(io.tensd.therapy.Screening.RedFlag.class);
        if (s != null && s.isObject()) {
            for (io.tensd.therapy.Screening.RedFlag f : io.tensd.therapy.Screening.RedFlag.values()) {
                JsonNode v = s.get(f.wireName());
                if (v != null && v.isBoolean()) {
                    answers.put(f, v.asBoolean());
                }
            }
        }
        JsonNode src = s == null ? null : s.get("source");
        return new io.tensd.therapy.Screening(answers, src != null && src.isTextual() ? src.asText() : "clinic");
    }

    private static double number(JsonNode n, String field, double min, double max) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || !v.isNumber()) throw new IllegalArgumentException("invalid: " + field + " must be a number");
        double d = v.asDouble();
        if (!Double.isFinite(d) || d < min || d > max) {
            throw new IllegalArgumentException("invalid: " + field + " outside " + min + ".." + max);
        }
        return d;
    }

    private static int integer(JsonNode n, String field, int min, int max) {
        double d = number(n, field, min, max);
        if (d != Math.rint(d)) throw new IllegalArgumentException("invalid: " + field + " must be a whole number");
        return (int) d;
    }

    private static String safe(String s) {
        if (s == null) return "(none)";
        String t = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        return t.replaceAll("[^A-Za-z0-9_.:-]", "?");
    }

    // ---- duplicates and answers

    /** True if {@code id} was seen: answered now with the first answer, or queued behind the first. */
    private boolean duplicateOf(String id, Request r) {
        Answer first;
        synchronized (seen) {
            Object prior = seen.get(id);
            if (prior == null) {
                seen.put(id, new ArrayList<Request>());
                return false;
            }
            duplicates.incrementAndGet();
            if (prior instanceof Answer a) {
                first = a;
            } else {
                @SuppressWarnings("unchecked") List<Request> waiting = (List<Request>) prior;
                waiting.add(r);
                return true;
            }
        }
        repeat(first, r);
        return true;
    }

    private void forget(String id, Request r) {
        if (id == null) return;
        List<Request> waiting;
        synchronized (seen) {
            Object prior = seen.remove(id);
            if (!(prior instanceof List<?> l) || l.isEmpty()) return;
            @SuppressWarnings("unchecked") List<Request> w = (List<Request>) l;
            waiting = w;
        }
        for (Request dup : waiting) answer(dup, id, CommandOutcome.rejected("rate-limited"), true);
    }

    /** The first answer for a request: remembered under its id, journaled as a command-result event, sent. */
    private void finish(Request r, String id, CommandOutcome outcome, boolean journal) {
        switch (outcome.status()) {
            case ACCEPTED -> accepted.incrementAndGet();
            case CLAMPED -> clamped.incrementAndGet();
            case REJECTED -> rejected.incrementAndGet();
        }
        Answer a = answer(r, id, outcome, false);
        List<Request> waiting = List.of();
        if (id != null) {
            synchronized (seen) {
                Object prior = seen.put(id, a);
                if (prior instanceof List<?> l) {
                    @SuppressWarnings("unchecked") List<Request> w = (List<Request>) l;
                    waiting = w;
                }
            }
        }
        if (journal) {
            Map<String, Object> data = new LinkedHashMap<>();
            if (id != null) data.put("commandId", id);
            data.put("command", COMMANDS.contains(r.name()) || "clear".equals(r.name()) ? r.name() : safe(r.name()));
            data.put("status", outcome.status().wire());
            data.put("reasons", outcome.reasons());
            if (outcome.noChange()) data.put("noChange", true);
            if (!outcome.clamps().isEmpty()) {
                data.put("clamps", outcome.clamps().stream().map(io.tensd.session.Clamp::text).toList());
            }
            data.put("source", "remote");
            events.emit(new SessionEvent("command-result", sessionId.get(), clock.nanos(), data));
        }
        for (Request dup : waiting) repeat(a, dup);
    }

    private void repeat(Answer first, Request dup) {
        CommandOutcome o = new CommandOutcome(CommandOutcome.Status.valueOf(first.status().toUpperCase()), first.reasons(),
                first.noChange(), first.clamps());
        answer(dup, first.commandId(), o, true);
    }

    private Answer answer(Request r, String id, CommandOutcome outcome, boolean duplicate) {
        ObjectNode n = Wire.envelope(Wire.RESPONSE_SCHEMA, deviceId, sessionId.get(), wallClock.get(),
                Math.max(0, clock.nanos() - runStartNanos) / 1_000_000L);
        if (id == null) n.putNull("id"); else n.put("id", id);
        String command = r.name() != null && (COMMANDS.contains(r.name()) || "clear".equals(r.name())) ? r.name() : null;
        if (command == null) n.putNull("command"); else n.put("command", command);
        n.put("status", outcome.status().wire());
        ArrayNode reasons = n.putArray("reasons");
        outcome.reasons().forEach(reasons::add);
        if (!outcome.clamps().isEmpty()) {
            ArrayNode clamps = n.putArray("clamps");
            for (io.tensd.session.Clamp c : outcome.clamps()) {
                clamps.addObject().put("field", c.field()).put("requested", c.requested()).put("applied", c.applied())
                        .put("reason", c.reason()).put("text", c.text());
            }
        }
        n.put("duplicate", duplicate);
        n.put("noChange", outcome.noChange());
        byte[] bytes;
        try {
            bytes = Wire.JSON.writeValueAsBytes(n);
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
        Answer a = new Answer(r, id, outcome.status().wire(), outcome.reasons(), duplicate, outcome.noChange(), bytes,
                outcome.clamps());
        responder.answer(a);
        return a;
    }
}
