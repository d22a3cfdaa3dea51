package io.tensd.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tensd.loop.Clock;
import io.tensd.session.EventSink;
import io.tensd.session.SessionEvent;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop's {@link EventSink}: {@link #emit} only offers to a bounded queue (never blocks; a full queue
 * drops the event and counts it). A writer thread stamps wall time, assigns the next {@code seq}, appends
 * to the {@link Journal} and forces it; only then is the event recorded and handed to the publisher.
 *
 * <p>If the disk fails, the failure is counted and the events wait in a bounded memory queue (their seqs
 * already assigned) until a write succeeds; therapy is never held up. When events had to be dropped, an
 * {@code events-dropped} event with the count is journaled as soon as there is room, so the gap in what
 * the loop said is itself on record (the seq stream stays gapless: seqs are assigned after the queue).
 *
 * <p>On {@link #open}, a session that was started but has no completed/aborted record (the daemon died)
 * is closed with a journaled {@code session-aborted} event saying why and what was recorded.
 */
public final class JournalingEventSink implements EventSink, Closeable {
    private static final Logger log = LoggerFactory.getLogger(JournalingEventSink.class);
    /** How often an idle writer looks at the queue: the most an event waits before its write starts. */
    static final long POLL_NANOS = 5_000_000L;

    /**
     * @param queueCapacity   events the loop may emit before the writer catches up
     * @param maxPending      events held in memory while the disk fails
     * @param retryDelay      wait between write attempts on a failing disk
     * @param cacheSize       recently recorded events kept in memory for the publisher
     */
    public record Settings(int queueCapacity, int maxPending, Duration retryDelay, int cacheSize) {
        public static Settings defaults() { return new Settings(4096, 10_000, Duration.ofMillis(500), 2048); }
    }

    private final Journal journal;
    private final String deviceId;
    private final Clock clock;
    private final Settings settings;
    private final ConcurrentLinkedQueue<SessionEvent> queue = new ConcurrentLinkedQueue<>(); // lock-free: emit never parks
    private final AtomicInteger queued = new AtomicInteger();
    private final List<Journal.Entry> pending = new ArrayList<>();    // writer thread only
    private final ConcurrentSkipListMap<Long, byte[]> cache = new ConcurrentSkipListMap<>();
    private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong writeFailures = new AtomicLong();
    private final AtomicLong recorded = new AtomicLong();
    private final AtomicLong offered = new AtomicLong();    // accepted by emit
    private final AtomicLong staged = new AtomicLong();     // taken by the writer
    private final List<SessionEvent> cutSessions;
    private final Thread writer;
    private volatile boolean running = true;
    private volatile int pendingCount;
    private volatile String lastWriteError;
    private long droppedReported;
    private long lastRetentionNanos;
    private volatile long runStartNanos;

    private JournalingEventSink(Path dir, Journal.Policy policy, String deviceId, Clock clock, Settings settings)
            throws IOException {
        Topics.requireName("device id", deviceId);
        this.deviceId = deviceId;
        this.clock = clock;
        this.settings = settings;
        this.runStartNanos = clock.nanos();
        CutSessionFinder finder = new CutSessionFinder();
        this.journal = Journal.open(dir, policy, finder);
        this.cutSessions = finder.abortEvents(clock.nanos());
        for (SessionEvent e : cutSessions) stage(e);
        if (!pending.isEmpty()) writePending(); // before any new event, so the abort follows what it closes
        this.writer = new Thread(this::run, "tensd-journal-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Opens the journal in {@code dir} (created 0700), recovers it, and starts the writer thread. */
    public static JournalingEventSink open(Path dir, String deviceId, Clock clock) throws IOException {
        return new JournalingEventSink(dir, Journal.Policy.defaults(), deviceId, clock, Settings.defaults());
    }

    public static JournalingEventSink open(Path dir, Journal.Policy policy, String deviceId, Clock clock,
                                           Settings settings) throws IOException {
        return new JournalingEventSink(dir, policy, deviceId, clock, settings);
    }

    /** Never blocks: a full queue drops the event and counts it ({@link #droppedEvents()}). */
    @Override
    public void emit(SessionEvent event) {
        if (!running || queued.incrementAndGet() > settings.queueCapacity()) {
            if (running) queued.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        queue.offer(event);
        offered.incrementAndGet();
        // no unpark here: waking the writer is a syscall on the loop thread, and the woken writer can preempt
        // it (measured: emit p99 0.2-0.5 ms with unpark); the writer polls every POLL_NANOS instead
    }

    public Journal journal() { return journal; }

    /** Where {@code monoMs} counts from, on the events' clock: when this daemon run started (default: at open). */
    public long runStartNanos() { return runStartNanos; }

    /** Sets the run's start on the events' clock (a simulator's virtual time starts elsewhere than the system's). */
    public void runStartNanos(long eventClockNanos) { this.runStartNanos = eventClockNanos; }

    public long droppedEvents() { return dropped.get(); }

    public long writeFailures() { return writeFailures.get(); }

    public long recordedEvents() { return recorded.get(); }

    /** Events waiting in memory because the disk failed. */
    public int pendingEvents() { return pendingCount; }

    public String lastWriteError() { return lastWriteError; }

    /** Sessions found cut short by a crash when the journal was opened (their session-aborted events). */
    public List<SessionEvent> cutSessions() { return cutSessions; }

    /** Called on the writer thread with the highest recorded seq after each forced batch. Must not block. */
    public void onRecorded(LongConsumer listener) { listeners.add(listener); }

    /** Recorded entries from {@code fromSeq} on, from memory when recent, else from disk. */
    public List<Journal.Entry> fetch(long fromSeq, int max) throws IOException {
        long durable = journal.durableSeq();
        if (cache.containsKey(fromSeq)) {
            List<Journal.Entry> out = new ArrayList<>();
            for (long s = fromSeq; s <= durable && out.size() < max; s++) {
                byte[] p = cache.get(s);
                if (p == null) break;
                out.add(new Journal.Entry(s, p));
            }
            if (!out.isEmpty()) return out;
        }
        return journal.read(fromSeq, max);
    }

    /** Waits (tests, shutdown) until the queue is empty and everything is recorded. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (staged.get() >= offered.get() && pendingCount == 0 && journal.durableSeq() == journal.nextSeq() - 1) return true;
            Thread.sleep(2);
        }
        return false;
    }

    /** Stops taking events, records what is queued (up to 2 s), and closes the journal. */
    @Override
    public void close() throws IOException {
        running = false;
        LockSupport.unpark(writer);
        try {
            writer.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        journal.close();
    }

    // ---- writer thread

    private void run() {
        List<SessionEvent> batch = new ArrayList<>(256);
        while (running || !queue.isEmpty() || (!pending.isEmpty() && !Thread.currentThread().isInterrupted())) {
            try {
                if (!pending.isEmpty()) {
                    if (!writePending()) {
                        if (!running) break; // shutting down on a failing disk: nothing more can be saved
                        Thread.sleep(settings.retryDelay().toMillis());
                        if (pending.size() >= settings.maxPending()) continue;
                    }
                }
                int room = settings.maxPending() - pending.size();
                if (room <= 0) continue;
                SessionEvent first = queue.poll();
                if (first == null) {
                    LockSupport.parkNanos(POLL_NANOS);
                    if (Thread.interrupted()) return;
                    if (!queue.isEmpty()) continue;
                    reportDrops();
                    if (!pending.isEmpty()) writePending();
                    retention();
                    continue;
                }
                batch.clear();
                batch.add(first);
                for (int max = Math.min(256, room); batch.size() < max; ) {
                    SessionEvent e = queue.poll();
                    if (e == null) break;
                    batch.add(e);
                }
                queued.addAndGet(-batch.size());
                for (SessionEvent e : batch) stage(e);
                staged.addAndGet(batch.size());
                reportDrops();
                writePending();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("journal writer: unexpected error, continuing", e);
            }
        }
    }

    /** Assigns the next seq and serializes the event; it is not recorded until {@link #writePending} succeeds. */
    private void stage(SessionEvent e) {
        long seq = pending.isEmpty() ? journal.nextSeq() : pending.get(pending.size() - 1).seq() + 1;
        pending.add(new Journal.Entry(seq, serialize(e, seq)));
        pendingCount = pending.size();
    }

    private byte[] serialize(SessionEvent e, long seq) {
        boolean summary = Wire.SUMMARY_TYPE.equals(e.type());
        ObjectNode n = Wire.envelope(summary ? Wire.SUMMARY_SCHEMA : Wire.EVENT_SCHEMA, deviceId, e.sessionId(),
                Instant.now(), Math.max(0, e.atNanos() - runStartNanos) / 1_000_000L);
        n.put("seq", seq);
        n.put("type", e.type());
        n.set(summary ? "summary" : "data", Wire.data(e.data()));
        try {
            return Wire.JSON.writeValueAsBytes(n);
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private boolean writePending() {
        try {
            for (Journal.Entry en : pending) {
                if (en.seq() < journal.nextSeq()) continue; // written before a failed force? never: rewound
                journal.write(en.seq(), en.payload());
            }
            journal.sync();
        } catch (IOException | RuntimeException e) {
            long n = writeFailures.incrementAndGet();
            lastWriteError = e.toString();
            if (n == 1 || n % 100 == 0) log.error("journal write failed ({} failures so far), {} events held in memory: {}", n, pending.size(), e.toString());
            return false;
        }
        long last = pending.get(pending.size() - 1).seq();
        for (Journal.Entry en : pending) cache.put(en.seq(), en.payload());
        recorded.addAndGet(pending.size());
        pending.clear();
        pendingCount = 0;
        while (cache.size() > settings.cacheSize()) cache.pollFirstEntry();
        for (LongConsumer l : listeners) {
            try {
                l.accept(last);
            } catch (RuntimeException e) {
                log.warn("journal listener failed", e);
            }
        }
        return true;
    }

    private void reportDrops() {
        long d = dropped.get();
        if (d > droppedReported && pending.size() < settings.maxPending()) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("count", d - droppedReported);
            data.put("totalDropped", d);
            data.put("reason", "event queue full (journal writer behind or disk failing)");
            stage(new SessionEvent("events-dropped", null, clock.nanos(), data));
            droppedReported = d;
        }
    }

    private void retention() {
        long now = System.nanoTime();
        if (now - lastRetentionNanos < 30_000_000_000L) return;
        lastRetentionNanos = now;
        try {
            journal.applyRetention(Instant.now());
        } catch (IOException e) {
            log.warn("journal retention failed: {}", e.toString());
        }
    }

    /** Follows session starts and ends while the journal is recovered. */
    private static final class CutSessionFinder implements java.util.function.Consumer<Journal.Entry> {
        private record Open(long startedSeq, String startedTs, long lastSeq, String lastType, String lastTs, int count) { }

        private final Map<String, Open> open = new LinkedHashMap<>();

        @Override
        public void accept(Journal.Entry e) {
            JsonNode n;
            try {
                n = Wire.JSON.readTree(e.payload());
            } catch (IOException bad) {
                return;
            }
            String sid = n.path("sessionId").isTextual() ? n.get("sessionId").asText() : null;
            if (sid == null) return;
            String type = n.path("type").asText("");
            String ts = n.path("ts").asText("");
            switch (type) {
                case "session-started" -> open.put(sid, new Open(e.seq(), ts, e.seq(), type, ts, 1));
                case "session-completed", "session-aborted" -> open.remove(sid);
                default -> open.computeIfPresent(sid, (k, o) -> new Open(o.startedSeq, o.startedTs, e.seq(), type, ts, o.count + 1));
            }
        }

        List<SessionEvent> abortEvents(long nowNanos) {
            List<SessionEvent> out = new ArrayList<>();
            open.forEach((sid, o) -> {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("reason", "daemon-restart");
                d.put("detail", "the daemon stopped during the session (crash or power loss); the session was not resumed");
                d.put("startedSeq", o.startedSeq);
                d.put("startedTs", o.startedTs);
                d.put("recordedEvents", o.count);
                d.put("lastRecordedSeq", o.lastSeq);
                d.put("lastRecordedType", o.lastType);
                d.put("lastRecordedTs", o.lastTs);
                out.add(new SessionEvent("session-aborted", sid, nowNanos, d));
            });
            return List.copyOf(out);
        }
    }
}
