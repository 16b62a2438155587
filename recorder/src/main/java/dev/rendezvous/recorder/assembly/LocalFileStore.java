package dev.rendezvous.recorder.assembly;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Files under a directory: {@code <dir>/<recordingId>/<name>}; the duration is patched in place. A completed
 * file's origin is kept beside it in {@code .<name>.origin} (written last: a file without one is unfinished).
 */
public final class LocalFileStore implements FileStore {

    private final Path dir;

    public LocalFileStore(Path dir) {
        this.dir = dir;
    }

    @Override
    public Target create(String recordingId, String name) throws IOException {
        return create(recordingId, name, "");
    }

    @Override
    public Optional<String> origin(String recordingId, String name) throws IOException {
        Path marker = originFile(dir.resolve(safe(recordingId)).resolve(safe(name)));
        return Files.exists(marker) ? Optional.of(Files.readString(marker)) : Optional.empty();
    }

    @Override
    public Target create(String recordingId, String name, String origin) throws IOException {
        Path file = dir.resolve(safe(recordingId)).resolve(safe(name));
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(originFile(file));
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
                Files.writeString(originFile(file), origin == null ? "" : origin);
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

    private static Path originFile(Path file) {
        return file.resolveSibling("." + file.getFileName() + ".origin");
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
