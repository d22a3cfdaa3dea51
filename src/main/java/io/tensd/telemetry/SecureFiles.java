package io.tensd.telemetry;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Journal files and folders are the daemon user's alone: folders 0700, files 0600 (no group, no other). */
final class SecureFiles {
    private SecureFiles() { }

    static void createPrivateDirectories(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (!Files.isDirectory(abs)) {
            Path parent = abs.getParent();
            if (parent != null) Files.createDirectories(parent);
            try {
                Files.createDirectory(abs, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException raced) {
                // another thread made it: the permissions are set below either way
            }
        }
        setPosix(abs, "rwx------");
    }

    /** Creates an empty 0600 file if missing (umask cannot widen it: permissions are set explicitly). */
    static void createPrivateFile(Path file) throws IOException {
        if (!Files.exists(file)) {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException raced) {
                // fine
            }
        }
        setPosix(file, "rw-------");
    }

    static void setPosix(Path path, String perms) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(perms));
        } catch (UnsupportedOperationException notPosix) {
            // non-POSIX file system (development on another OS): nothing more we can do
        }
    }
}
