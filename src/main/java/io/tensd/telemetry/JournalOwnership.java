package io.tensd.telemetry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Why the journal cannot be written, in words a technician can act on: after one run as root (by hand, with
 * sudo) the files belong to root and the service user gets only "Operation not permitted".
 */
public final class JournalOwnership {
    private JournalOwnership() { }

    /**
     * Null when {@code dir} and everything in it belong to {@code user}; otherwise whose the files are and the
     * command that gives them back.
     */
    public static String problem(Path dir, String user) {
        if (!Files.exists(dir)) {
            return null;
        }
        try (Stream<Path> files = Files.walk(dir, 3)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String owner = Files.getOwner(p).getName();
                if (!owner.equals(user)) {
                    long others = countOwnedBy(dir, owner);
                    return "the journal files belong to " + owner + ", not to " + user + ", the user this daemon runs as ("
                            + p + (others > 1 ? " and " + (others - 1) + " more" : "") + "); fix: sudo chown -R "
                            + user + ":" + user + " " + dir;
                }
            }
        } catch (IOException | UnsupportedOperationException | java.io.UncheckedIOException e) {
            return null; // cannot tell: the caller's own message stands
        }
        return null;
    }

    private static long countOwnedBy(Path dir, String owner) throws IOException {
        try (Stream<Path> files = Files.walk(dir, 3)) {
            return files.filter(p -> {
                try {
                    return Files.getOwner(p).getName().equals(owner);
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }
}
