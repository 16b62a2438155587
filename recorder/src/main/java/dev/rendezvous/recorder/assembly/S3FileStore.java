package dev.rendezvous.recorder.assembly;

import dev.rendezvous.resilience.Dependency;
import dev.rendezvous.resilience.Guard;
import dev.rendezvous.resilience.ResilienceSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Files in an S3 bucket under {@code recordings/<recordingId>/<name>}, streamed while the recording runs: once
 * a file passes {@value #PART_BYTES} bytes it becomes a multipart upload whose parts 2, 3, … are sent as they
 * fill. Part 1, the file's first {@value #PART_BYTES} bytes, is held until the end: it holds the duration that
 * is only known then, and S3 lets parts arrive in any order. A file that stays smaller is one plain PUT.
 * Cost: up to two parts' worth of memory per open file.
 *
 * <p>Every S3 call goes through the S3 {@link Guard} (Resilience4j: circuit breaker, bulkhead, retries with backoff;
 * the client is given the guard's time limit as its own call timeout). Retried, because repeating them changes
 * nothing: reads, a part upload (same part number, same bytes), the PUT of a whole small file, an abort, and the
 * completion (a repeat after a lost answer finds the upload gone: the file is then checked to be there, whole). Not
 * retried: starting a multipart upload (a repeat would start a second one). A call that still fails, or that an open
 * breaker refuses, fails the chunk: the consumer restarts from the held offset after its backoff and the open files
 * are rebuilt (nothing is lost; what a previous attempt left half-done is aborted, see below), so a recorder facing a
 * down S3 waits and resumes by itself, without hammering it while the breaker is open.
 *
 * <p>Restarts: a file carries its origin (user metadata {@value #ORIGIN_METADATA}, see {@link #origin}); starting a
 * file aborts the multipart uploads a previous owner left unfinished under its key (a recorder killed mid-file), so
 * a rebuilt file replaces the half-written one and nothing dangles.
 */
public final class S3FileStore implements FileStore {

    private static final Logger log = LoggerFactory.getLogger(S3FileStore.class);

    /** User metadata holding a file's origin (S3 returns it as {@code x-amz-meta-rendezvous-origin}). */
    static final String ORIGIN_METADATA = "rendezvous-origin";

    /** S3's smallest part (but the last). */
    static final int PART_BYTES = 5 * 1024 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final Guard guard;

    /** A guard policy for uploads, the recorder's application.yml's: 30 s per call (a 5 MiB part), breaker after 3. */
    static final ResilienceSettings.Policy UPLOADS = new ResilienceSettings.Policy(Duration.ofSeconds(30),
            Duration.ofSeconds(75), 2, Duration.ofSeconds(1), 10, 3, 50f, Duration.ofSeconds(15), 1, 8);

    /** With a guard of its own ({@link #UPLOADS}; its breaker is in no metrics): for tests and tools. */
    public S3FileStore(S3Client s3, String bucket) {
        this(s3, bucket, Guard.standalone(Dependency.S3, UPLOADS));
    }

    /** {@code guard}: the S3 guard of the app (give {@code s3} its {@link Guard#timeout()} as call timeout). */
    public S3FileStore(S3Client s3, String bucket, Guard guard) {
        this.s3 = s3;
        this.bucket = bucket;
        this.guard = guard;
    }

    public String bucket() {
        return bucket;
    }

    @Override
    public Target create(String recordingId, String name) throws IOException {
        return create(recordingId, name, "");
    }

    @Override
    public Target create(String recordingId, String name, String origin) throws IOException {
        String key = key(recordingId, name);
        abortUnfinished(key);
        return new Upload(key, origin == null || origin.isEmpty() ? Map.of() : Map.of(ORIGIN_METADATA, origin));
    }

    @Override
    public String key(String recordingId, String name) {
        return "recordings/" + LocalFileStore.safe(recordingId) + "/" + LocalFileStore.safe(name);
    }

    @Override
    public Optional<String> origin(String recordingId, String name) throws IOException {
        String key = key(recordingId, name);
        try {
            Map<String, String> meta =
                    guard.blocking(true, () -> s3.headObject(r -> r.bucket(bucket).key(key))).metadata();
            return Optional.of(meta.getOrDefault(ORIGIN_METADATA, ""));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new IOException("S3 lookup of " + key + " failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IOException("S3 lookup of " + key + " failed: " + e.getMessage(), e);
        }
    }

    /** Aborts the multipart uploads under exactly {@code key} that nobody will complete (a dead owner's). */
    private void abortUnfinished(String key) throws IOException {
        try {
            var unfinished = guard.blocking(true, () -> s3.listMultipartUploads(r -> r.bucket(bucket).prefix(key)));
            for (MultipartUpload u : unfinished.uploads()) {
                if (u.key().equals(key)) {
                    abortUpload(key, u.uploadId());
                    log.info("{}: unfinished upload {} of a previous owner aborted", key, u.uploadId());
                }
            }
        } catch (RuntimeException e) {
            throw new IOException("S3 listing of unfinished uploads of " + key + " failed: " + e.getMessage(), e);
        }
    }

    /** Aborts an upload; one already gone (a repeat after a lost answer) is aborted. */
    private void abortUpload(String key, String uploadId) {
        try {
            guard.blocking(true, () -> s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        try {
            return guard.blocking(true, () -> s3.getObject(r -> r.bucket(bucket).key(key)));
        } catch (RuntimeException e) {
            throw new IOException("S3 read of " + key + " failed: " + e.getMessage(), e);
        }
    }

    private final class Upload extends OutputStream implements Target {
        private final String key;
        private final Map<String, String> metadata;
        private final ByteArrayOutputStream first = new ByteArrayOutputStream(PART_BYTES);
        private final ByteArrayOutputStream current = new ByteArrayOutputStream(PART_BYTES);
        private final List<CompletedPart> parts = new ArrayList<>();
        private String uploadId;
        private long size;

        Upload(String key, Map<String, String> metadata) {
            this.key = key;
            this.metadata = metadata;
        }

        @Override
        public OutputStream stream() {
            return this;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            size += len;
            int toFirst = Math.max(0, Math.min(len, PART_BYTES - first.size()));
            first.write(b, off, toFirst);
            current.write(b, off + toFirst, len - toFirst);
            if (current.size() >= PART_BYTES) {
                uploadPart(current.toByteArray());
                current.reset();
            }
        }

        private void uploadPart(byte[] bytes) throws IOException {
            try {
                if (uploadId == null) {
                    uploadId = guard.blocking(false, () -> s3.createMultipartUpload(r -> r.bucket(bucket).key(key)
                            .contentType("video/webm").metadata(metadata))).uploadId();
                }
                int number = parts.size() + 2; // part 1 comes last
                parts.add(part(number, bytes));
            } catch (RuntimeException e) {
                throw new IOException("S3 part of " + key + " failed: " + e.getMessage(), e);
            }
        }

        /** Uploads part {@code number}; a repeat (same number, same bytes) replaces it with itself. */
        private CompletedPart part(int number, byte[] bytes) {
            String etag = guard.blocking(true, () -> s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                    .partNumber(number), RequestBody.fromBytes(bytes))).eTag();
            return CompletedPart.builder().partNumber(number).eTag(etag).build();
        }

        /**
         * Completes the multipart upload. A repeat after an answer that was lost finds the upload gone (404): the file
         * is then there already, which is checked (its size and origin) rather than assumed.
         */
        private void completeUpload() {
            try {
                guard.blocking(true, () -> s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(parts))));
            } catch (S3Exception e) {
                if (e.statusCode() != 404 || !isStored()) {
                    throw e;
                }
                log.info("{}: completion answered {} after a retry; the file is stored whole", key, e.statusCode());
            }
        }

        private boolean isStored() {
            try {
                var head = guard.blocking(true, () -> s3.headObject(r -> r.bucket(bucket).key(key)));
                String origin = metadata.getOrDefault(ORIGIN_METADATA, "");
                return head.contentLength() == size && origin.equals(head.metadata().getOrDefault(ORIGIN_METADATA, ""));
            } catch (S3Exception e) {
                return false;
            }
        }

        @Override
        public StoredFile complete(long durationOffset, double durationMs) throws IOException {
            byte[] head = first.toByteArray();
            ByteBuffer.wrap(head, (int) durationOffset, 8).putDouble(durationMs);
            return finish(head, (long) durationMs);
        }

        @Override
        public StoredFile complete(long durationMs) throws IOException {
            return finish(first.toByteArray(), durationMs);
        }

        private StoredFile finish(byte[] head, long durationMs) throws IOException {
            try {
                if (uploadId == null) {
                    byte[] all = new byte[head.length + current.size()];
                    System.arraycopy(head, 0, all, 0, head.length);
                    System.arraycopy(current.toByteArray(), 0, all, head.length, current.size());
                    guard.blocking(true, () -> s3.putObject(r -> r.bucket(bucket).key(key).contentType("video/webm")
                            .metadata(metadata), RequestBody.fromBytes(all)));
                } else {
                    if (current.size() > 0) {
                        uploadPart(current.toByteArray());
                        current.reset();
                    }
                    parts.add(part(1, head));
                    parts.sort(Comparator.comparingInt(CompletedPart::partNumber));
                    completeUpload();
                }
            } catch (RuntimeException e) {
                throw new IOException("S3 upload of " + key + " failed: " + e.getMessage(), e);
            }
            return new StoredFile(key, size, durationMs);
        }

        @Override
        public void abort() {
            if (uploadId != null) {
                try {
                    abortUpload(key, uploadId);
                } catch (RuntimeException e) {
                    // the bucket's lifecycle rule removes what is left
                }
            }
        }
    }
}
