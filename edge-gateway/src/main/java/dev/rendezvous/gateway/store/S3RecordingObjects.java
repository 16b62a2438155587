package dev.rendezvous.gateway.store;

import dev.rendezvous.resilience.Guard;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Recording files in S3 (or s3proxy): presigned GET links, signed locally (no request to S3), and deletion through
 * the blocking client on the bounded-elastic scheduler, never on a Netty thread.
 */
public final class S3RecordingObjects implements RecordingObjects, AutoCloseable {

    private final S3Presigner presigner;
    private final S3Client client;
    private final Duration ttl;
    private final Guard guard;

    /** {@code guard}: the S3 guard deletions go through (signing a link makes no request). */
    public S3RecordingObjects(S3Presigner presigner, S3Client client, Duration ttl, Guard guard) {
        this.presigner = presigner;
        this.client = client;
        this.ttl = ttl;
        this.guard = guard;
    }

    @Override
    public String link(String bucket, String objectKey) {
        return presigner.presignGetObject(r -> r.signatureDuration(ttl)
                .getObjectRequest(g -> g.bucket(bucket).key(objectKey))).url().toString();
    }

    @Override
    public Mono<Void> delete(String bucket, List<String> objectKeys) {
        if (objectKeys.isEmpty()) {
            return Mono.empty();
        }
        return Mono.defer(() -> {
            // the guard's time limit cancels a call, which interrupts its thread: the failure that follows has no one
            // to go to, and ends quietly instead of being logged as a dropped error
            AtomicBoolean cancelled = new AtomicBoolean();
            return Mono.fromRunnable(() -> client.deleteObjects(r -> r.bucket(bucket).delete(Delete.builder()
                            .objects(objectKeys.stream().map(k -> ObjectIdentifier.builder().key(k).build()).toList())
                            .quiet(true).build())))
                    .onErrorResume(e -> cancelled.get(), e -> Mono.empty())
                    .subscribeOn(Schedulers.boundedElastic())
                    .doOnCancel(() -> cancelled.set(true));
        }).then()
                .transform(guard::idempotent); // deleting twice is deleting once
    }

    @Override
    public void close() {
        presigner.close();
        client.close();
    }
}
