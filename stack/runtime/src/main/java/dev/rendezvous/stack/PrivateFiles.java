package dev.rendezvous.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and directories only their owner may read: the data dir and its logs/ and run/ (mode 700), log files
 * and files holding secrets (mode 600). An existing one is tightened too, so that a data dir made by an older
 * version stops being readable by other local users. On a file system without POSIX permissions, nothing is
 * changed.
 */
final class PrivateFiles {

    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private PrivateFiles() {}

    /** Creates {@code dir} (and missing parents) and makes {@code dir} itself mode 700. */
    static Path directory(Path dir) throws IOException {
        if (POSIX && !Files.isDirectory(dir)) {
            Files.createDirectories(dir.toAbsolutePath().getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // made meanwhile: tightened below
            }
        }
        Files.createDirectories(dir);
        if (POSIX) {
            Files.setPosixFilePermissions(dir, DIRECTORY); // the umask may have narrowed the create
        }
        return dir;
    }

    /** Creates {@code file} empty if it is missing and makes it mode 600; its content stays. */
    static Path file(Path file) throws IOException {
        if (POSIX) {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
            } catch (java.nio.file.FileAlreadyExistsException exists) {
                // tightened below
            }
            Files.setPosixFilePermissions(file, FILE);
        } else if (!Files.exists(file)) {
            Files.createFile(file);
        }
        return file;
    }

    /** Replaces {@code file}'s content with {@code text}; the file is mode 600 before anything is written. */
    static void write(Path file, String text) throws IOException {
        file(file);
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
