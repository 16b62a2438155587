package dev.rendezvous.streams.chatstore;

import dev.rendezvous.resilience.Guard;
import dev.rendezvous.streams.room.ChatHistorySeq;
import java.time.Duration;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * {@link ChatHistorySeq} on PostgreSQL: the highest {@code seq} of {@code chat_messages} for the meeting (the table
 * {@link R2dbcChatMessageStore} writes), read by the room processor's stream thread when a room has no chat state.
 * Blocks that thread for at most the timeout; a failure (database down, table not created yet) is thrown, and the
 * processor refuses the message with a retryable error rather than guess a seq. The read goes through PostgreSQL's
 * {@link Guard}: while its circuit breaker is open (the chat store found the database down) it fails at once instead
 * of holding the stream thread for the timeout.
 */
public final class R2dbcChatHistorySeq implements ChatHistorySeq {

    private static final String SQL = "SELECT coalesce(max(seq), 0) AS last_seq FROM chat_messages WHERE meeting_id = $1";

    private final DatabaseClient db;
    private final Duration timeout;
    private final Guard guard;

    public R2dbcChatHistorySeq(DatabaseClient db, Duration timeout, Guard guard) {
        this.db = db;
        this.timeout = timeout;
        this.guard = guard;
    }

    @Override
    public long lastSeq(String meetingId) {
        UUID id;
        try {
            id = UUID.fromString(meetingId);
        } catch (IllegalArgumentException e) {
            return 0;   // the chat store keeps only meetings with UUID ids: nothing stored
        }
        Long last = guard.idempotent(db.sql(SQL).bind(0, id).map(row -> row.get("last_seq", Long.class)).one())
                .block(timeout);
        return last == null ? 0 : last;
    }
}
