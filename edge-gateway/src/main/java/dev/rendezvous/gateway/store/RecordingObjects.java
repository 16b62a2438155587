package dev.rendezvous.gateway.store;

import java.util.List;
import reactor.core.publisher.Mono;

/** The recording files in object storage: a time-limited download link for each, and deleting them. */
public interface RecordingObjects {

    /** A presigned GET of the object, valid for the configured time; null when files cannot be linked. */
    String link(String bucket, String objectKey);

    /** Deletes the objects (missing ones are fine). */
    Mono<Void> delete(String bucket, List<String> objectKeys);

    /** No object storage configured: no links, nothing to delete. */
    static RecordingObjects none() {
        return new RecordingObjects() {
            @Override
            public String link(String bucket, String objectKey) {
                return null;
            }

            @Override
            public Mono<Void> delete(String bucket, List<String> objectKeys) {
                return Mono.empty();
            }
        };
    }
}
