package dev.rendezvous.gateway.store;

import java.time.Instant;
import java.util.UUID;
import reactor.core.publisher.Mono;

/** What a join needs to know about meetings (implemented by {@link Meetings}; faked in tests). */
public interface MeetingDirectory {

    /** The meeting, or empty if there is none with this id. */
    Mono<MeetingRecord> findById(UUID id);

    /** True when the meeting's host invited this user (invited people skip the lobby). */
    default Mono<Boolean> isInvited(UUID meetingId, UUID userId) {
        return Mono.just(false);
    }

    /** Remembers that a registered user joined (idempotent). */
    Mono<Void> recordParticipant(UUID meetingId, UUID userId, Instant now);
}
