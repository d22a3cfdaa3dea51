package io.tensd.telemetry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tensd.config.DeviceConfig;
import io.tensd.loop.Clock;
import io.tensd.loop.StatusSnapshot;
import io.tensd.loop.StatusSource;
import io.tensd.session.CommandGateway;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device's MQTT side: status/Will, birth, telemetry, the journaled event stream and remote commands.
 *
 * <pre>{@code
 * JournalingEventSink sink = JournalingEventSink.open(config.journalDir(), config.deviceId(), Clock.SYSTEM);
 * TelemetryService mqtt = TelemetryService.builder(config.site(), config.deviceId(), config.broker())
 *         .events(sink).status(loop::snapshot).commands(loop).birth(() -> birthMap).build();
 * mqtt.start();            // returns at once; connects (retrying) in the background
 * ...
 * mqtt.stop();             // offline, disconnect
 * sink.close();
 * }</pre>
 *
 * <p>Loss of MQTT is not a fault: nothing here ever blocks the loop, and events wait in the journal.
 * Order on every (re)connect: retained {@code status=online}, retained birth, the backlog from the publish
 * cursor in seq order (marked {@code replayed}), then live events. The cursor advances on PUBACK only.
 *
 * <p>This class owns the client, the threads and the in-flight window; one collaborator per concern runs on them.
 * Paho's callback thread never blocks: commands go to {@code CommandHandler}, host state to {@code HostRebirth}
 * (which hands the republish to the answer executor). The publisher thread runs the journaled stream, queued
 * {@code resend} ranges ({@code ResendRequests}) and the restart point after a broker switch ({@code FailoverResend}).
 * The answer sender thread drains {@code AnswerOutbox}; the answer executor finishes commands and resend requests.
 */
