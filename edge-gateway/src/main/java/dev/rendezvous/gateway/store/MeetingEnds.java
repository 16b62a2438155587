package dev.rendezvous.gateway.store;

import dev.rendezvous.resilience.Guard;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * Stores that a meeting ended ({@code meetings.ended_at}), from the room processor's {@code room.meeting.ended}
 * records. The first end wins: a replayed record changes nothing.
 */
public final class MeetingEnds {

    private final DatabaseClient db;
    private final Guard guard;

    /** {@code guard}: the PostgreSQL guard every query goes through (time limit, breaker, bulkhead, retries of reads). */
    public MeetingEnds(DatabaseClient db, Guard guard) {
        this.db = db;
        this.guard = guard;
    }

    /** Completes when stored (or when it already was); 0 or 1 rows changed. */
    public Mono<Long> markEnded(UUID meetingId, Instant endedAt) {
        return db.sql("UPDATE meetings SET ended_at = :at WHERE id = :id AND ended_at IS NULL")
                .bind("at", endedAt).bind("id", meetingId)
                .fetch().rowsUpdated()
                .transform(guard::idempotent);
    }
}
