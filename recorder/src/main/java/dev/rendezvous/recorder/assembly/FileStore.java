package dev.rendezvous.recorder.assembly;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/** Where assembled files go: a local directory (embedded run, tests) or S3 with multipart uploads. */
public interface FileStore {

    /** A file being written. */
    interface Target {
        /** Where the file's bytes go, front to back. */
        OutputStream stream();

        /**
         * The file is complete: the 8 bytes at {@code durationOffset} are set to {@code durationMs} (a big-endian
         * double, WebM's Duration) and it is made durable. Returns what was stored.
         */
        StoredFile complete(long durationOffset, double durationMs) throws IOException;

        /** The file is complete as written (its writer set the duration itself) and is made durable. */
        StoredFile complete(long durationMs) throws IOException;

        /** Given up: whatever was written is removed. */
        void abort();
    }

    /** A finished file: its key in the store, its size and its duration. */
    record StoredFile(String key, long sizeBytes, long durationMs) {}

    /** Starts {@code name} of {@code recordingId}. */
    Target create(String recordingId, String name) throws IOException;

    /**
     * Starts {@code name} of {@code recordingId}, to be stored with {@code origin} (what identifies the file
     * across restarts: where its first chunk is), which {@link #origin} returns once the file is complete. What
     * a previous owner left half-written under that name is discarded.
     */
    default Target create(String recordingId, String name, String origin) throws IOException {
        return create(recordingId, name);
    }

    /** The origin {@code name} of {@code recordingId} was completed with; empty when no complete file has that name. */
    default Optional<String> origin(String recordingId, String name) throws IOException {
        return Optional.empty();
    }

    /** The key {@code name} of {@code recordingId} is stored under (what {@link StoredFile#key()} says). */
    default String key(String recordingId, String name) {
        return LocalFileStore.safe(recordingId) + "/" + LocalFileStore.safe(name);
    }

    /**
     * A target for a file that is already stored complete (its chunks read again after a restart): the bytes are
     * counted and dropped, and {@code complete} reports the stored file again without touching it.
     */
    default Target stored(String recordingId, String name) {
        String key = key(recordingId, name);
        return new Target() {
            private long size;
            private final OutputStream counting = new OutputStream() {
                @Override
                public void write(int b) {
                    size++;
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    size += len;
                }
            };

            @Override
            public OutputStream stream() {
                return counting;
            }

            @Override
            public StoredFile complete(long durationOffset, double durationMs) {
                return new StoredFile(key, size, (long) durationMs);
            }

            @Override
            public StoredFile complete(long durationMs) {
                return new StoredFile(key, size, durationMs);
            }

            @Override
            public void abort() {
                // nothing was written
            }
        };
    }

    /** Reads back a stored file by its {@link StoredFile#key()}; the caller closes the stream. */
    InputStream open(String key) throws IOException;
}
