package io.tensd.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Permissions of a secret (MQTT password file, TLS client key). The owner and the service's group may read it
 * (docs/deployment.md installs it 0640 root:tensd); every user reading it, or anyone but the owner writing it
 * (a swapped password or key), is refused.
 */
public final class SecretFiles {
    private SecretFiles() { }

    /** Null when {@code perms} are acceptable for a secret, otherwise what is wrong and the fix. */
    public static String problem(Set<PosixFilePermission> perms) {
        if (perms.contains(PosixFilePermission.OTHERS_READ)) {
            return "is readable by every user: chmod 0640 it (owner root, group tensd) or 0600";
        }
        if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
            return "can be written by users other than its owner: chmod 0640 it (owner root, group tensd) or 0600";
        }
        return null;
    }

    /** {@link #problem} of a file; null on a file system without POSIX permissions. */
    public static String problem(Path file) throws IOException {
        try {
            return problem(Files.getPosixFilePermissions(file));
        } catch (UnsupportedOperationException notPosix) {
            return null;
        }
    }
}
