package io.tensd.clinic.collector;

import io.tensd.clinic.Inbound;
import io.tensd.clinic.InboundParser;
import io.tensd.clinic.store.ClinicStore;
import io.tensd.telemetry.ClientTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT side of {@code tensd clinic}: one Paho v5 client with a persistent session (clean start false, session
 * expiry) in a shared-subscription group for events and summaries, plain subscriptions for the retained status
 * and birth, all QoS 1 with manual acknowledgement. A message is acknowledged only after the batch holding it is
 * committed, and only on the connection it arrived on (a PUBACK on a newer connection would name another packet);
 * while the database is down nothing is acknowledged, the broker keeps the rest (receive maximum bounds what is
 * in flight here) and redelivers whatever this process never committed if it dies.
 */
public final class Collector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Collector.class);

    /**
     * @param sessionExpiry  how long the broker keeps this collector's session (and its queued messages) while it is away
     * @param receiveMaximum unacknowledged QoS 1 messages the broker may have in flight to this collector
     */
    /**
     * @param gapRepair how long a gap stays open before the device is asked to resend it, and how often it is asked
     *                  again while it stays open (every {@code gapTimeout} once it is reported)
     */
    public record Settings(String brokerUrl, String clientId, String shareGroup, Duration sessionExpiry, int receiveMaximum,
                           int maxBatch, Duration maxBatchWait, Duration gapTimeout, String username, Path passwordFile,
                           Path caFile, Duration gapRepair) {
        public static Settings defaults(String brokerUrl, String clientId, String shareGroup) {
            return new Settings(brokerUrl, clientId, shareGroup, Duration.ofDays(7), 1000, 500, Duration.ofMillis(20),
                    Duration.ofMinutes(10), null, null, null, DEFAULT_GAP_REPAIR);
        }

        public Settings withGapTimeout(Duration d) {
            return new Settings(brokerUrl, clientId, shareGroup, sessionExpiry, receiveMaximum, maxBatch, maxBatchWait, d,
                    username, passwordFile, caFile, gapRepair);
        }

        public Settings withGapRepair(Duration d) {
            return new Settings(brokerUrl, clientId, shareGroup, sessionExpiry, receiveMaximum, maxBatch, maxBatchWait,
                    gapTimeout, username, passwordFile, caFile, d);
        }

        public Settings withAuth(String user, Path password, Path ca) {
            return new Settings(brokerUrl, clientId, shareGroup, sessionExpiry, receiveMaximum, maxBatch, maxBatchWait,
                    gapTimeout, user, password, ca, gapRepair);
        }
    }

    public static final Duration DEFAULT_GAP_REPAIR = Duration.ofSeconds(20);
    /** Seqs asked for in one resend command (the device's own bound); a larger gap is asked for in parts. */
    static final long MAX_RESEND_SEQS = 10_000;
    /** How long a resend command may wait in the broker and at the device before it must not run. */
    private static final long RESEND_EXPIRY_SECONDS = 120;

    /** The topic filters: shared for the journaled stream, plain (every collector) for the retained state. */
    public static List<String> filters(String shareGroup) {
        return List.of("$share/" + shareGroup + "/tensd/v1/+/+/event", "$share/" + shareGroup + "/tensd/v1/+/+/session/summary",
                "tensd/v1/+/+/status", "tensd/v1/+/+/birth");
    }

    private record Pending(MqttAsyncClient from, int messageId, int qos, String topic, byte[] payload) { }

    private final Settings settings;
    private final ClinicStore store;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger connection = new AtomicInteger();
    private final AtomicBoolean connected = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final ExecutorService mqttWork = Executors.newSingleThreadExecutor(r -> new Thread(r, "clinic-mqtt-work"));
    private final Thread writer;
    private volatile MqttAsyncClient client;

    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong dbFailures = new AtomicLong();
    private final AtomicLong resendRequests = new AtomicLong();
    private final AtomicLong resendRejected = new AtomicLong();
    private String repairError;  // writer thread: the last gap repair failure, logged once until it changes
    private volatile Instant lastCommit;
    private volatile long lastLagMillis = -1;
    private volatile String dbError;
    private final Recorder latencyMillis = new Recorder(3);

    public Collector(Settings settings, ClinicStore store) {
        this.settings = settings;
        this.store = store;
        this.writer = new Thread(this::writeLoop, "clinic-writer");
        this.writer.setDaemon(true);
    }

    /** Starts connecting (retried until it succeeds; Paho does not retry a failed first connect) and writing. */
    public void start() throws IOException {
        try {
            new MqttAsyncClient(settings.brokerUrl(), settings.clientId(), new MemoryPersistence()).close();
        } catch (MqttException e) {
            throw new IOException("MQTT client for " + settings.brokerUrl() + ": " + e.getMessage(), e);
        }
        writer.start();
        mqttWork.submit(this::connectUntilDone);
    }

    private MqttConnectionOptions options() throws IOException {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(false);
        o.setSessionExpiryInterval(settings.sessionExpiry().toSeconds());
        o.setReceiveMaximum(settings.receiveMaximum());
        // reconnects are ours (connectUntilDone after every disconnect): Paho 1.2.5's automatic reconnect did not
        // come back after mosquitto's orderly restart (server DISCONNECT) with this persistent session
        o.setAutomaticReconnect(false);
        o.setKeepAliveInterval(30);
        o.setConnectionTimeout(10);
        if (settings.username() != null) o.setUserName(settings.username());
        if (settings.passwordFile() != null) {
            o.setPassword(Files.readString(settings.passwordFile(), StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8));
        }
        if (settings.brokerUrl().startsWith("ssl://")) {
            o.setSocketFactory(ClientTls.socketFactory(settings.caFile()));
            o.setHttpsHostnameVerificationEnabled(true);
        }
        return o;
    }

    private void connectUntilDone() {
        // retry every 200 ms for the first 10 s: after a broker restart the collectors must be subscribed again
        // before the devices (whose reconnect waits at least 1 s) publish, because a broker that does not restore
        // shared subscriptions (mosquitto 2.0) drops what nobody is subscribed to
        int attempts = 0;
        while (!closing.get() && (client == null || !client.isConnected())) {
            MqttAsyncClient c = null;
            try {
                // a fresh client per connection: Paho 1.2.5 did not recover from a failed connect on the same client
                c = new MqttAsyncClient(settings.brokerUrl(), settings.clientId(), new MemoryPersistence());
                c.setManualAcks(true);
                c.setCallback(new Callback(c));
                client = c;
                c.connect(options()).waitForCompletion(15_000);
                return;
            } catch (MqttException | IOException e) {
                closeQuietly(c);
                if (attempts % 10 == 0) {
                    LOG.warn("cannot connect to {} as {}: {} (retrying)", settings.brokerUrl(), settings.clientId(), e.getMessage());
                }
                try {
                    Thread.sleep(++attempts <= 50 ? 200 : 2_000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private static void closeQuietly(MqttAsyncClient c) {
        if (c == null) return;
        try {
            if (c.isConnected()) c.disconnectForcibly(0, 1_000, false);
            c.close(true);
        } catch (MqttException | RuntimeException ignored) {
            // already gone
        }
    }

    private void subscribe(MqttAsyncClient c) {
        if (c != client || closing.get()) return;
        List<String> f = filters(settings.shareGroup());
        MqttSubscription[] subs = f.stream().map(t -> new MqttSubscription(t, 1)).toArray(MqttSubscription[]::new);
        try {
            IMqttToken t = c.subscribe(subs, null, null, new MqttProperties());
            t.waitForCompletion(10_000);
            LOG.info("subscribed as {} in share group {}: {}", settings.clientId(), settings.shareGroup(), f);
        } catch (MqttException e) {
            LOG.warn("subscribe failed: {} (retrying on the next connect)", e.getMessage());
        }
    }

    private final class Callback implements MqttCallback {
        private final MqttAsyncClient own;

        Callback(MqttAsyncClient own) {
            this.own = own;
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            io.tensd.telemetry.PahoClients.noOutgoingTopicAliases(own);
            connection.incrementAndGet();
            connected.set(true);
            LOG.info("connected to {} as {} (connection {})", serverURI, settings.clientId(), connection.get());
            // never (re)subscribe on Paho's callback thread
            mqttWork.submit(() -> subscribe(own));
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            queue.add(new Pending(own, message.getId(), message.getQos(), topic, message.getPayload()));
        }

        @Override
        public void disconnected(MqttDisconnectResponse r) {
            if (own != client) return;
            connected.set(false);
            mqttWork.submit(() -> closeQuietly(own));
            LOG.warn("disconnected from {} (reason code {}): reconnecting", settings.brokerUrl(), r.getReturnCode());
            if (!closing.get()) mqttWork.submit(Collector.this::connectUntilDone);
        }

        @Override
        public void mqttErrorOccurred(MqttException e) {
            LOG.warn("MQTT error: {}", e.getMessage());
        }

        @Override
        public void deliveryComplete(IMqttToken token) { }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) { }
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        long nextGapCheck = 0;
        while (!closing.get() || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (System.nanoTime() - nextGapCheck > 0) {
                    reportGaps();
                    repairGaps();
                    nextGapCheck = System.nanoTime() + Math.min(5_000_000_000L, settings.gapRepair().toNanos() / 4);
                }
                if (first == null) continue;
                batch.add(first);
                long until = System.nanoTime() + settings.maxBatchWait().toNanos();
                while (batch.size() < settings.maxBatch()) {
                    long left = until - System.nanoTime();
                    Pending p = left <= 0 ? queue.poll() : queue.poll(left, TimeUnit.NANOSECONDS);
                    if (p == null) break;
                    batch.add(p);
                }
                commitThenAck(batch);
                batch.clear();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Writes one batch, retrying while the database is unavailable; acknowledges only what was committed. */
    private void commitThenAck(List<Pending> batch) throws InterruptedException {
        List<Inbound> parsed = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            Inbound in = InboundParser.parse(p.topic(), p.payload());
            if (in instanceof Inbound.Rejected r) {
                LOG.warn("rejected message on {}: {}", r.topic(), r.reason());
            } else if (in instanceof Inbound.Journaled j && "command-result".equals(j.type())
                    && "resend".equals(j.body().path("command").asText()) && "rejected".equals(j.body().path("status").asText())) {
                // the device's answer to a resend, journaled: e.g. the range is no longer stored (the gap stays reported)
                resendRejected.incrementAndGet();
                LOG.warn("device {} refused a resend: {}", j.deviceId(), j.body().path("reasons"));
            }
            parsed.add(in);
        }
        long backoffMs = 200;
        while (true) {
            try {
                ClinicStore.BatchResult r = store.write(parsed, Instant.now());
                Instant now = Instant.now();
                stored.addAndGet(r.inserted());
                duplicates.addAndGet(r.duplicates());
                rejected.addAndGet(r.rejected());
                lastCommit = now;
                if (dbError != null) LOG.info("database back: writing again");
                dbError = null;
                long lag = -1;
                for (Inbound in : parsed) {
                    if (in instanceof Inbound.Journaled j) {
                        long ms = Math.max(0, now.toEpochMilli() - j.ts().toEpochMilli());
                        lag = Math.max(lag, ms);
                        if (!j.replayed()) latencyMillis.recordValue(Math.min(ms, 3_600_000L));
                    }
                }
                if (lag >= 0) lastLagMillis = lag;
                break;
            } catch (SQLException | RuntimeException e) {
                dbFailures.incrementAndGet();
                if (dbError == null) LOG.warn("database write failed, not acknowledging (the broker keeps the messages): {}", e.getMessage());
                dbError = e.getMessage();
                if (closing.get()) return;
                Thread.sleep(backoffMs);
                backoffMs = Math.min(5_000, backoffMs * 2);
            }
        }
        MqttAsyncClient current = client;
        for (Pending p : batch) {
            // a message of an earlier connection is redelivered on the current one and acknowledged then
            if (p.qos() == 0 || p.from() != current || !current.isConnected()) continue;
            try {
                current.messageArrivedComplete(p.messageId(), p.qos());
                acked.incrementAndGet();
            } catch (MqttException | RuntimeException e) {
                LOG.debug("ack of {} not sent: {}", p.messageId(), e.getMessage());
            }
        }
    }

    private void reportGaps() {
        try {
            for (ClinicStore.ReportedGap g : store.reportOverdueGaps(Instant.now(), settings.gapTimeout())) {
                LOG.warn("device {}: seq {}..{} missing since {} (longer than {} s)", g.deviceId(), g.fromSeq(), g.toSeq(),
                        g.openedAt(), settings.gapTimeout().toSeconds());
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("gap check skipped: {}", e.getMessage());
        }
    }

    /**
     * Gap repair: a gap open longer than {@code gapRepair} makes this collector (whichever claims it first) ask the
     * device to publish the missing seqs again (command {@code resend}); they arrive like any event and fill the gap.
     * What a broker acknowledged to the device and then dropped (mosquitto 2.0 without the shared subscription after
     * a restart) comes back this way from the device's journal.
     */
    private void repairGaps() {
        MqttAsyncClient c = client;
        if (c == null || !c.isConnected()) return;
        List<ClinicStore.RepairRequest> due;
        try {
            due = store.claimGapRepairs(Instant.now(), settings.gapRepair(), settings.gapTimeout());
            repairError = null;
        } catch (SQLException | RuntimeException e) {
            if (!String.valueOf(e.getMessage()).equals(repairError)) LOG.warn("gap repair skipped: {}", e.getMessage());
            repairError = String.valueOf(e.getMessage());
            return;
        }
        for (ClinicStore.RepairRequest r : due) {
            long to = Math.min(r.toSeq(), r.fromSeq() + MAX_RESEND_SEQS - 1);
            String id = "rs-" + r.fromSeq() + "-" + to + "-" + r.attempt() + "-" + (System.currentTimeMillis() % 100_000_000L);
            String json = "{\"id\":\"" + id + "\",\"deadline\":\"" + Instant.now().plusSeconds(RESEND_EXPIRY_SECONDS)
                    + "\",\"fromSeq\":" + r.fromSeq() + ",\"toSeq\":" + to + "}";
            MqttProperties p = new MqttProperties();
            p.setMessageExpiryInterval(RESEND_EXPIRY_SECONDS);
            String topic = new io.tensd.telemetry.Topics(r.site(), r.deviceId()).command("resend");
            try {
                c.publish(topic, new MqttMessage(json.getBytes(StandardCharsets.UTF_8), 1, false, p));
                resendRequests.incrementAndGet();
                LOG.info("device {}: seq {}..{} missing, asking it to resend (request {} for this gap)", r.deviceId(), r.fromSeq(),
                        to, r.attempt());
            } catch (MqttException | RuntimeException e) {
                LOG.warn("device {}: resend request for seq {}..{} not sent: {} (asked again in {} s)", r.deviceId(), r.fromSeq(),
                        to, e.getMessage(), settings.gapRepair().toSeconds());
            }
        }
    }

    /** Resend commands this collector sent, and resend answers (journaled by the devices) that were refusals. */
    public long resendRequests() { return resendRequests.get(); }

    public long resendRejected() { return resendRejected.get(); }

    /** What /api/health and the benchmarks read. */
    public record Stats(boolean connected, long stored, long duplicates, long rejected, long acked, long dbFailures,
                        int queued, Instant lastCommit, long lastLagMillis, String dbError) { }

    public Stats stats() {
        return new Stats(connected.get(), stored.get(), duplicates.get(), rejected.get(), acked.get(), dbFailures.get(),
                queue.size(), lastCommit, lastLagMillis, dbError);
    }

    /** Publish (device journal time) → committed latencies since the last call, in ms, live messages only. */
    public Histogram takeLatencies() {
        return latencyMillis.getIntervalHistogram();
    }

    public String clientId() { return settings.clientId(); }

    /**
     * Orderly stop: finish the batch in hand, then disconnect keeping the session (the broker queues for us).
     */
    @Override
    public void close() {
        closing.set(true);
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        mqttWork.shutdownNow();
        MqttAsyncClient c = client;
        try {
            if (c != null) {
                if (c.isConnected()) c.disconnect(2_000).waitForCompletion(3_000);
                c.close(true);
            }
        } catch (MqttException e) {
            LOG.debug("close: {}", e.getMessage());
        }
    }
}
