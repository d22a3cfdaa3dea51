package io.tensd.telemetry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One daemon per journal: two writers would each number events from the same last seq and the clinic would
 * see two diverging streams. An OS lock ({@link FileChannel#tryLock}) on {@code DIR/tensd.lock} is held while the
 * daemon runs; the kernel releases it when the process ends, however it ends, so a stale file never blocks a
 * restart. The holder's pid is written into the file so the refusal can name it.
 */
public final class JournalLock implements AutoCloseable {
    public static final String FILE = "tensd.lock";

    /** Another process (or this one) holds the journal. */
    public static final class HeldException extends IOException {
        private final String holderPid;

        HeldException(Path dir, String holderPid) {
            super("another tensd (pid " + holderPid + ") already uses the journal in " + dir);
            this.holderPid = holderPid;
        }

        public String holderPid() { return holderPid; }
    }

    /**
     * Journals locked by this JVM. Checked before a channel is opened: closing any channel on a file drops
     * every POSIX lock this process holds on it (FileLock's documented caveat), so a refused second open in the
     * same JVM must never open and close one.
     */
    private static final java.util.Set<Path> HELD_HERE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private JournalLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Creates {@code dir} (0700) if needed and takes its lock, or throws {@link HeldException}. */
    public static JournalLock acquire(Path dir) throws IOException {
        SecureFiles.createPrivateDirectories(dir);
        SecureFiles.createPrivateFile(dir.resolve(FILE));
        Path file = dir.resolve(FILE).toRealPath();
        if (!HELD_HERE.add(file)) {
            throw new HeldException(dir, Long.toString(ProcessHandle.current().pid()));
        }
        FileChannel ch = null;
        FileLock l;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            l = ch.tryLock();
        } catch (OverlappingFileLockException | IOException e) {
            HELD_HERE.remove(file);
            if (ch != null) {
                ch.close();
            }
            throw e instanceof IOException io ? io : new IOException(e);
        }
        if (l == null) { // another process holds it
            String pid = readPid(ch);
            HELD_HERE.remove(file);
            ch.close();
            throw new HeldException(dir, pid);
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        ch.force(false);
        return new JournalLock(file, ch, l);
    }

    private static String readPid(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            int n = ch.read(b, 0);
            String s = n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.US_ASCII).trim();
            return s.matches("\\d+") ? s : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
            HELD_HERE.remove(file);
        }
    }
}
