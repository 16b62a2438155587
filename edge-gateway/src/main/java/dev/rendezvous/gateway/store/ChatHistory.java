package dev.rendezvous.gateway.store;

import dev.rendezvous.resilience.Guard;
import io.r2dbc.spi.R2dbcException;
import java.time.Instant;
import java.util.UUID;
import org.springframework.dao.DataAccessException;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;

/**
 * Reads stream-apps' {@code chat_messages} table. The gateway never writes it; if stream-apps has not created it
 * yet there is no history, and the answer is empty.
 */
public final class ChatHistory {

    /** PostgreSQL's SQLSTATE for "relation does not exist". */
    static final String UNDEFINED_TABLE = "42P01";

    private final DatabaseClient db;
    private final Guard guard;

    /** {@code guard}: the PostgreSQL guard every query goes through (time limit, breaker, bulkhead, retries of reads). */
    public ChatHistory(DatabaseClient db, Guard guard) {
        this.db = db;
        this.guard = guard;
    }

    /** The last {@code limit} messages of a meeting, oldest first. */
    public Flux<HistoryMessage> last(UUID meetingId, int limit) {
        return db.sql("""
                SELECT seq, client_msg_id, sender_id, sender_name, text, sent_at FROM (
                  SELECT seq, client_msg_id, sender_id, sender_name, text, sent_at
                    FROM chat_messages WHERE meeting_id = :m ORDER BY seq DESC LIMIT :limit
                ) last ORDER BY seq ASC""")
                .bind("m", meetingId).bind("limit", limit)
                .map(r -> new HistoryMessage(r.get("seq", Long.class), r.get("client_msg_id", String.class),
                        r.get("sender_id", String.class), r.get("sender_name", String.class),
                        r.get("text", String.class), r.get("sent_at", Instant.class)))
                .all()
                .transform(guard::idempotentAll)
                .onErrorResume(ChatHistory::isMissingTable, e -> Flux.empty());
    }

    static boolean isMissingTable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof R2dbcException r && UNDEFINED_TABLE.equals(r.getSqlState())) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return e instanceof DataAccessException && String.valueOf(e.getMessage()).contains("chat_messages\" does not exist");
    }
}
