package dev.rendezvous.gateway.store;

import dev.rendezvous.resilience.Guard;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * The {@code meeting_admissions} table: who the room processor let into a meeting (its {@code joined} answer) and
 * who a host removed, by participant id (a user id, or {@code guest:<uuid>}). It outlives the room, so that those
 * who were in a meeting may read its chat history after they left or it ended, and those removed may not.
 */
public final class Admissions {

    /** What the table says about one participant of one meeting. */
    public enum Status {
        /** Admitted (joined) at least once and not removed since. */
        ADMITTED,
        /** Removed by a host (or denied in the lobby), and not admitted again since. */
        REMOVED,
        /** Never admitted. */
        NONE
    }

    private final DatabaseClient db;
    private final Guard guard;

    /** {@code guard}: the PostgreSQL guard every query goes through (time limit, breaker, bulkhead, retries of reads). */
    public Admissions(DatabaseClient db, Guard guard) {
        this.db = db;
        this.guard = guard;
    }

    /**
     * The processor admitted the participant (again): admitted, and no longer removed; {@code displayName} (may be
     * null: then the one known stays) is the name they joined with, the only name a guest has. Idempotent.
     */
    public Mono<Void> admit(UUID meetingId, String participantId, String displayName, Instant at) {
        DatabaseClient.GenericExecuteSpec sql = db.sql("""
                INSERT INTO meeting_admissions (meeting_id, participant_id, admitted_at, display_name)
                VALUES (:m, :p, :at, :n)
                ON CONFLICT (meeting_id, participant_id)
                DO UPDATE SET admitted_at = COALESCE(meeting_admissions.admitted_at, EXCLUDED.admitted_at), removed_at = NULL,
                              display_name = COALESCE(EXCLUDED.display_name, meeting_admissions.display_name)""")
                .bind("m", meetingId).bind("p", participantId).bind("at", at);
        sql = displayName == null ? sql.bindNull("n", String.class) : sql.bind("n", displayName);
        return sql.fetch().rowsUpdated().transform(guard::idempotent).then();
    }

    /** A host removed the participant (or denied them in the lobby). Idempotent. */
    public Mono<Void> remove(UUID meetingId, String participantId, Instant at) {
        return db.sql("""
                INSERT INTO meeting_admissions (meeting_id, participant_id, removed_at) VALUES (:m, :p, :at)
                ON CONFLICT (meeting_id, participant_id) DO UPDATE SET removed_at = EXCLUDED.removed_at""")
                .bind("m", meetingId).bind("p", participantId).bind("at", at)
                .fetch().rowsUpdated().transform(guard::idempotent).then();
    }

    public Mono<Status> status(UUID meetingId, String participantId) {
        return db.sql("SELECT admitted_at, removed_at FROM meeting_admissions WHERE meeting_id = :m AND participant_id = :p")
                .bind("m", meetingId).bind("p", participantId)
                .map(r -> r.get("removed_at", Instant.class) != null ? Status.REMOVED
                        : r.get("admitted_at", Instant.class) != null ? Status.ADMITTED : Status.NONE)
                .first()
                .transform(guard::idempotent)
                .defaultIfEmpty(Status.NONE);
    }
}
