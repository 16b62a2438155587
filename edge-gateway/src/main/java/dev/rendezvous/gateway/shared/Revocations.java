package dev.rendezvous.gateway.shared;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * Identities refused until a moment (in practice: until the last token that could carry them expires). Keys come
 * from {@link RevocationKeys}: a token (its {@code jti}), a subject, a participant of one meeting.
 */
public interface Revocations {

    /** Refuses {@code key} until {@code until}; a moment already past changes nothing. */
    Mono<Void> revoke(String key, Instant until);

    /** True if any of {@code keys} is revoked now. */
    default Mono<Boolean> anyRevoked(List<String> keys) {
        return revokedAmong(keys).map(revoked -> !revoked.isEmpty());
    }

    /**
     * Those of {@code keys} revoked now, in one read of the store (a batch): the live sockets' periodic re-check
     * asks for all of a gateway's identities at once. Callers bound the batch ({@link #MAX_BATCH}).
     */
    Mono<Set<String>> revokedAmong(Collection<String> keys);

    /** The most keys one {@link #revokedAmong} call takes. */
    int MAX_BATCH = 1_000;
}
