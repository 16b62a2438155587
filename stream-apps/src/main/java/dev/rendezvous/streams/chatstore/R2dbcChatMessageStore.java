package dev.rendezvous.streams.chatstore;

import dev.rendezvous.streams.persist.SqlErrors;
import dev.rendezvous.topics.model.ChatMessage;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * {@link ChatMessageStore} on PostgreSQL through R2DBC. One {@code INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING}
 * per batch: one round trip, atomic, idempotent (a row is already stored when its (meeting, seq) or its (meeting,
 * sender, clientMsgId) is).
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

    /**
     * One statement text for every batch: seven array parameters, one per column, unnested into rows. Binding a
     * value per cell made R2DBC parse a statement of 7 × rows placeholders and encode each cell as a publisher of
     * its own: a quarter of stream-apps' CPU at 1,000 chat msg/s (docs/benchmarks.md).
     */
    static final String INSERT = "INSERT INTO chat_messages"
            + " (meeting_id, seq, client_msg_id, sender_id, sender_name, text, sent_at)"
            + " SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::varchar[], $4::varchar[], $5::varchar[], $6::text[],"
            + " $7::timestamptz[]) ON CONFLICT DO NOTHING";
    /** Rows per statement, as many as rendezvous.chat-store.max-batch allows: bounds one statement's size. */
    public static final int MAX_ROWS = 5_000;
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
            int n = messages.size();
            UUID[] meetings = new UUID[n];
            Long[] seqs = new Long[n];
            String[] clientMsgIds = new String[n];
            String[] senderIds = new String[n];
            String[] senderNames = new String[n];
            String[] texts = new String[n];
            OffsetDateTime[] sentAt = new OffsetDateTime[n];
            for (int i = 0; i < n; i++) {   // a null cell stays null: the column's NOT NULL refuses the batch
                ChatMessage m = messages.get(i);
                meetings[i] = UUID.fromString(m.meetingId());
                seqs[i] = m.seq();
                clientMsgIds[i] = m.clientMsgId();
                senderIds[i] = m.senderId();
                senderNames[i] = m.senderName();
                texts[i] = m.text();
                sentAt[i] = m.sentAt() == null ? null : OffsetDateTime.ofInstant(m.sentAt(), ZoneOffset.UTC);
            }
            return db.sql(INSERT).bindValues(List.of(meetings, seqs, clientMsgIds, senderIds, senderNames, texts, sentAt))
                    .fetch().rowsUpdated();
        }).onErrorMap(SqlErrors::refusesData, SqlErrors::classify);
    }
}
