package dev.rendezvous.gateway.store;

import dev.rendezvous.resilience.Guard;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The {@code meetings}, {@code meeting_participants} and {@code meeting_invites} tables. */
public final class Meetings implements MeetingDirectory {

    private static final String COLUMNS = """
            m.id, m.code, m.title, m.host_id, u.display_name AS host_name, m.lobby, m.created_at, m.ended_at,
            m.starts_at, m.mute_on_entry, m.allow_guests, m.max_participants""";

    private static final String SELECT = "SELECT " + COLUMNS + " FROM meetings m LEFT JOIN users u ON u.id = m.host_id\n";

    /**
     * A user's meetings: hosted, and invited to (unless they host it). Upcoming first, soonest first; then past,
     * latest first; ties by creation and id so the order is stable. {@code :cutoff} is "now − grace".
     */
    private static final String FOR_USER = """
            SELECT %s, l.role, l.past FROM (
              SELECT m.id, 'HOST' AS role FROM meetings m WHERE m.host_id = :u
              UNION ALL
              SELECT i.meeting_id, 'INVITED' FROM meeting_invites i JOIN meetings m ON m.id = i.meeting_id
               WHERE i.user_id = :u AND m.host_id <> :u
            ) mine
            JOIN meetings m ON m.id = mine.id
            LEFT JOIN users u ON u.id = m.host_id
            CROSS JOIN LATERAL (SELECT mine.role,
                                       (m.ended_at IS NOT NULL OR COALESCE(m.starts_at, m.created_at) < :cutoff) AS past,
                                       COALESCE(m.starts_at, m.created_at) AS at) l
            ORDER BY l.past, CASE WHEN l.past THEN NULL ELSE l.at END ASC, l.at DESC, m.created_at DESC, m.id
            LIMIT :limit""".formatted(COLUMNS);

    private final DatabaseClient db;
    private final Guard guard;

    /** {@code guard}: the PostgreSQL guard every query goes through (time limit, breaker, bulkhead, retries of reads). */
    public Meetings(DatabaseClient db, Guard guard) {
        this.db = db;
        this.guard = guard;
    }

    /** Inserts; fails with {@link UniqueViolationException} if the code is taken. */
    public Mono<MeetingRecord> create(String code, String title, UUID hostId, MeetingSettings s, Instant now) {
        UUID id = UUID.randomUUID();
        DatabaseClient.GenericExecuteSpec insert = db.sql("""
                INSERT INTO meetings (id, code, title, host_id, lobby, created_at, starts_at, mute_on_entry, allow_guests,
                                      max_participants)
                VALUES (:id, :code, :title, :host, :lobby, :at, :startsAt, :mute, :guests, :max)""")
                .bind("id", id).bind("code", code).bind("title", title).bind("host", hostId).bind("lobby", s.lobby())
                .bind("at", now).bind("mute", s.muteOnEntry()).bind("guests", s.allowGuests());
        insert = bindNullable(insert, "startsAt", s.startsAt(), Instant.class);
        insert = bindNullable(insert, "max", s.maxParticipants(), Integer.class);
        return insert.fetch().rowsUpdated()
                .transform(guard::once)
                .thenReturn(new MeetingRecord(id, code, title, hostId, null, s.lobby(), now, null, s.startsAt(),
                        s.muteOnEntry(), s.allowGuests(), s.maxParticipants()))
                .onErrorMap(DuplicateKeyException.class, e -> new UniqueViolationException("meetings_code_key", e));
    }

    /**
     * Writes the fields a request changes, and only those ({@link MeetingChanges}), then reads the meeting back: a
     * concurrent change of another field is kept, not overwritten with the value read before it. Empty if there is no
     * such meeting.
     */
    public Mono<MeetingRecord> update(UUID id, MeetingChanges changes) {
        if (changes.isEmpty()) {
            return findById(id);
        }
        // column names come from the enum, never from the request; values are bound
        String set = changes.values().keySet().stream().map(f -> f.column + " = :" + f.name())
                .collect(Collectors.joining(", "));
        DatabaseClient.GenericExecuteSpec update = db.sql("UPDATE meetings SET " + set + " WHERE id = :id").bind("id", id);
        for (Map.Entry<MeetingChanges.Field, Object> e : changes.values().entrySet()) {
            update = bindNullable(update, e.getKey().name(), e.getValue(), e.getKey().type);
        }
        // the same values written twice are the same row: safe to retry
        return update.fetch().rowsUpdated().transform(guard::idempotent).then(findById(id));
    }