public final class TelemetryService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TelemetryService.class);
    private static final int WINDOW = 8;  // QoS 1 events in flight (below every broker's receive maximum)
    private static final long CURSOR_PERSIST_NANOS = 200_000_000L;

    /** Counters for the console, birth and tests. */
    public record Counters(long eventsPublished, long eventsReplayed, long telemetryPublished, long telemetryDropped,
                           long eventsDropped, long journalWriteFailures, long connects,
                           long commandsReceived, long commandsAccepted, long commandsClamped, long commandsRejected,
                           long commandsRateLimited, long commandsDuplicate, long publishRejectedByBroker) {
        Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("eventsPublished", eventsPublished);
            m.put("eventsReplayed", eventsReplayed);
            m.put("telemetryPublished", telemetryPublished);
            m.put("telemetryDropped", telemetryDropped);
            m.put("eventsDropped", eventsDropped);
            m.put("journalWriteFailures", journalWriteFailures);
            m.put("connects", connects);
            m.put("commandsReceived", commandsReceived);
            m.put("commandsAccepted", commandsAccepted);
            m.put("commandsClamped", commandsClamped);
            m.put("commandsRejected", commandsRejected);
            m.put("commandsRateLimited", commandsRateLimited);
            m.put("commandsDuplicate", commandsDuplicate);
            m.put("publishRejectedByBroker", publishRejectedByBroker);
            return m;
        }
    }

    public static Builder builder(String site, String deviceId, DeviceConfig.Broker broker) {
        return new Builder(site, deviceId, broker);
    }

    public static final class Builder {
        private final String site;
        private final String deviceId;
        private final DeviceConfig.Broker broker;
        private JournalingEventSink events;
        private StatusSource status;
        private CommandGateway commands;
        private Supplier<Map<String, Object>> birth = Map::of;
        private Clock clock = Clock.SYSTEM;
        private CommandHandler.Settings commandSettings = CommandHandler.Settings.defaults();
        private Duration firstConnectRetryMax = Duration.ofSeconds(10);
        private Long runStartNanos;
        private String clientId;

        private Builder(String site, String deviceId, DeviceConfig.Broker broker) {
            this.site = site;
            this.deviceId = deviceId;
            this.broker = Objects.requireNonNull(broker, "broker");
        }

        /** Required: the journal the loop emits into; events are published from it. */
        public Builder events(JournalingEventSink sink) { this.events = sink; return this; }

        /** Required: read at every telemetry tick. */
        public Builder status(StatusSource source) { this.status = source; return this; }

        /** Required: where remote commands go (source REMOTE). */
        public Builder commands(CommandGateway gateway) { this.commands = gateway; return this; }

        /** The birth content (versions, limits hash, config summary, current session); called on each (re)connect. */
        public Builder birth(Supplier<Map<String, Object>> content) { this.birth = content; return this; }

        public Builder clock(Clock c) { this.clock = c; return this; }

        /** Where {@code monoMs} counts from on {@link #clock}: the daemon run's start (default: the journal's). */
        public Builder runStartNanos(long nanos) { this.runStartNanos = nanos; return this; }

        public Builder commandSettings(CommandHandler.Settings s) { this.commandSettings = s; return this; }

        /** Longest wait between attempts of the first connect (backoff from 0.5 s). */
        public Builder firstConnectRetryMax(Duration d) { this.firstConnectRetryMax = d; return this; }

        /** The MQTT client id (default: the device id). */
        public Builder clientId(String id) { this.clientId = id; return this; }

        public TelemetryService build() {
            Objects.requireNonNull(events, "events (JournalingEventSink)");
            Objects.requireNonNull(status, "status (StatusSource)");
            Objects.requireNonNull(commands, "commands (CommandGateway)");
            return new TelemetryService(this);
        }
    }

    private final Topics topics;
    private final String deviceId;
    private final String clientId;
    private final DeviceConfig.Broker broker;
    private final JournalingEventSink events;
    private final StatusSource status;
    private final Supplier<Map<String, Object>> birth;
    private final Clock clock;
    private final Duration firstConnectRetryMax;
    private final CommandHandler commands;
    private final ExecutorService answers = Executors.newSingleThreadExecutor(daemon("tensd-mqtt-answers"));
    private final ScheduledExecutorService telemetryTimer = Executors.newSingleThreadScheduledExecutor(daemon("tensd-telemetry"));
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final AtomicInteger epoch = new AtomicInteger();        // bumped by every connectComplete
    private final AtomicInteger inflight = new AtomicInteger();
    private final AtomicInteger aheadWaiting = new AtomicInteger();  // answers/birth waiting for an in-flight slot
    private final ConcurrentSkipListSet<Long> acked = new ConcurrentSkipListSet<>();
    private final AtomicLong rewindTo = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong eventsPublished = new AtomicLong();
    private final AtomicLong eventsReplayed = new AtomicLong();
    private final AtomicLong telemetryPublished = new AtomicLong();
    private final AtomicLong telemetryDropped = new AtomicLong();
    private final AtomicLong telemetrySeq = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong brokerRejected = new AtomicLong();
    private final BdSeq bdSeq;
    private final long runStartNanos;
    private volatile MqttConnectionOptions options;
    private volatile MqttAsyncClient client;
    private volatile boolean running;
    private volatile String connectedTo;
    private volatile long rejectedAtNanos;
    private long ackedUpTo;           // publisher thread: every seq up to here has its PUBACK (may lead the persisted cursor)
    private long cursorPersistedAt;   // publisher thread
    private Thread publisher;
    private Thread connector;
    private Thread answerSender;
    // the collaborators, one responsibility each; the threads above (and Paho's) run them
    private final AnswerOutbox outbox;
    private final ResendRequests resends;
    private final FailoverResend failover = new FailoverResend();
    private final HostRebirth host = new HostRebirth(answers, this::republishForHost);

    private TelemetryService(Builder b) {
        this.topics = new Topics(b.site, b.deviceId);
        this.deviceId = b.deviceId;
        this.clientId = b.clientId != null ? b.clientId : b.deviceId;
        this.broker = b.broker;
        this.events = b.events;
        this.status = b.status;
        this.birth = b.birth;
        this.clock = b.clock;
        this.firstConnectRetryMax = b.firstConnectRetryMax;
        this.runStartNanos = b.runStartNanos != null ? b.runStartNanos : b.events.runStartNanos();
        this.outbox = new AnswerOutbox(() -> client, () -> running, this::signal);
        this.resends = new ResendRequests(events, this::signal);
        this.commands = new CommandHandler(deviceId, b.commands, events, this::currentSessionId, this::publishBirth,
                resends::resend, answers, outbox::answer, clock, Instant::now, b.commandSettings);
        this.commands.runStartNanos(runStartNanos);
        this.bdSeq = new BdSeq(events.journal().dir().resolve("bdseq"));
        events.onRecorded(seq -> signal());
    }

    public Topics topics() { return topics; }

    public JournalingEventSink events() { return events; }

    /** The broker of the current or last connection (one of the configured urls), or null before the first. */
    public String connectedTo() { return connectedTo; }

    public boolean isConnected() {
        MqttAsyncClient c = client;
        return c != null && c.isConnected();
    }

    /** Starts telemetry and connects in the background (retrying the first connect; Paho reconnects after). */
    public synchronized void start() throws IOException {
        if (running) return;
        running = true;
        MqttConnectionOptions opts = connectionOptions();
        options = opts;
        nextConnection();
        try {
            client = new MqttAsyncClient(broker.url(), clientId, new MemoryPersistence());
        } catch (MqttException e) {
            throw new IOException("MQTT client for " + broker.url() + ": " + e.getMessage(), e);
        }
        client.setCallback(new Callback());
        publisher = new Thread(this::publishLoop, "tensd-mqtt-publisher");
        publisher.setDaemon(true);
        publisher.start();
        answerSender = new Thread(outbox::sendAll, "tensd-mqtt-answer-sender");
        answerSender.setDaemon(true);
        answerSender.start();
        connector = new Thread(() -> firstConnect(opts), "tensd-mqtt-connect");
        connector.setDaemon(true);
        connector.start();
        long period = Math.max(10, broker.telemetryPeriodMillis());
        telemetryTimer.scheduleAtFixedRate(this::publishTelemetry, period, period, TimeUnit.MILLISECONDS);
    }

    /** Waits until connected (tests, `simulate`); therapy never waits for this. */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (isConnected() && connects.get() > 0) return true;
            Thread.sleep(5);
        }
        return false;
    }

    /** Waits until every recorded event is acknowledged by the broker. */
    public boolean awaitDelivered(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            Journal j = events.journal();
            if (j.ackedSeq() >= j.durableSeq()) return true;
            Thread.sleep(5);
        }
        return false;
    }

    /** Publishes offline (retained), disconnects, stops threads. Waits up to ~1 s for the backlog first. */
    public synchronized void stop() {
        if (!running) return;
        try {
            if (isConnected()) awaitDelivered(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running = false;
        telemetryTimer.shutdownNow();
        signal();
        MqttAsyncClient c = client;
        if (c != null) {
            try {
                if (c.isConnected()) {
                    c.publish(topics.status(), statusMessage("offline", "shutdown")).waitForCompletion(2000);
                    c.disconnect(2000).waitForCompletion(3000);
                }
            } catch (MqttException e) {
                log.warn("MQTT disconnect: {}", e.getMessage());
            }
            try {
                c.disconnectForcibly(0, 100, false);
            } catch (MqttException ignored) {
                // already disconnected
            }
            try {
                c.close(true);
            } catch (MqttException ignored) {
                // nothing left to release
            }
        }
        answers.shutdown();
        join(connector);
        join(publisher);
        join(answerSender);
    }

    @Override
    public void close() { stop(); }

    public Counters counters() {
        return new Counters(eventsPublished.get(), eventsReplayed.get(), telemetryPublished.get(), telemetryDropped.get(),
                events.droppedEvents(), events.writeFailures(), connects.get(),
                commands.received.get(), commands.accepted.get(), commands.clamped.get(), commands.rejected.get(),
                commands.rateLimited.get(), commands.duplicates.get(), brokerRejected.get());
    }

    CommandHandler commandHandler() { return commands; }

    /** Journal entries published again on a {@code resend} command and acknowledged by the broker. */
    public long eventsResent() { return resends.eventsResent(); }

    /** Command messages handled so far (answered, or queued to the loop for its next tick). */
    public long commandsHandled() { return commands.handled(); }

    // ---- connection

    private MqttConnectionOptions connectionOptions() throws IOException {
        MqttConnectionOptions o = new MqttConnectionOptions();
        // Paho tries these in order on every connect and automatic reconnect: a dead broker costs one refused or
        // timed-out attempt, then the next one is used. The journal makes the switch lossless (see FailoverResend).
        o.setServerURIs(broker.urls().toArray(new String[0]));
        o.setCleanStart(true);                // the journal, not the broker session, is what makes delivery complete
        o.setSessionExpiryInterval(0L);
        o.setKeepAliveInterval(broker.keepAliveSeconds());
        o.setConnectionTimeout(10);
        o.setAutomaticReconnect(true);
        o.setAutomaticReconnectDelay(1, 10);
        // Paho 1.2.5 ignores the max above: its reconnect delay doubles from 1 s up to maxReconnectDelay (ms,
        // default 128 s). Without this a broker back after a 20 s outage was reconnected to 23 s later (measured).
        o.setMaxReconnectDelay(10_000);
        String user = broker.username() != null ? broker.username() : broker.passwordFile() != null ? deviceId : null;
        if (user != null) o.setUserName(user);
        if (broker.passwordFile() != null) o.setPassword(readPassword(broker.passwordFile()));
        if (broker.url().startsWith("ssl://")) {
            try {
                o.setSocketFactory(new NoDelaySocketFactories.Tls(
                        TlsContexts.fromPem(broker.caFile(), broker.clientCertFile(), broker.clientKeyFile()).getSocketFactory()));
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException("TLS setup: " + e.getMessage(), e);
            }
            o.setHttpsHostnameVerificationEnabled(true);
        } else {
            o.setSocketFactory(new NoDelaySocketFactories.Plain());
        }
        return o;
    }

    static byte[] readPassword(Path file) throws IOException {
        String problem = io.tensd.config.SecretFiles.problem(file);
        if (problem != null) {
            throw new IOException("password file " + file + " " + problem);
        }
        String s = Files.readString(file, StandardCharsets.UTF_8);
        int nl = s.indexOf('\n');
        return (nl >= 0 ? s.substring(0, nl) : s).strip().getBytes(StandardCharsets.UTF_8);
    }

    private void firstConnect(MqttConnectionOptions opts) {
        long backoff = 500;
        int attempt = 0;
        while (running) {
            attempt++;
            try {
                client.connect(opts).waitForCompletion(15_000);
                return; // Paho's automatic reconnect takes over from here
            } catch (MqttException e) {
                if (attempt == 1 || attempt % 10 == 0) {
                    log.warn("MQTT connect to {} failed (attempt {}): {}; retrying, therapy is not affected",
                            String.join(", ", broker.urls()), attempt, e.getMessage());
                }
            }
            sleep(backoff);
            backoff = Math.min(firstConnectRetryMax.toMillis(), backoff * 2);
        }
    }

    private final class Callback implements MqttCallback {
        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            MqttAsyncClient c = client;
            if (c != null) PahoClients.noOutgoingTopicAliases(c); // before anything of ours is published on it
            connectedTo = serverURI;
            connects.incrementAndGet();
            epoch.incrementAndGet();
            signal(); // the publisher thread does the rest: never block or subscribe here
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            failover.lost(System.nanoTime());
            log.warn("MQTT connection to {} lost: {}", connectedTo, response == null ? "?" : response.getException() != null
                    ? response.getException().toString() : "reason code " + response.getReturnCode() + " " + response.getReasonString());
            nextConnection(); // before Paho's reconnect (≥ 1 s later) sends the options again
            signal();
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            log.warn("MQTT error: {}", exception.getMessage());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            if (topic.equals(topics.hostState())) {
                host.arrived(message.getPayload());
                return;
            }
            String name = topics.commandName(topic);
            if (name == null) return;
            MqttProperties p = message.getProperties();
            Long expiry = p == null ? null : p.getMessageExpiryInterval();
            commands.handle(new CommandHandler.Request(name, message.getPayload(), expiry,
                    p == null ? null : p.getResponseTopic(), p == null ? null : p.getCorrelationData()));
        }

        @Override
        public void deliveryComplete(IMqttToken token) { }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) { }
    }

    // ---- the journaled stream

    private void publishLoop() {
        try {
            publish();
        } finally {
            try {
                advanceCursor(true); // persist what the broker acknowledged before we stop
            } catch (IOException | RuntimeException e) {
                log.warn("publish cursor not saved at stop: {}", e.toString());
            }
        }
    }

    private void publish() {
        int seenEpoch = 0;
        long nextToSend = 1;
        long replayBoundary = 0;
        failover.start(System.nanoTime(), events.journal().ackedSeq());
        while (running) {
            lock.lock();
            try {
                wake.await(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                advanceCursor(false);
                MqttAsyncClient c = client;
                if (c == null || !c.isConnected()) continue;
                int ep = epoch.get();
                // Paho reports connected before connectComplete has run: nothing goes out before status and birth
                if (ep == 0) continue;
                if (ep != seenEpoch) {
                    seenEpoch = ep;
                    inflight.set(0);
                    acked.clear();
                    rewindTo.set(Long.MAX_VALUE);
                    onConnected(c);
                    Journal j = events.journal();
                    nextToSend = Math.max(Math.max(ackedUpTo, j.ackedSeq()) + 1, j.firstStoredSeq());
                    replayBoundary = j.durableSeq();
                    nextToSend = failover.connected(connectedTo, nextToSend, j.firstStoredSeq(), System.nanoTime());
                }
                long rw = rewindTo.get();
                if (rw != Long.MAX_VALUE && System.nanoTime() - rejectedAtNanos > 5_000_000_000L) {
                    rewindTo.set(Long.MAX_VALUE);
                    nextToSend = Math.min(nextToSend, rw);
                }
                resends.publishSome(window(c, ep));
                long durable = events.journal().durableSeq();
                while (windowOpen(ep) && nextToSend <= durable) {
                    List<Journal.Entry> batch = events.fetch(nextToSend, WINDOW - inflight.get());
                    if (batch.isEmpty()) break;
                    boolean ok = true;
                    for (Journal.Entry e : batch) {
                        if (!publishEntry(c, e, e.seq() <= replayBoundary, ep)) {
                            ok = false;
                            break;
                        }
                        nextToSend = e.seq() + 1;
                    }
                    if (!ok) break;
                }
            } catch (IOException | RuntimeException e) {
                log.warn("MQTT publisher: {}", e.toString());
                sleep(200);
            }
        }
    }

    private void onConnected(MqttAsyncClient c) {
        try {
            c.publish(topics.status(), statusMessage("online", "connected"));
            publishBirth();
            c.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription[] {
                    new org.eclipse.paho.mqttv5.common.MqttSubscription(topics.commandFilter(), 1),
                    new org.eclipse.paho.mqttv5.common.MqttSubscription(topics.hostState(), 1)});
            log.info("MQTT connected to {} (connect #{})", connectedTo, connects.get());
        } catch (MqttException e) {
            log.warn("MQTT after connect: {}", e.getMessage());
        }
    }

    /** The in-flight window on connection {@code ep}, for {@link ResendRequests}: entries go out marked replayed and resent. */
    private ResendRequests.Window window(MqttAsyncClient c, int ep) {
        return new ResendRequests.Window() {
            @Override
            public boolean open() { return windowOpen(ep); }

            @Override
            public int freeSlots() { return WINDOW - inflight.get(); }

            @Override
            public boolean publish(Journal.Entry e) throws IOException { return publishEntry(c, e, true, ep, true); }
        };
    }

    /** Room for one more event on connection {@code ep}, and no answer or birth waiting to go ahead of the stream. */
    private boolean windowOpen(int ep) {
        return running && inflight.get() < WINDOW && aheadWaiting.get() == 0 && outbox.isEmpty() && ep == epoch.get();
    }

    private boolean publishEntry(MqttAsyncClient c, Journal.Entry e, boolean replayed, int ep) throws IOException {
        return publishEntry(c, e, replayed, ep, false);
    }

    /** {@code resent}: asked for by a resend command; a failure is not rewound (the asker asks again). */
    private boolean publishEntry(MqttAsyncClient c, Journal.Entry e, boolean replayed, int ep, boolean resent) throws IOException {
        ObjectNode n = (ObjectNode) Wire.JSON.readTree(e.payload());
        if (replayed) n.put("replayed", true);
        String topic = Wire.SUMMARY_SCHEMA.equals(n.path("schema").asText()) ? topics.summary() : topics.event();
        MqttMessage m = new MqttMessage(Wire.JSON.writeValueAsBytes(n), 1, false, null);
        long seq = e.seq();
        inflight.incrementAndGet();
        try {
            c.publish(topic, m, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    if (ep == epoch.get()) inflight.decrementAndGet();
                    int[] rc = token.getReasonCodes();
                    if (rc != null && rc.length > 0 && rc[0] >= 0x80) {
                        // the broker refused it (e.g. not authorized): retry later, never skip a seq
                        brokerRejected.incrementAndGet();
                        if (!resent) {
                            rejectedAtNanos = System.nanoTime();
                            rewindTo.accumulateAndGet(seq, Math::min);
                        }
                    } else {
                        acked.add(seq);
                        eventsPublished.incrementAndGet();
                        if (resent) resends.acknowledged();
                        else if (replayed) eventsReplayed.incrementAndGet();
                    }
                    signal();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable ex) {
                    if (ep == epoch.get()) {
                        inflight.decrementAndGet();
                        if (!resent) {
                            rejectedAtNanos = 0;
                            rewindTo.accumulateAndGet(seq, Math::min);
                        }
                    }
                    signal();
                }
            });
            return true;
        } catch (MqttException ex) {
            inflight.decrementAndGet();
            return false; // not connected or window full: try again on the next wake-up
        }
    }

    /**
     * Moves the in-memory watermark over every contiguous PUBACK and persists it. While caught up (live
     * operation) each advance is persisted at once; during a replay at most every {@link #CURSOR_PERSIST_NANOS}:
     * persisting costs two fsyncs and a rename, and doing it per PUBACK held a replay to ~850 events/s. A crash
     * then resends at most that much of the backlog (duplicates, which receivers drop by seq); nothing is lost.
     */
    private void advanceCursor(boolean force) throws IOException {
        Journal j = events.journal();
        long w = Math.max(ackedUpTo, j.ackedSeq());
        while (acked.remove(w + 1)) w++;
        acked.headSet(w, true).clear();
        ackedUpTo = w;
        failover.acked(System.nanoTime(), w);
        if (w > j.ackedSeq()) {
            long now = System.nanoTime();
            if (force || w >= j.durableSeq() || now - cursorPersistedAt >= CURSOR_PERSIST_NANOS) {
                j.acknowledge(w);
                cursorPersistedAt = now;
            }
        }
    }

    // ---- status, birth, telemetry, answers

    /**
     * A new connection is about to be made: the next bdSeq, and the Will that carries it with this moment's ts
     * (Paho sends the same options object on every automatic reconnect, so the Will is replaced in it).
     */
    private void nextConnection() {
        long b = bdSeq.next();
        MqttConnectionOptions o = options;
        if (o != null) o.setWill(topics.status(), statusMessage("offline", "will", b));
    }

    /** Status and birth again for a primary host that came back (answer executor, see {@link HostRebirth}). */
    private void republishForHost() {
        MqttAsyncClient c = client;
        try {
            if (c != null && c.isConnected()) c.publish(topics.status(), statusMessage("online", "connected", bdSeq.current()));
        } catch (MqttException e) {
            log.warn("status after host return: {}", e.getMessage());
        }
        publishBirth();
    }

    /** Milliseconds since this daemon run started, on the monotonic clock. */
    long monoMillis() { return Math.max(0, clock.nanos() - runStartNanos) / 1_000_000L; }

    /** Births published again because the primary host came back (tests, console). */
    public long hostRebirths() { return host.rebirths(); }

    /** The bdSeq of the current (or next) connection: in its Will, its status and its birth. */
    public long bdSeq() { return bdSeq.current(); }

    private MqttMessage statusMessage(String state, String reason) {
        return statusMessage(state, reason, bdSeq.current());
    }

    private MqttMessage statusMessage(String state, String reason, long seq) {
        ObjectNode n = Wire.envelope(Wire.STATUS_SCHEMA, deviceId, currentSessionId(), Instant.now(), monoMillis());
        n.put("state", state);
        n.put("reason", reason);
        n.put("bdSeq", seq);
        try {
            return new MqttMessage(Wire.JSON.writeValueAsBytes(n), 1, true, null);
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Publishes the retained birth message (also the rebirth command). */
    public void publishBirth() {
        MqttAsyncClient c = client;
        if (c == null || !c.isConnected()) return;
        try {
            publishAhead(topics.birth(), new MqttMessage(Wire.JSON.writeValueAsBytes(birthPayload()), 1, true, null), "birth");
        } catch (IOException e) {
            log.warn("birth not published: {}", e.getMessage());
        }
    }

    ObjectNode birthPayload() {
        ObjectNode n = Wire.envelope(Wire.BIRTH_SCHEMA, deviceId, currentSessionId(), Instant.now(), monoMillis());
        Map<String, Object> content;
        try {
            content = birth.get();
        } catch (RuntimeException e) {
            content = Map.of("error", "birth content unavailable: " + e.getMessage());
        }
        n.set("device", Wire.data(content == null ? Map.of() : content));
        Journal j = events.journal();
        ObjectNode jn = n.putObject("journal");
        jn.put("lastSeq", j.durableSeq());
        jn.put("ackedSeq", j.ackedSeq());
        jn.put("firstStoredSeq", j.firstStoredSeq());
        jn.put("writeFailures", events.writeFailures());
        jn.put("pendingEvents", events.pendingEvents());
        jn.put("sizeBytes", j.sizeBytes());
        ObjectNode cn = n.putObject("counters");
        counters().asMap().forEach((k, v) -> cn.put(k, (Long) v));
        n.put("connects", Math.max(1, connects.get()));
        n.put("bdSeq", bdSeq.current());
        return n;
    }

    private void publishTelemetry() {
        try {
            MqttAsyncClient c = client;
            if (c == null || !c.isConnected()) {
                telemetryDropped.incrementAndGet();
                return;
            }
            byte[] payload = Wire.JSON.writeValueAsBytes(telemetryPayload(status.snapshot()));
            try {
                c.publish(topics.telemetry(), new MqttMessage(payload, 0, false, null));
                telemetryPublished.incrementAndGet();
            } catch (MqttException e) {
                telemetryDropped.incrementAndGet(); // high-rate data goes first when the link is busy
            }
        } catch (IOException | RuntimeException e) {
            telemetryDropped.incrementAndGet();
            log.warn("telemetry: {}", e.toString());
        }
    }

    ObjectNode telemetryPayload(StatusSnapshot s) {
        // monoMs: when this payload was made, in ms of this daemon run (the snapshot is at most one tick older)
        ObjectNode n = Wire.envelope(Wire.TELEMETRY_SCHEMA, deviceId, s.sessionId(), Instant.now(), monoMillis());
        n.put("telemetrySeq", telemetrySeq.incrementAndGet());
        n.put("state", s.state());
        if (s.program() == null) n.putNull("program"); else n.put("program", s.program());
        n.put("stimEnabled", s.stimEnabled());
        // Rounded to what the parts resolve: the board reports current in 0.1 mA, the TMP117 ±0.1 °C at 0.01 °C
        // steps, the pad channel (ADS1115 + NTC) 0.1 °C, the fuel gauge 0.1 %, the IMU angle 0.1°.
        Wire.putRounded(n, "intensitySetMilliAmps", s.stimMilliAmpsSet(), 0.1);
        Wire.putRounded(n, "intensityMeasuredMilliAmps", s.stimMilliAmpsMeasured(), 0.1);
        n.put("pulseWidthMicros", s.pulseWidthMicros());
        Wire.putRounded(n, "frequencyHz", s.frequencyHz(), 0.1);
        n.put("impedanceOhms", s.impedanceOhms());
        n.put("heaterEnabled", s.heaterEnabled());
        Wire.putRounded(n, "heaterDuty", s.heaterDuty(), 0.001);
        Wire.putRounded(n, "heatSetpointCelsius", s.heatSetpointCelsius(), 0.01);
        Wire.putRounded(n, "skinCelsius", s.skinCelsius(), 0.01);
        Wire.putRounded(n, "padCelsius", s.padCelsius(), 0.1);
        Wire.putRounded(n, "postureAngleDeg", s.flexionDeg(), 0.1);
        if (s.postureClass() == null) n.putNull("postureClass"); else n.put("postureClass", s.postureClass());
        n.put("sessionElapsedMillis", s.sessionElapsedMillis());
        n.put("sessionDurationMillis", s.sessionDurationMillis());
        Wire.putRounded(n, "batteryPercent", s.batteryPercent(), 0.1);
        ArrayNode f = n.putArray("faults");
        if (s.faults() != null) s.faults().forEach(f::add);
        ObjectNode d = n.putObject("dropped");
        d.put("telemetry", telemetryDropped.get());
        d.put("events", events.droppedEvents());
        Journal j = events.journal();
        ObjectNode jn = n.putObject("journal");
        jn.put("writeFailures", events.writeFailures());
        jn.put("pendingEvents", events.pendingEvents());
        jn.put("lastSeq", j.durableSeq());
        jn.put("ackedSeq", j.ackedSeq());
        return n;
    }

    /**
     * Publishes ahead of the event stream. Paho refuses a QoS 1 publish when the broker's receive maximum is
     * in flight (HiveMQ's default is 10: 8 replayed events plus status and birth fill it); an answer refused
     * that way was lost. Now the publisher holds new events while this waits for a PUBACK to free a slot.
     */
    private void publishAhead(String topic, MqttMessage m, String what) {
        long end = System.nanoTime() + 3_000_000_000L;
        aheadWaiting.incrementAndGet();
        try {
            while (true) {
                MqttAsyncClient c = client;
                if (c == null || !c.isConnected()) return;
                try {
                    c.publish(topic, m);
                    return;
                } catch (MqttException e) {
                    if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT || System.nanoTime() > end) {
                        log.warn("{} to {} not sent: {}", what, topic, e.getMessage());
                        return;
                    }
                    sleep(1);
                } catch (IllegalArgumentException e) {
                    log.warn("{} to {} not sent: {}", what, topic, e.getMessage());
                    return;
                }
            }
        } finally {
            aheadWaiting.decrementAndGet();
            signal();
        }
    }

    private String currentSessionId() {
        try {
            StatusSnapshot s = status.snapshot();
            return s == null ? null : s.sessionId();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void signal() {
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread t) {
        if (t == null) return;
        try {
            t.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
