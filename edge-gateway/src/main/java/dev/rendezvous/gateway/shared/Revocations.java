package dev.rendezvous.gateway.shared;

import java.time.Instant;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Identities refused until a moment (in practice: until the last token that could carry them expires). Keys come
 * from {@link RevocationKeys}: a token (its {@code jti}), a subject, a participant of one meeting.
 */
public interface Revocations {

    /** Refuses {@code key} until {@code until}; a moment already past changes nothing. */
    Mono<Void> revoke(String key, Instant until);

    /** True if any of {@code keys} is revoked now. */
    Mono<Boolean> anyRevoked(List<String> keys);
}
