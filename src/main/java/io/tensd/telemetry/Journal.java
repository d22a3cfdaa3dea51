package io.tensd.telemetry;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Append-only, crash-safe record log in segments ({@code journal-<firstSeq>.seg}). One record on disk:
 * {@code int length | int crc32c(body) | body} where {@code body = long seq | payload}. A record counts as
 * recorded once {@link #sync()} (FileChannel.force) has returned. On {@link #open} a torn or corrupt tail is
 * truncated; sequence numbers are never reused because the next one follows the highest seen in the
 * segments or in the publish cursor.
 *
 * <p>The publish cursor ({@code cursor}: {@code long seq | int crc32c}) holds the highest sequence number
 * the broker acknowledged with every lower one; it is replaced atomically (write, force, rename, force dir).
 * Retention deletes only segments that are fully acknowledged, never the active one.
 *
 * <p>Thread-safe: the journal writer appends and syncs; the publisher reads and acknowledges.
 */
public final class Journal implements Closeable {

    /** One stored record. */
    public record Entry(long seq, byte[] payload) { }

    /**
     * @param segmentBytes roll to a new segment when the active one reaches this size
     * @param retainBytes  fully acknowledged segments beyond this total size are deleted, oldest first
     * @param retainAge    fully acknowledged segments older than this are deleted
     */
    public record Policy(long segmentBytes, long retainBytes, Duration retainAge) {
        public static Policy defaults() { return new Policy(1L << 20, 64L << 20, Duration.ofDays(30)); }
    }

    /** What {@link #open} found. {@code gaps} counts places where a corrupt middle segment lost records. */
    public record Recovery(int segments, long records, long truncatedBytes, int corruptRecords, int gaps,
                           long lastSeq, long ackedSeq) { }

    /** Test hook: throws to simulate a full or failing disk before a write or a force. */
    interface FaultInjector {
        void check(String operation) throws IOException;

        FaultInjector NONE = op -> { };
    }

    static final int MAX_PAYLOAD = 1 << 20;
    private static final int HEADER = 8;
    private static final Pattern SEGMENT = Pattern.compile("journal-(\\d{20})\\.seg");
    private static final String CURSOR = "cursor";

    private static final class Segment {
        final Path path;
        final long firstSeq;
        long lastSeq;          // firstSeq - 1 while empty
        long size;
        Instant created;

        Segment(Path path, long firstSeq, long size, Instant created) {
            this.path = path;
            this.firstSeq = firstSeq;
            this.lastSeq = firstSeq - 1;
            this.size = size;
            this.created = created;
        }
    }

    private final Path dir;
    private final Policy policy;
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private final Recovery recovery;
    private volatile FaultInjector faults = FaultInjector.NONE;

    private FileChannel active;          // channel of segments.lastEntry(), opened lazily
    private long syncedSize;             // bytes of the active segment known to be on disk
    private boolean broken;              // a write failed: roll to a fresh segment before writing again
    private long nextSeq;
    private long durableSeq;             // highest seq that has been forced to disk
    private long ackedSeq;
    // where the last read stopped: a replay reads the segments in order, so the next read starts here
    // instead of scanning its segment from the start (which made a long replay quadratic)
    private long readSegFirst = -1;
    private long readNextSeq;
    private long readNextPos;

    private Journal(Path dir, Policy policy, Consumer<Entry> visitor) throws IOException {
        this.dir = dir;
        this.policy = policy;
        SecureFiles.createPrivateDirectories(dir);
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> SEGMENT.matcher(p.getFileName().toString()).matches()).sorted().forEach(files::add);
        }
        long records = 0;
        long truncated = 0;
        int corrupt = 0;
        int gaps = 0;
        long last = 0;
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            Matcher m = SEGMENT.matcher(file.getFileName().toString());
            if (!m.matches()) continue;
            long first = Long.parseLong(m.group(1));
            SecureFiles.setPosix(file, "rw-------");
            Segment seg = new Segment(file, first, 0, Files.getLastModifiedTime(file).toInstant());
            if (last > 0 && first <= last) {
                // an earlier segment was abandoned after a failed force: the later copy of these seqs wins
                cutSegmentsFrom(first);
            } else if (last > 0 && first > last + 1) {
                gaps++;
            }
            long good = scan(seg, visitor);
            long size = Files.size(file);
            if (good < size) {
                corrupt++;
                truncated += size - good;
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(good);
                    ch.force(true);
                }
            }
            seg.size = good;
            records += seg.lastSeq - seg.firstSeq + 1;
            segments.put(first, seg);
            if (seg.lastSeq >= seg.firstSeq) last = seg.lastSeq;
        }
        ackedSeq = readCursor();
        durableSeq = last;
        nextSeq = Math.max(last, ackedSeq) + 1;
        if (!segments.isEmpty()) syncedSize = segments.lastEntry().getValue().size;
        recovery = new Recovery(segments.size(), records, truncated, corrupt, gaps, last, ackedSeq);
    }

    /**
     * Opens (creating 0700) {@code dir}, truncates a torn tail, and calls {@code visitor} for every stored
     * record in order (used to find sessions a crash cut short).
     */
    /** The journal's folder (the daemon's state folder: other small state files live beside the segments). */
    public Path dir() { return dir; }

    public static Journal open(Path dir, Policy policy, Consumer<Entry> visitor) throws IOException {
        return new Journal(dir, policy, visitor);
    }

    public Recovery recovery() { return recovery; }

    public synchronized long nextSeq() { return nextSeq; }

    public synchronized long durableSeq() { return durableSeq; }

    public synchronized long ackedSeq() { return ackedSeq; }

    public synchronized long firstStoredSeq() {
        for (Segment s : segments.values()) if (s.lastSeq >= s.firstSeq) return s.firstSeq;
        return nextSeq;
    }

    public synchronized long sizeBytes() {
        return segments.values().stream().mapToLong(s -> s.size).sum();
    }

    void faultInjector(FaultInjector injector) { this.faults = injector; }

    /** Writes record {@code seq} (which must be {@link #nextSeq()}); it is recorded only after {@link #sync()}. */
    public synchronized void write(long seq, byte[] payload) throws IOException {
        if (seq != nextSeq) throw new IllegalArgumentException("journal expects seq " + nextSeq + ", got " + seq);
        if (payload.length > MAX_PAYLOAD) throw new IllegalArgumentException("record of " + payload.length + " bytes is too large");
        Segment seg = segments.isEmpty() ? null : segments.lastEntry().getValue();
        if (seg == null || broken || seg.size >= policy.segmentBytes()) {
            seg = roll(seq);
        } else if (active == null) {
            active = FileChannel.open(seg.path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
        ByteBuffer buf = ByteBuffer.allocate(HEADER + 8 + payload.length);
        buf.putInt(8 + payload.length).putInt(0).putLong(seq).put(payload);
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), HEADER, 8 + payload.length);
        buf.putInt(4, (int) crc.getValue());
        buf.flip();
        try {
            faults.check("write");
            while (buf.hasRemaining()) active.write(buf);
        } catch (IOException e) {
            // drop everything not yet forced: the caller rewrites the same seqs from its memory queue
            abandonUnsynced(seg, syncedSize);
            throw e;
        }
        seg.size += buf.limit();
        seg.lastSeq = seq;
        nextSeq = seq + 1;
    }

    /** Forces written records to disk; after it returns they are recorded. On failure they are not. */
    public synchronized void sync() throws IOException {
        if (active == null || segments.isEmpty()) return;
        Segment seg = segments.lastEntry().getValue();
        try {
            faults.check("force");
            active.force(false);
        } catch (IOException e) {
            abandonUnsynced(seg, syncedSize);
            throw e;
        }
        syncedSize = seg.size;
        durableSeq = seg.lastSeq;
    }

    /** Reads up to {@code max} durable records with seq ≥ {@code fromSeq}, in order. */
    public synchronized List<Entry> read(long fromSeq, int max) throws IOException {
        List<Entry> out = new ArrayList<>();
        Long start = segments.floorKey(fromSeq);
        Map<Long, Segment> tail = start == null ? segments : segments.tailMap(start, true);
        for (Segment seg : tail.values()) {
            if (seg.lastSeq < fromSeq) continue;
            try (FileChannel ch = FileChannel.open(seg.path, StandardOpenOption.READ)) {
                long pos = 0;
                long posSeq = seg.firstSeq;
                if (seg.firstSeq == readSegFirst && readNextSeq <= fromSeq && readNextPos < seg.size) {
                    Entry probe = readAt(ch, readNextPos, seg.size);
                    if (probe != null && probe.seq() == readNextSeq) {
                        pos = readNextPos;
                        posSeq = readNextSeq;
                    }
                }
                while (pos < seg.size && out.size() < max) {
                    Entry e = readAt(ch, pos, seg.size);
                    if (e == null || e.seq() != posSeq || e.seq() > seg.lastSeq || e.seq() > durableSeq) break;
                    pos += HEADER + 8 + e.payload().length;
                    posSeq++;
                    if (e.seq() >= fromSeq) out.add(e);
                }
                readSegFirst = seg.firstSeq;
                readNextSeq = posSeq;
                readNextPos = pos;
            }
            if (out.size() >= max) break;
        }
        return out;
    }

    /** Persists that every record up to {@code seq} reached the broker. Never moves backwards. */
    public synchronized void acknowledge(long seq) throws IOException {
        if (seq <= ackedSeq) return;
        ByteBuffer buf = ByteBuffer.allocate(12);
        buf.putLong(seq);
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, 8);
        buf.putInt((int) crc.getValue()).flip();
        Path tmp = dir.resolve(CURSOR + ".tmp");
        SecureFiles.createPrivateFile(tmp);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            while (buf.hasRemaining()) ch.write(buf);
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(CURSOR), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory();
        ackedSeq = seq;
    }

    /** Deletes fully acknowledged segments (never the active one) beyond the size or age policy. Returns how many. */
    public synchronized int applyRetention(Instant now) throws IOException {
        int deleted = 0;
        long total = sizeBytes();
        while (segments.size() > 1) {
            Segment oldest = segments.firstEntry().getValue();
            boolean acked = oldest.lastSeq <= ackedSeq;
            boolean tooOld = Duration.between(oldest.created, now).compareTo(policy.retainAge()) > 0;
            if (!acked || !(total > policy.retainBytes() || tooOld)) break;
            Files.deleteIfExists(oldest.path);
            segments.pollFirstEntry();
            total -= oldest.size;
            deleted++;
        }
        if (deleted > 0) forceDirectory();
        return deleted;
    }

    @Override
    public synchronized void close() throws IOException {
        if (active != null) {
            try {
                active.force(false);
            } finally {
                active.close();
                active = null;
            }
        }
    }

    // ---- internals

    private Segment roll(long firstSeq) throws IOException {
        if (active != null) {
            try {
                active.close();
            } catch (IOException ignored) {
                // the old segment is abandoned anyway
            }
            active = null;
        }
        faults.check("create");
        Path path = dir.resolve(String.format("journal-%020d.seg", firstSeq));
        SecureFiles.createPrivateFile(path);
        active = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        forceDirectory();
        Segment seg = new Segment(path, firstSeq, 0, Instant.now());
        segments.remove(firstSeq); // an emptied segment of the same name was just truncated above
        cutSegmentsFrom(firstSeq);
        segments.put(firstSeq, seg);
        syncedSize = 0;
        broken = false;
        return seg;
    }

    /** Earlier segments hold no seq ≥ {@code seq} any more (a later segment supersedes them). */
    private void cutSegmentsFrom(long seq) {
        readSegFirst = -1;
        for (Segment s : segments.headMap(seq, false).values()) {
            if (s.lastSeq >= seq) s.lastSeq = seq - 1;
        }
    }

    /**
     * Forgets records past {@code keepBytes} (not forced, so not recorded). The next write starts a fresh
     * segment at the first forgotten seq; that segment supersedes whatever of them reached the old file.
     */
    private void abandonUnsynced(Segment seg, long keepBytes) {
        readSegFirst = -1;
        seg.lastSeq = lastSeqAtOrBelow(seg, keepBytes);
        try {
            active.truncate(keepBytes);
        } catch (IOException | RuntimeException ignored) {
            // the superseding segment makes the leftover bytes irrelevant
        }
        seg.size = keepBytes;
        broken = true;
        nextSeq = seg.lastSeq + 1;
        if (seg.lastSeq < durableSeq) durableSeq = seg.lastSeq;
    }

    private long lastSeqAtOrBelow(Segment seg, long bytes) {
        long last = seg.firstSeq - 1;
        try (FileChannel ch = FileChannel.open(seg.path, StandardOpenOption.READ)) {
            long pos = 0;
            while (pos < bytes) {
                Entry e = readAt(ch, pos, bytes);
                if (e == null) break;
                last = e.seq();
                pos += HEADER + 8 + e.payload().length;
            }
        } catch (IOException e) {
            return Math.min(seg.lastSeq, durableSeq);
        }
        return last;
    }

    /** Scans a segment, fills its lastSeq, and returns the length of its valid prefix. */
    private long scan(Segment seg, Consumer<Entry> visitor) throws IOException {
        long size = Files.size(seg.path);
        long pos = 0;
        long expect = seg.firstSeq;
        try (FileChannel ch = FileChannel.open(seg.path, StandardOpenOption.READ)) {
            while (pos < size) {
                Entry e = readAt(ch, pos, size);
                if (e == null || e.seq() != expect) break;
                visitor.accept(e);
                seg.lastSeq = e.seq();
                expect++;
                pos += HEADER + 8 + e.payload().length;
            }
        }
        return pos;
    }

    /** The record at {@code pos}, or null if it is torn, too long or fails its checksum. */
    private static Entry readAt(FileChannel ch, long pos, long limit) throws IOException {
        if (limit - pos < HEADER + 8) return null;
        ByteBuffer head = ByteBuffer.allocate(HEADER);
        if (readFully(ch, head, pos) < HEADER) return null;
        int len = head.getInt(0);
        int crc = head.getInt(4);
        if (len < 8 || len > MAX_PAYLOAD + 8 || pos + HEADER + len > limit) return null;
        ByteBuffer body = ByteBuffer.allocate(len);
        if (readFully(ch, body, pos + HEADER) < len) return null;
        CRC32C c = new CRC32C();
        c.update(body.array(), 0, len);
        if ((int) c.getValue() != crc) return null;
        long seq = body.getLong(0);
        byte[] payload = new byte[len - 8];
        System.arraycopy(body.array(), 8, payload, 0, payload.length);
        return new Entry(seq, payload);
    }

    private static int readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        int total = 0;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + total);
            if (n < 0) break;
            total += n;
        }
        return total;
    }

    private long readCursor() throws IOException {
        Path p = dir.resolve(CURSOR);
        if (!Files.exists(p)) return 0;
        SecureFiles.setPosix(p, "rw-------");
        byte[] b = Files.readAllBytes(p);
        if (b.length != 12) return 0;
        ByteBuffer buf = ByteBuffer.wrap(b);
        long seq = buf.getLong(0);
        CRC32C crc = new CRC32C();
        crc.update(b, 0, 8);
        return (int) crc.getValue() == buf.getInt(8) && seq >= 0 ? seq : 0;
    }

    private void forceDirectory() {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // some file systems cannot sync a directory; the files themselves are forced
        }
    }
}