    @Override
    public Mono<MeetingRecord> findById(UUID id) {
        return db.sql(SELECT + " WHERE m.id = :id").bind("id", id).map(Meetings::row).first().transform(guard::idempotent);
    }

    public Mono<MeetingRecord> findByCode(String code) {
        return db.sql(SELECT + " WHERE m.code = :code").bind("code", code).map(Meetings::row).first()
                .transform(guard::idempotent);
    }

    /**
     * The meetings a user hosts or is invited to, upcoming (soonest first) before past (latest first), at most
     * {@code limit}. A meeting is past once it has ended or its time (scheduled start, else creation) is before
     * {@code cutoff}.
     */
    public Flux<UserMeeting> forUser(UUID userId, Instant cutoff, int limit) {
        return db.sql(FOR_USER).bind("u", userId).bind("cutoff", cutoff).bind("limit", limit)
                .map(r -> new UserMeeting(row(r), UserMeeting.Role.valueOf(r.get("role", String.class)),
                        Boolean.TRUE.equals(r.get("past", Boolean.class))))
                .all()
                .transform(guard::idempotentAll);
    }

    /** Remembers that a registered user joined (they may then read the meeting and its history). Idempotent. */
    @Override
    public Mono<Void> recordParticipant(UUID meetingId, UUID userId, Instant now) {
        return db.sql("""
                INSERT INTO meeting_participants (meeting_id, user_id, first_joined_at) VALUES (:m, :u, :at)
                ON CONFLICT (meeting_id, user_id) DO NOTHING""")
                .bind("m", meetingId).bind("u", userId).bind("at", now)
                .fetch().rowsUpdated().transform(guard::idempotent).then();
    }

    public Mono<Boolean> isParticipant(UUID meetingId, UUID userId) {
        return db.sql("SELECT 1 FROM meeting_participants WHERE meeting_id = :m AND user_id = :u")
                .bind("m", meetingId).bind("u", userId).map(r -> 1).first().hasElement().transform(guard::idempotent);
    }

    /** Records an invitation; inviting someone twice keeps the first. Answers true if it is new. */
    public Mono<Boolean> invite(UUID meetingId, UUID userId, UUID invitedBy, Instant now) {
        return db.sql("""
                INSERT INTO meeting_invites (meeting_id, user_id, invited_by, invited_at) VALUES (:m, :u, :by, :at)
                ON CONFLICT (meeting_id, user_id) DO NOTHING""")
                .bind("m", meetingId).bind("u", userId).bind("by", invitedBy).bind("at", now)
                .fetch().rowsUpdated().transform(guard::once).map(n -> n > 0); // a repeat would answer "not new"
    }

    @Override
    public Mono<Boolean> isInvited(UUID meetingId, UUID userId) {
        return db.sql("SELECT 1 FROM meeting_invites WHERE meeting_id = :m AND user_id = :u")
                .bind("m", meetingId).bind("u", userId).map(r -> 1).first().hasElement().transform(guard::idempotent);
    }

    private static DatabaseClient.GenericExecuteSpec bindNullable(DatabaseClient.GenericExecuteSpec spec, String name,
                                                                  Object value, Class<?> type) {
        return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
    }

    private static MeetingRecord row(Readable r) {
        return new MeetingRecord(r.get("id", UUID.class), r.get("code", String.class), r.get("title", String.class),
                r.get("host_id", UUID.class), r.get("host_name", String.class),
                Boolean.TRUE.equals(r.get("lobby", Boolean.class)), r.get("created_at", Instant.class),
                r.get("ended_at", Instant.class), r.get("starts_at", Instant.class),
                Boolean.TRUE.equals(r.get("mute_on_entry", Boolean.class)),
                !Boolean.FALSE.equals(r.get("allow_guests", Boolean.class)), r.get("max_participants", Integer.class));
    }
}
