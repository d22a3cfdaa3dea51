package io.tensd.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tensd.loop.StatusSnapshot;
import io.tensd.session.SessionEvent;
import io.tensd.session.SessionSummary;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records each session's time series for the clinician's report, in {@code <baseDir>/<sessionId>/}:
 * {@code samples.csv} (1 Hz), {@code events.jsonl} and {@code summary.json}. Directories are 0700, files
 * 0600; nothing but device and session ids is written (no patient data).
 *
 * <p>Callers never wait and never see an exception: {@link #sample} thins to 1 Hz with one comparison and
 * hands the snapshot to a writer thread through a bounded queue (full queue → the item is dropped and
 * counted); {@link #event} and {@link #finish} do the same. I/O errors are counted ({@link #ioErrors()},
 * {@link #lastError()}) and the session's files are given up, never the caller.
 *
 * <p>A session opens on its first sample or event and closes on the {@code session-summary} event or on
 * {@link #finish}; later samples of a closed session are ignored. {@link #finish} may come after the
 * summary event (to add e.g. posture statistics): it rewrites {@code summary.json}.
 */
public final class SessionRecorder implements AutoCloseable {
    /** samples.csv header; the report reads columns by these names. */
    public static final String CSV_HEADER = "t_ms,state,stim_ma_set,stim_ma_meas,pulse_us,freq_hz,heater_duty,"
            + "heat_setpoint_c,skin_c,pad_c,skin_ceiling_c,flexion_deg,posture,faults";
    public static final String SAMPLES_FILE = "samples.csv";
    public static final String EVENTS_FILE = "events.jsonl";
    public static final String SUMMARY_FILE = "summary.json";
    public static final String SCHEMA = "tensd-session-record/1";

    private static final long SAMPLE_PERIOD_NANOS = 1_000_000_000L;
    private static final long FLUSH_EVERY_NANOS = 10_000_000_000L;
    private static final int QUEUE_CAPACITY = 4096;
    private static final int EVENT_RESERVE = 256;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path baseDir;
    private final String deviceId;
    private final double skinCeilingCelsius;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread writer;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong ioErrors = new AtomicLong();
    private volatile String lastError;
    private volatile boolean closed;

    // caller side (one thread calls sample(): the loop or a telemetry pump)
    private String sampledSession;
    private long nextSampleNanos;

    // writer-thread side
    private Open open;
    private String lastClosedSession;

    private record Sample(long nowNanos, StatusSnapshot s) { }

    private record Event(SessionEvent e, long wallMillis) { }

    private record Finish(String sessionId, Map<String, Object> summary, Map<String, Object> extra, long wallMillis) { }

    private record Barrier(CountDownLatch done) { }

    private static final Object STOP = new Object();

    /**
     * @param baseDir            directory holding one sub-directory per session (created 0700 if missing)
     * @param deviceId           written into summary.json; the only identity recorded
     * @param skinCeilingCelsius the limits file's skin ceiling, written into every row for the report's plot
     */
    public SessionRecorder(Path baseDir, String deviceId, double skinCeilingCelsius) {
        this(baseDir, deviceId, skinCeilingCelsius, true);
    }

    /** Tests: {@code startWriter=false} holds the writer back (as if the disk had stalled) until {@link #startWriter()}. */
    SessionRecorder(Path baseDir, String deviceId, double skinCeilingCelsius, boolean startWriter) {
        this.baseDir = baseDir;
        this.deviceId = deviceId;
        this.skinCeilingCelsius = skinCeilingCelsius;
        this.writer = new Thread(this::drain, "session-recorder");
        writer.setDaemon(true);
        writer.setPriority(Thread.MIN_PRIORITY);
        if (startWriter) {
            writer.start();
        }
    }

    void startWriter() {
        writer.start();
    }

    /**
     * Offers a status snapshot; at most one per second of {@code nowNanos} per session is kept. Cheap
     * enough to call every tick: when no sample is due it is one comparison and no allocation.
     */
    public void sample(long nowNanos, StatusSnapshot s) {
        if (s == null || s.sessionId() == null) {
            return;
        }
        if (s.sessionId().equals(sampledSession) && nowNanos - nextSampleNanos < 0) {
            return;
        }
        if (!s.sessionId().equals(sampledSession)) {
            sampledSession = s.sessionId();
            nextSampleNanos = nowNanos;
        }
        while (nowNanos - nextSampleNanos >= 0) {
            nextSampleNanos += SAMPLE_PERIOD_NANOS;
        }
        if (queue.remainingCapacity() <= EVENT_RESERVE) {
            dropped.incrementAndGet(); // the last slots are kept for events and the summary
            return;
        }
        offer(new Sample(nowNanos, s));
    }

    /** Records an event (any thread; never blocks). {@code session-summary} closes the session. */
    public void event(SessionEvent e) {
        if (e != null && e.sessionId() != null) {
            offer(new Event(e, System.currentTimeMillis()));
        }
    }

    /** Writes the final summary; closes the session if still open. */
    public void finish(SessionSummary summary) {
        finish(summary, Map.of());
    }

    /**
     * Writes the final summary plus extra top-level sections (for example {@code "posture"} →
     * {@code PostureStats.toMap()}), rewriting summary.json if the summary event already wrote it.
     */
    public void finish(SessionSummary summary, Map<String, Object> extra) {
        if (summary != null) {
            offer(new Finish(summary.sessionId(), summary.toMap(), Map.copyOf(extra), System.currentTimeMillis()));
        }
    }

    /** Waits (at most {@code timeoutMillis}) until everything offered so far is written and flushed. */
    public boolean flush(long timeoutMillis) {
        if (closed) {
            return true;
        }
        CountDownLatch done = new CountDownLatch(1);
        if (!queue.offer(new Barrier(done))) {
            return false;
        }
        try {
            return done.await(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Writes what is queued, closes the files, stops the writer thread (waits at most 5 s). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            queue.put(STOP);
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closed = true;
    }

    /** Items dropped because the writer fell behind (queue full). */
    public long dropped() { return dropped.get(); }

    /** I/O failures so far (each one also abandons the files of the session it hit). */
    public long ioErrors() { return ioErrors.get(); }

    /** The latest I/O failure, for the log or a health report; null if none. */
    public String lastError() { return lastError; }

    /** The directory a session is (or would be) recorded in. */
    public Path sessionDir(String sessionId) {
        return baseDir.resolve(safeName(sessionId));
    }

    private void offer(Object item) {
        if (closed || !queue.offer(item)) {
            dropped.incrementAndGet();
        }
    }

    // ---------------------------------------------------------------- writer thread

    private void drain() {
        while (true) {
            Object item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                break;
            }
            if (item == STOP) {
                break;
            }
            try {
                handle(item);
            } catch (RuntimeException e) {
                failed("recording", e);
            }
        }
        closeOpen();
    }

    private void handle(Object item) {
        if (item instanceof Sample s) {
            Open o = openFor(s.s().sessionId(), s.nowNanos());
            if (o != null) {
                o.writeSample(s.nowNanos(), s.s());
            }
        } else if (item instanceof Event ev) {
            SessionEvent e = ev.e();
            Open o = openFor(e.sessionId(), e.atNanos());
            if (o != null) {
                o.writeEvent(e, ev.wallMillis());
                if ("session-summary".equals(e.type())) {
                    o.summary = new LinkedHashMap<>(e.data());
                    o.endedWallMillis = ev.wallMillis();
                    o.writeSummary();
                    closeOpen();
                    lastClosedSession = e.sessionId();
                }
            }
        } else if (item instanceof Finish f) {
            finishSession(f);
        } else if (item instanceof Barrier b) {
            if (open != null) {
                open.flush();
            }
            b.done().countDown();
        }
    }

    /** The open session for this id, opening it (and closing any other) if needed; null if closed or broken. */
    private Open openFor(String sessionId, long nowNanos) {
        if (open != null && open.sessionId.equals(sessionId)) {
            return open.broken ? null : open;
        }
        if (sessionId.equals(lastClosedSession)) {
            return null;
        }
        closeOpen();
        open = new Open(sessionId, nowNanos);
        open.start();
        return open.broken ? null : open;
    }

    private void finishSession(Finish f) {
        Open o;
        if (open != null && open.sessionId.equals(f.sessionId())) {
            o = open;
        } else {
            // summary event already closed it (or it never opened): reopen just to rewrite summary.json
            o = new Open(f.sessionId(), 0);
            o.dir = sessionDir(f.sessionId());
            Map<String, Object> previous = readSummary(o.dir);
            if (previous != null) {
                o.carryHeader(previous);
            } else if (!o.makeDir()) {
                return;
            }
        }
        o.summary = new LinkedHashMap<>(f.summary());
        o.extra = f.extra();
        if (o.endedWallMillis == 0) {
            o.endedWallMillis = f.wallMillis();
        }
        o.writeSummary();
        if (o == open) {
            closeOpen();
        }
        lastClosedSession = f.sessionId();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> readSummary(Path dir) {
        Path p = dir.resolve(SUMMARY_FILE);
        if (!Files.isRegularFile(p)) {
            return null;
        }
        try {
            return JSON.readValue(p.toFile(), Map.class);
        } catch (IOException e) {
            failed("reading " + p, e);
            return null;
        }
    }

    private void closeOpen() {
        if (open != null) {
            open.close();
            open = null;
        }
    }

    private void failed(String what, Exception e) {
        ioErrors.incrementAndGet();
        lastError = what + ": " + e;
    }

    static String safeName(String sessionId) {
        String s = sessionId.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.isEmpty() || s.equals(".") || s.equals("..") ? "_" + s : s;
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<?>[] dirAttrs() {
        return posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                : new FileAttribute<?>[0];
    }

    private static FileAttribute<?>[] fileAttrs() {
        return posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
    }

    static Writer newPrivateWriter(Path file, boolean append) throws IOException {
        var opts = append
                ? new StandardOpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND}
                : new StandardOpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING};
        var ch = Files.newByteChannel(file, java.util.Set.of(opts), fileAttrs());
        return new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(ch), StandardCharsets.UTF_8), 16 * 1024);
    }

    /** One session's files, touched only by the writer thread. */
    private final class Open {
        final String sessionId;
        final long startNanos;
        Path dir;
        Writer samples;
        Writer events;
        boolean broken;
        long startedWallMillis = System.currentTimeMillis();
        long endedWallMillis;
        long lastFlushNanos;
        int sampleRows;
        int eventRows;
        Map<String, Object> summary;
        Map<String, Object> extra = Map.of();
        private final StringBuilder row = new StringBuilder(160);

        Open(String sessionId, long startNanos) {
            this.sessionId = sessionId;
            this.startNanos = startNanos;
            this.lastFlushNanos = startNanos;
        }

        boolean makeDir() {
            try {
                Files.createDirectories(baseDir, dirAttrs());
                if (!Files.isDirectory(dir)) {
                    Files.createDirectory(dir, dirAttrs());
                }
                return true;
            } catch (IOException e) {
                broken = true;
                failed("creating " + dir, e);
                return false;
            }
        }

        void start() {
            dir = sessionDir(sessionId);
            if (!makeDir()) {
                return;
            }
            try {
                boolean fresh = !Files.exists(dir.resolve(SAMPLES_FILE));
                samples = newPrivateWriter(dir.resolve(SAMPLES_FILE), true);
                if (fresh) {
                    samples.write(CSV_HEADER);
                    samples.write('\n');
                }
                events = newPrivateWriter(dir.resolve(EVENTS_FILE), true);
            } catch (IOException e) {
                fail("opening files in " + dir, e);
            }
        }

        void carryHeader(Map<String, Object> previous) {
            Object started = previous.get("startedAt");
            if (started instanceof String st) {
                try {
                    startedWallMillis = Instant.parse(st).toEpochMilli();
                } catch (RuntimeException ignored) {
                    // keep now
                }
            }
            Object ended = previous.get("endedAt");
            if (ended instanceof String en) {
                try {
                    endedWallMillis = Instant.parse(en).toEpochMilli();
                } catch (RuntimeException ignored) {
                    // keep
                }
            }
            if (previous.get("recorder") instanceof Map<?, ?> r) {
                sampleRows = r.get("samples") instanceof Number n ? n.intValue() : 0;
                eventRows = r.get("events") instanceof Number n ? n.intValue() : 0;
            }
        }

        void writeSample(long nowNanos, StatusSnapshot s) {
            if (broken || samples == null) {
                return;
            }
            StringBuilder b = row;
            b.setLength(0);
            b.append((nowNanos - startNanos) / 1_000_000L).append(',');
            b.append(s.state() == null ? "" : s.state()).append(',');
            num(b, s.stimEnabled() ? s.stimMilliAmpsSet() : 0, 2);
            num(b, s.stimMilliAmpsMeasured(), 2);
            b.append(s.pulseWidthMicros()).append(',');
            num(b, s.frequencyHz(), 1);
            num(b, s.heaterEnabled() ? s.heaterDuty() : 0, 3);
            num(b, s.heatSetpointCelsius(), 2);
            num(b, s.skinCelsius(), 2);
            num(b, s.padCelsius(), 2);
            num(b, skinCeilingCelsius, 1);
            num(b, s.flexionDeg(), 1);
            b.append(s.postureClass() == null ? "" : s.postureClass()).append(',');
            List<String> f = s.faults();
            for (int i = 0; f != null && i < f.size(); i++) {
                if (i > 0) {
                    b.append('|');
                }
                b.append(f.get(i));
            }
            b.append('\n');
            try {
                samples.append(b);
                sampleRows++;
                if (nowNanos - lastFlushNanos >= FLUSH_EVERY_NANOS) {
                    samples.flush();
                    lastFlushNanos = nowNanos;
                }
            } catch (IOException e) {
                fail("writing " + dir.resolve(SAMPLES_FILE), e);
            }
        }

        void writeEvent(SessionEvent e, long wallMillis) {
            if (broken || events == null) {
                return;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", e.type());
            m.put("sessionId", e.sessionId());
            m.put("tMs", (e.atNanos() - startNanos) / 1_000_000L);
            m.put("at", Instant.ofEpochMilli(wallMillis).toString());
            m.put("data", new java.util.TreeMap<>(e.data()));
            try {
                events.write(JSON.writeValueAsString(m));
                events.write('\n');
                events.flush();
                if (samples != null) {
                    samples.flush();
                }
                eventRows++;
            } catch (IOException ex) {
                fail("writing " + dir.resolve(EVENTS_FILE), ex);
            }
        }

        void writeSummary() {
            if (dir == null) {
                return;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("schema", SCHEMA);
            m.put("sessionId", sessionId);
            m.put("deviceId", deviceId);
            m.put("startedAt", Instant.ofEpochMilli(startedWallMillis).toString());
            m.put("endedAt", endedWallMillis == 0 ? null : Instant.ofEpochMilli(endedWallMillis).toString());
            m.put("summary", summary);
            extra.forEach(m::putIfAbsent);
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("samples", sampleRows);
            rec.put("events", eventRows);
            rec.put("dropped", dropped.get());
            rec.put("ioErrors", ioErrors.get());
            m.put("recorder", rec);
            Path target = dir.resolve(SUMMARY_FILE);
            Path tmp = dir.resolve(SUMMARY_FILE + ".tmp");
            try {
                flush();
                try (Writer w = newPrivateWriter(tmp, false)) {
                    w.write(JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
                    w.write('\n');
                }
                // atomic: a crash leaves the old summary or the new one, never half of one
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                failed("writing " + target, e);
            }
        }

        void flush() {
            try {
                if (samples != null) {
                    samples.flush();
                }
                if (events != null) {
                    events.flush();
                }
            } catch (IOException e) {
                fail("flushing files in " + dir, e);
            }
        }

        void close() {
            for (Writer w : new Writer[] {samples, events}) {
                if (w != null) {
                    try {
                        w.close();
                    } catch (IOException e) {
                        failed("closing a file in " + dir, e);
                    }
                }
            }
            samples = null;
            events = null;
        }

        private void fail(String what, IOException e) {
            broken = true;
            failed(what, e);
            close();
        }

        private void num(StringBuilder b, double v, int places) {
            if (!Double.isNaN(v) && !Double.isInfinite(v)) {
                b.append(String.format(Locale.ROOT, "%." + places + "f", v));
            }
            b.append(',');
        }
    }
}
