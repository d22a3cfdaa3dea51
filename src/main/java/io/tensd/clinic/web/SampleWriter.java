package io.tensd.clinic.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.tensd.clinic.store.SessionDetails;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the telemetry of sessions for the session report's plots: the live feed hands every telemetry message here,
 * a writer thread stores them in batches (never on Paho's callback thread). A full queue drops samples (counted):
 * plots may have holes, the live view never waits for the database.
 */
public final class SampleWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SampleWriter.class);
    private final SessionDetails store;
    private final BlockingQueue<SessionDetails.Sample> queue = new ArrayBlockingQueue<>(10_000);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    public SampleWriter(SessionDetails store, LiveFeed feed) {
        this.store = store;
        feed.onTelemetry(this::offer);
        thread = new Thread(this::run, "dashboard-samples");
        thread.setDaemon(true);
        thread.start();
    }

    /** Telemetry outside a session (no session id) is not kept. */
    void offer(DeviceView d, JsonNode n) {
        SessionDetails.Sample s = sample(d, n);
        if (s != null && !queue.offer(s)) dropped.incrementAndGet();
    }

    static SessionDetails.Sample sample(DeviceView d, JsonNode n) {
        String session = n.path("sessionId").isTextual() ? n.path("sessionId").asText() : null;
        if (session == null || session.isEmpty() || !n.path("monoMs").canConvertToLong()) return null;
        Instant ts;
        try {
            ts = Instant.parse(n.path("ts").asText());
        } catch (DateTimeParseException e) {
            return null;
        }
        // as the device's own samples.csv: set current and heater duty count only while the output is enabled
        boolean stim = n.path("stimEnabled").asBoolean(true);
        boolean heat = n.path("heaterEnabled").asBoolean(true);
        List<String> faults = new ArrayList<>();
        n.path("faults").forEach(f -> faults.add(f.asText()));
        return new SessionDetails.Sample(d.deviceId(), session, n.path("monoMs").asLong(), ts, text(n, "state"),
                stim ? num(n, "intensitySetMilliAmps") : Double.valueOf(0), num(n, "intensityMeasuredMilliAmps"), num(n, "pulseWidthMicros"),
                num(n, "frequencyHz"), heat ? num(n, "heaterDuty") : Double.valueOf(0), num(n, "heatSetpointCelsius"), num(n, "skinCelsius"),
                num(n, "padCelsius"), d.skinCeilingCelsius(), num(n, "postureAngleDeg"), text(n, "postureClass"), String.join("|", faults));
    }

    private static Double num(JsonNode n, String k) {
        return n.path(k).isNumber() ? n.path(k).asDouble() : null;
    }

    private static String text(JsonNode n, String k) {
        return n.path(k).isTextual() ? n.path(k).asText() : null;
    }

    private void run() {
        List<SessionDetails.Sample> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                SessionDetails.Sample first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                queue.drainTo(batch, 999);
                store.write(batch);
                written.addAndGet(batch.size());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SQLException | RuntimeException e) {
                dropped.addAndGet(batch.size());
                LOG.warn("dashboard: {} telemetry samples not stored: {}", batch.size(), e.getMessage());
            }
            batch.clear();
        }
    }

    public long written() { return written.get(); }

    public long dropped() { return dropped.get(); }

    /** Blocks until every sample offered so far is stored (tests), at most {@code millis}. */
    public boolean awaitIdle(long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (!queue.isEmpty() && System.nanoTime() < end) Thread.sleep(20);
        Thread.sleep(250); // the batch in hand
        return queue.isEmpty();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(3000);
    }
}
