package dev.rendezvous.gateway.store;

import dev.rendezvous.resilience.Guard;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/** The {@code users} table. Emails are unique regardless of case. */
public final class Users {

    /** The most ids one {@link #existing} call takes. */
    public static final int MAX_BATCH = 1_000;

    private final DatabaseClient db;
    private final Guard guard;

    /** {@code guard}: the PostgreSQL guard every query goes through (time limit, breaker, bulkhead, retries of reads). */
    public Users(DatabaseClient db, Guard guard) {
        this.db = db;
        this.guard = guard;
    }

    /** Inserts; fails with {@link UniqueViolationException} if the email (in any case) is taken. */
    public Mono<UserRecord> create(String email, String passwordHash, String displayName, Instant now) {
        UUID id = UUID.randomUUID();
        return db.sql("INSERT INTO users (id, email, password_hash, display_name, created_at) VALUES (:id, :email, :hash, :name, :at)")
                .bind("id", id).bind("email", email).bind("hash", passwordHash).bind("name", displayName)
                .bind("at", now)
                .fetch().rowsUpdated()
                .transform(guard::once)
                .thenReturn(new UserRecord(id, email, passwordHash, displayName, now))
                .onErrorMap(DuplicateKeyException.class, e -> new UniqueViolationException("users_email_lower_key", e));
    }

    public Mono<Boolean> emailTaken(String email) {
        return db.sql("SELECT 1 FROM users WHERE lower(email) = lower(:email)")
                .bind("email", email).map(r -> 1).first().hasElement()
                .transform(guard::idempotent);
    }

    public Mono<UserRecord> findByEmail(String email) {
        return db.sql("SELECT id, email, password_hash, display_name, created_at FROM users WHERE lower(email) = lower(:email)")
                .bind("email", email).map(Users::row).first()
                .transform(guard::idempotent);
    }

    public Mono<UserRecord> findById(UUID id) {
        return db.sql("SELECT id, email, password_hash, display_name, created_at FROM users WHERE id = :id")
                .bind("id", id).map(Users::row).first()
                .transform(guard::idempotent);
    }

    /** Those of {@code ids} that still exist (at most {@link #MAX_BATCH} per call): one query. */
    public Mono<Set<UUID>> existing(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Mono.just(Set.of());
        }
        if (ids.size() > MAX_BATCH) {
            return Mono.error(new IllegalArgumentException("at most " + MAX_BATCH + " ids per query, not " + ids.size()));
        }
        return db.sql("SELECT id FROM users WHERE id = ANY(:ids)")
                .bind("ids", ids.toArray(new UUID[0]))
                .map(r -> r.get("id", UUID.class)).all()
                .collect(Collectors.toUnmodifiableSet())
                .transform(guard::idempotent);
    }

    private static UserRecord row(Readable r) {
        return new UserRecord(r.get("id", UUID.class), r.get("email", String.class), r.get("password_hash", String.class),
                r.get("display_name", String.class), r.get("created_at", Instant.class));
    }
}
