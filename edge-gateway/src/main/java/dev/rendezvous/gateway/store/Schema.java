package dev.rendezvous.gateway.store;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The gateway's own tables, created at start if missing, and their migrations: each statement is idempotent
 * ({@code IF NOT EXISTS}), later changes are appended as further statements (columns added, never altered in place),
 * so the list is the migration history and a database of any earlier version is brought up to date. Safe when
 * several gateways start at once: the DDL runs in one transaction under an advisory lock. {@code chat_messages} is
 * not here: stream-apps owns it (the gateway only reads it for history).
 */
public final class Schema {

    private static final Logger log = LoggerFactory.getLogger(Schema.class);

    /** Arbitrary constant for {@code pg_advisory_xact_lock}: "rdv-gw" in ASCII. */
    private static final long LOCK_KEY = 0x7264762d6777L;

    static final List<String> DDL = List.of(
            """
            CREATE TABLE IF NOT EXISTS users (
              id            uuid PRIMARY KEY,
              email         varchar(320) NOT NULL,
              password_hash varchar(100) NOT NULL,
              display_name  varchar(100) NOT NULL,
              created_at    timestamptz  NOT NULL DEFAULT now()
            )""",
            // case-insensitive uniqueness without the citext extension (which needs a superuser to install)
            "CREATE UNIQUE INDEX IF NOT EXISTS users_email_lower_key ON users (lower(email))",
            """
            CREATE TABLE IF NOT EXISTS meetings (
              id         uuid PRIMARY KEY,
              code       varchar(16)  NOT NULL UNIQUE,
              title      varchar(200) NOT NULL,
              host_id    uuid         NOT NULL REFERENCES users (id),
              lobby      boolean      NOT NULL DEFAULT false,
              created_at timestamptz  NOT NULL DEFAULT now(),
              ended_at   timestamptz
            )""",
            "CREATE INDEX IF NOT EXISTS meetings_host_idx ON meetings (host_id)",
            """
            CREATE TABLE IF NOT EXISTS meeting_participants (
              meeting_id      uuid        NOT NULL REFERENCES meetings (id),
              user_id         uuid        NOT NULL REFERENCES users (id),
              first_joined_at timestamptz NOT NULL DEFAULT now(),
              PRIMARY KEY (meeting_id, user_id)
            )""",
            // 2026-12-05: meeting settings (API.md POST /api/v1/meetings). Added columns, never changed ones, so
            // an older gateway still running during a rolling update keeps working (it ignores them).
            "ALTER TABLE meetings ADD COLUMN IF NOT EXISTS starts_at timestamptz",
            "ALTER TABLE meetings ADD COLUMN IF NOT EXISTS mute_on_entry boolean NOT NULL DEFAULT false",
            "ALTER TABLE meetings ADD COLUMN IF NOT EXISTS allow_guests boolean NOT NULL DEFAULT true",
            "ALTER TABLE meetings ADD COLUMN IF NOT EXISTS max_participants integer",
            // 2026-12-05: invitations of registered users (POST /api/v1/meetings/{id}/invites)
            """
            CREATE TABLE IF NOT EXISTS meeting_invites (
              meeting_id uuid        NOT NULL REFERENCES meetings (id),
              user_id    uuid        NOT NULL REFERENCES users (id),
              invited_by uuid        NOT NULL REFERENCES users (id),
              invited_at timestamptz NOT NULL DEFAULT now(),
              PRIMARY KEY (meeting_id, user_id)
            )""",
            "CREATE INDEX IF NOT EXISTS meeting_invites_user_idx ON meeting_invites (user_id)",
            // 2026-12-05: who the room processor admitted (joined) and who a host removed, users and guests alike;
            // chat history is for those admitted and not removed (web.HistoryAccess)
            """
            CREATE TABLE IF NOT EXISTS meeting_admissions (
              meeting_id     uuid        NOT NULL REFERENCES meetings (id),
              participant_id varchar(64) NOT NULL,
              admitted_at    timestamptz,
              removed_at     timestamptz,
              PRIMARY KEY (meeting_id, participant_id)
            )""",
            // 2026-12-05: the name a participant had when admitted (a guest has no users row): recordings' file list
            "ALTER TABLE meeting_admissions ADD COLUMN IF NOT EXISTS display_name varchar(200)");

    private final ConnectionFactory connections;

    public Schema(ConnectionFactory connections) {
        this.connections = connections;
    }

    public Mono<Void> ensure() {
        return Mono.usingWhen(connections.create(), this::ensureOn, Connection::close)
                .doOnSuccess(v -> log.info("database schema ready (users, meetings, meeting_participants, meeting_invites)"));
    }

    private Mono<Void> ensureOn(Connection c) {
        Flux<Object> steps = Flux.concat(
                Mono.from(c.beginTransaction()),
                run(c, "SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")"),
                Flux.fromIterable(DDL).concatMap(sql -> run(c, sql)),
                Mono.from(c.commitTransaction()));
        return steps.then().onErrorResume(e -> Mono.from(c.rollbackTransaction()).then(Mono.error(e)));
    }

    private static Flux<Object> run(Connection c, String sql) {
        return Flux.from(c.createStatement(sql).execute())
                .concatMap(r -> Flux.from(r.getRowsUpdated()).cast(Object.class));
    }
}
