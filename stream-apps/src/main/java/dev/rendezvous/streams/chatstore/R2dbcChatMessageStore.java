package dev.rendezvous.streams.chatstore;

import dev.rendezvous.streams.persist.SqlErrors;
import dev.rendezvous.topics.model.ChatMessage;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import reactor.core.publisher.Mono;

/**
 * {@link ChatMessageStore} on PostgreSQL through R2DBC. One multi-row
 * {@code INSERT … ON CONFLICT DO NOTHING} per batch: one round trip, atomic, idempotent (a row is already stored when
 * its (meeting, seq) or its (meeting, sender, clientMsgId) is).
 */
public final class R2dbcChatMessageStore implements ChatMessageStore {

    /** The gateway reads this table for history: keep exactly this shape. */
    static final String DDL = """
            CREATE TABLE IF NOT EXISTS chat_messages (
                meeting_id    uuid         NOT NULL,
                seq           bigint       NOT NULL,
                client_msg_id varchar(64)  NOT NULL,
                sender_id     varchar(100) NOT NULL,
                sender_name   varchar(100) NOT NULL,
                text          text         NOT NULL,
                sent_at       timestamptz  NOT NULL,
                PRIMARY KEY (meeting_id, seq)
            )""";

    /**
     * 2026-12-05: a message's identity is (meeting, sender, clientMsgId), as in the room processor's dedup: another
     * sender's message with the same clientMsgId is a message of its own. Replaces the first release's
     * UNIQUE (meeting_id, client_msg_id); both statements are idempotent, so any earlier database is brought up to date.
     */
    static final List<String> MIGRATIONS = List.of(
            "ALTER TABLE chat_messages DROP CONSTRAINT IF EXISTS chat_messages_meeting_id_client_msg_id_key",
            "CREATE UNIQUE INDEX IF NOT EXISTS chat_messages_sender_msg_key ON chat_messages (meeting_id, sender_id, client_msg_id)");

    private static final String COLUMNS = "(meeting_id, seq, client_msg_id, sender_id, sender_name, text, sent_at)";
    private static final int PARAMS_PER_ROW = 7;
    /** PostgreSQL's bind-parameter limit is 65,535. */
    public static final int MAX_ROWS = 65_535 / PARAMS_PER_ROW;
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final DatabaseClient db;

    public R2dbcChatMessageStore(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Mono<Void> createSchema() {
        Mono<Void> all = db.sql(DDL).then();
        for (String m : MIGRATIONS) {
            all = all.then(db.sql(m).then());
        }
        return all;
    }

    @Override
    public Mono<Long> insert(List<ChatMessage> messages) {
        if (messages.isEmpty()) {
            return Mono.just(0L);
        }
        if (messages.size() > MAX_ROWS) {
            return Mono.error(new IllegalArgumentException("at most " + MAX_ROWS + " rows per insert"));
        }
        for (ChatMessage m : messages) {
            if (m.meetingId() == null || !UUID_TEXT.matcher(m.meetingId()).matches()) {
                return Mono.error(new RefusedDataException("meeting id is not a UUID: " + m.meetingId(), null));
            }
        }
        return Mono.defer(() -> {
            // one bindValues call: binding one by one copies the spec's map per call (quadratic in the batch)
            List<Object> values = new ArrayList<>(messages.size() * PARAMS_PER_ROW);
            for (ChatMessage m : messages) {
                values.add(UUID.fromString(m.meetingId()));
                values.add(m.seq());
                values.add(orEmpty(m.clientMsgId(), String.class));
                values.add(orEmpty(m.senderId(), String.class));
                values.add(orEmpty(m.senderName(), String.class));
                values.add(orEmpty(m.text(), String.class));
                values.add(m.sentAt() == null ? Parameter.empty(OffsetDateTime.class)
                        : OffsetDateTime.ofInstant(m.sentAt(), ZoneOffset.UTC));
            }
            return db.sql(sql(messages.size())).bindValues(values).fetch().rowsUpdated();
        }).onErrorMap(SqlErrors::refusesData, SqlErrors::classify);
    }

    private static Object orEmpty(Object value, Class<?> type) {
        return value == null ? Parameter.empty(type) : value;
    }

    static String sql(int rows) {
        StringBuilder sb = new StringBuilder(64 + rows * 40).append("INSERT INTO chat_messages ").append(COLUMNS).append(" VALUES ");
        int p = 1;
        for (int r = 0; r < rows; r++) {
            sb.append(r == 0 ? "(" : ", (");
            for (int c = 0; c < PARAMS_PER_ROW; c++) {
                sb.append(c == 0 ? "$" : ", $").append(p++);
            }
            sb.append(')');
        }
        return sb.append(" ON CONFLICT DO NOTHING").toString();
    }
}
