package dev.rendezvous.streams.chatstore;

import dev.rendezvous.resilience.Guard;
import dev.rendezvous.streams.room.ChatHistory;
import dev.rendezvous.streams.room.ChatRoomState.Recent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * {@link ChatHistory} on PostgreSQL, the table {@code chat_messages} that {@link R2dbcChatMessageStore} writes, by its
 * primary key (meeting_id, seq):
 * <ul>
 *   <li>a meeting's newest rows, asked for by the room processor when a room without a chat window opens (without
 *       blocking, a few at a time), and read on its stream thread only when that answer is missing: that read blocks
 *       the thread for at most the timeout, and a failure (database down, table not created yet) is thrown, so that
 *       the processor refuses the message with a retryable error rather than guess a seq;</li>
 *   <li>each meeting's highest stored seq, for the rooms that closed, asked once a minute by each task without
 *       blocking, the process's reads one after another.</li>
 * </ul>
 * Every read goes through PostgreSQL's {@link Guard}: while its circuit breaker is open (the chat store found the
 * database down) it fails at once instead of waiting for the timeout.
 */
public final class R2dbcChatHistory implements ChatHistory {

    private static final String SQL = "SELECT seq, sender_id, client_msg_id FROM chat_messages"
            + " WHERE meeting_id = $1 ORDER BY seq DESC LIMIT $2";
    /** Each meeting's max(seq) by the primary key (meeting_id, seq): one index probe per meeting, one round trip. */
    private static final String LAST_SEQS_SQL = "SELECT m.id AS meeting_id,"
            + " (SELECT max(c.seq) FROM chat_messages c WHERE c.meeting_id = m.id) AS seq"
            + " FROM unnest($1::uuid[]) AS m(id)";

    /** Reads asked for when rooms open ({@link #newestSoon}) in flight at once, at most. */
    static final int EARLY_READS = 4;

    private final Semaphore earlyReads = new Semaphore(EARLY_READS);
    /** Guards {@link #lastCheck}: the closed rooms' checks of the process run one after another. */
    private final Object checks = new Object();
    private CompletableFuture<?> lastCheck = CompletableFuture.completedFuture(null);
    private final DatabaseClient db;
    private final Duration timeout;
    private final Guard guard;

    public R2dbcChatHistory(DatabaseClient db, Duration timeout, Guard guard) {
        this.db = db;
        this.timeout = timeout;
        this.guard = guard;
    }

    @Override
    public List<Recent> newest(String meetingId, int limit) {
        UUID id = uuid(meetingId);
        if (id == null) {
            return List.of();   // the chat store keeps only meetings with UUID ids: nothing stored
        }
        List<Recent> rows = newest(id, limit).block(timeout);
        return rows == null ? List.of() : rows;
    }

    /**
     * Starts the read unless {@link #EARLY_READS} are in flight already: they share PostgreSQL's bulkhead with the chat
     * store's INSERTs, and many rooms open together on the hour. Then the answer is a failed future at once, and the
     * room's first message reads for itself.
     */
    @Override
    public CompletableFuture<List<Recent>> newestSoon(String meetingId, int limit) {
        UUID id = uuid(meetingId);
        if (id == null) {
            return CompletableFuture.completedFuture(List.of());
        }
        if (!earlyReads.tryAcquire()) {
            return CompletableFuture.failedFuture(new IllegalStateException("too many early chat history reads"));
        }
        return newest(id, limit).timeout(timeout).defaultIfEmpty(List.of()).doFinally(signal -> earlyReads.release())
                .toFuture();
    }

    private Mono<List<Recent>> newest(UUID id, int limit) {
        return guard.idempotent(db.sql(SQL).bind(0, id).bind(1, limit)
                .map(row -> new Recent(row.get("sender_id", String.class), row.get("client_msg_id", String.class),
                        row.get("seq", Long.class)))
                .all().collectList());
    }

    @Override
    public Map<String, Long> lastStoredSeqs(Collection<String> meetingIds) {
        Map<String, Long> seqs = lastSeqs(meetingIds).block(timeout);
        return seqs == null ? Map.of() : seqs;
    }

    /**
     * Starts the read when the process's previous one is over: the check is asked on the minute by every room task at
     * once, and the reads share PostgreSQL's bulkhead with the chat store's INSERTs and the history reads (an instance
     * with many tasks would otherwise fill it, and a new room's first message be refused). One after another, each
     * with the timeout from its own start; none is refused, so no task waits behind the others round after round.
     */
    @Override
    public CompletableFuture<Map<String, Long>> lastStoredSeqsSoon(Collection<String> meetingIds) {
        List<String> ids = List.copyOf(meetingIds);
        synchronized (checks) {
            CompletableFuture<Map<String, Long>> answer = lastCheck.handle((done, failed) -> null)
                    .thenCompose(ignored -> lastSeqs(ids).timeout(timeout).toFuture());
            lastCheck = answer;
            return answer;
        }
    }

    private Mono<Map<String, Long>> lastSeqs(Collection<String> meetingIds) {
        Map<UUID, List<String>> ids = new HashMap<>();   // two spellings of one UUID both get its answer
        for (String m : meetingIds) {
            UUID id = uuid(m);
            if (id != null) {
                ids.computeIfAbsent(id, k -> new ArrayList<>()).add(m);   // the others have nothing stored
            }
        }
        if (ids.isEmpty()) {
            return Mono.just(new HashMap<>());
        }
        return guard.idempotent(db.sql(LAST_SEQS_SQL).bind(0, ids.keySet().toArray(UUID[]::new))
                        .map(row -> Map.entry(row.get("meeting_id", UUID.class), nullToZero(row.get("seq", Long.class))))
                        .all().collectList())
                .map(rows -> {
                    Map<String, Long> seqs = new HashMap<>();
                    rows.stream().filter(r -> r.getValue() > 0)
                            .forEach(r -> ids.getOrDefault(r.getKey(), List.of()).forEach(m -> seqs.put(m, r.getValue())));
                    return seqs;
                })
                .defaultIfEmpty(new HashMap<>());
    }

    private static long nullToZero(Long seq) {
        return seq == null ? 0 : seq;
    }

    private static UUID uuid(String meetingId) {
        try {
            return UUID.fromString(meetingId);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
