package dev.rendezvous.recorder.assembly;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files under a directory: {@code <dir>/<recordingId>/<name>}; the duration is patched in place. */
public final class LocalFileStore implements FileStore {

    private final Path dir;

    public LocalFileStore(Path dir) {
        this.dir = dir;
    }

    @Override
    public Target create(String recordingId, String name) throws IOException {
        Path file = dir.resolve(safe(recordingId)).resolve(safe(name));
        Files.createDirectories(file.getParent());
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
        return new Target() {
            @Override
            public OutputStream stream() {
                return out;
            }

            @Override
            public StoredFile complete(long durationOffset, double durationMs) throws IOException {
                out.close();
                try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                    f.seek(durationOffset);
                    f.writeDouble(durationMs);
                }
                return new StoredFile(dir.relativize(file).toString(), Files.size(file), (long) durationMs);
            }

            @Override
            public StoredFile complete(long durationMs) throws IOException {
                out.close();
                return new StoredFile(dir.relativize(file).toString(), Files.size(file), durationMs);
            }

            @Override
            public void abort() {
                try {
                    out.close();
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    @Override
    public InputStream open(String key) throws IOException {
        Path file = dir.resolve(key).normalize();
        if (!file.startsWith(dir.normalize())) {
            throw new IOException("not a key of this store: " + key);
        }
        return Files.newInputStream(file);
    }

    /** Ids and names become one path segment of safe characters. */
    static String safe(String s) {
        String cleaned = s.replaceAll("[^A-Za-z0-9._-]", "_");
        return cleaned.isEmpty() || cleaned.startsWith(".") ? "_" + cleaned : cleaned;
    }
}
