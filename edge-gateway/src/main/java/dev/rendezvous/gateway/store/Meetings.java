package dev.rendezvous.gateway.store;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/** The {@code meetings} and {@code meeting_participants} tables. */
public final class Meetings implements MeetingDirectory {

    private static final String SELECT = """
            SELECT m.id, m.code, m.title, m.host_id, u.display_name AS host_name, m.lobby, m.created_at, m.ended_at
              FROM meetings m LEFT JOIN users u ON u.id = m.host_id
            """;

    private final DatabaseClient db;

    public Meetings(DatabaseClient db) {
        this.db = db;
    }

    /** Inserts; fails with {@link UniqueViolationException} if the code is taken. */
    public Mono<MeetingRecord> create(String code, String title, UUID hostId, boolean lobby, Instant now) {
        UUID id = UUID.randomUUID();
        return db.sql("INSERT INTO meetings (id, code, title, host_id, lobby, created_at) VALUES (:id, :code, :title, :host, :lobby, :at)")
                .bind("id", id).bind("code", code).bind("title", title).bind("host", hostId).bind("lobby", lobby)
                .bind("at", now)
                .fetch().rowsUpdated()
                .thenReturn(new MeetingRecord(id, code, title, hostId, null, lobby, now, null))
                .onErrorMap(DuplicateKeyException.class, e -> new UniqueViolationException("meetings_code_key", e));
    }

    @Override
    public Mono<MeetingRecord> findById(UUID id) {
        return db.sql(SELECT + " WHERE m.id = :id").bind("id", id).map(Meetings::row).first();
    }

    public Mono<MeetingRecord> findByCode(String code) {
        return db.sql(SELECT + " WHERE m.code = :code").bind("code", code).map(Meetings::row).first();
    }

    /** Remembers that a registered user joined (they may then read the meeting and its history). Idempotent. */
    @Override
    public Mono<Void> recordParticipant(UUID meetingId, UUID userId, Instant now) {
        return db.sql("""
                INSERT INTO meeting_participants (meeting_id, user_id, first_joined_at) VALUES (:m, :u, :at)
                ON CONFLICT (meeting_id, user_id) DO NOTHING""")
                .bind("m", meetingId).bind("u", userId).bind("at", now)
                .fetch().rowsUpdated().then();
    }

    public Mono<Boolean> isParticipant(UUID meetingId, UUID userId) {
        return db.sql("SELECT 1 FROM meeting_participants WHERE meeting_id = :m AND user_id = :u")
                .bind("m", meetingId).bind("u", userId).map(r -> 1).first().hasElement();
    }

    private static MeetingRecord row(Readable r) {
        return new MeetingRecord(r.get("id", UUID.class), r.get("code", String.class), r.get("title", String.class),
                r.get("host_id", UUID.class), r.get("host_name", String.class),
                Boolean.TRUE.equals(r.get("lobby", Boolean.class)), r.get("created_at", Instant.class),
                r.get("ended_at", Instant.class));
    }
}
