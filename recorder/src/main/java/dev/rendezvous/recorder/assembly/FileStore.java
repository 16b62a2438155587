package dev.rendezvous.recorder.assembly;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

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

    /** Reads back a stored file by its {@link StoredFile#key()}; the caller closes the stream. */
    InputStream open(String key) throws IOException;
}
