package dev.rendezvous.streams.room;

import dev.rendezvous.streams.room.ChatRoomState.Recent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms' chat windows ({@link ChatWindow}), stored one record per accepted message: store {@code chat-recent}, key
 * {@code <meetingId>|<seq mod window>}, value the entry ({@link ChatRecentSerde}, ~80 bytes). A message overwrites the
 * slot of the one that leaves the window, so the changelog carries one small record per message. (The window used to
 * be one value per room, up to 256 entries, rewritten for every message: ~20 KB into RocksDB and the changelog per
 * room and commit, and decoded and encoded whole for every message.) The last seq is the highest stored entry's.
 *
 * <p>The windows of recently active rooms are kept in memory (at most {@link #CACHED_ROOMS}); a room's window is read
 * back with one prefix scan when it is not. Only this class writes the store, and the room processor is single-
 * threaded per task and re-created with its task, so the memory never disagrees with the store.
 *
 * <p>Crash safety: the entries of one room are written in seq order to one changelog partition, so a crash leaves a
 * prefix of them; re-reading the input from the last commit then finds the stored ones as retries (same seq) and gives
 * the others the same seqs as before. A room whose window did not reach the changelog at all (its first messages came
 * after the last commit) is rebuilt from PostgreSQL, which may hold those messages already: they are found there as
 * retries too ({@link #seeded}). The store of the first releases ({@code chat-rooms}, one value per room) is
 * still read, so a room active across the upgrade keeps its seq and window.
 *
 * <p>A room that closes keeps its window (store {@code chat-closed} remembers it, {@link ClosedChat}) until PostgreSQL
 * holds its last message: the chat store writes a message some hundreds of milliseconds after it was accepted (more
 * while PostgreSQL is slow or down), and a room that opened again before that and rebuilt its window from PostgreSQL
 * would give a new message the seq of one still on its way there, which the INSERT would then drop as a conflict.
 * Every minute of stream time, the windows of rooms closed for at least {@link #CLOSED_RETENTION} are checked against
 * PostgreSQL, all in one read that the stream thread does not wait for ({@link ChatHistory#lastStoredSeqsSoon}: the
 * punctuation falls on the minute in every task at once, when many meetings end together too; a read per room, and then
 * a read per task waited for, held every room's chat behind them). Once it holds a room's last seq, the
 * window is deleted (tombstones) a few entries every 100 ms of wall-clock time ({@link #forgetSome}): 100 rooms closed
 * together are 25,600 tombstones, which written at once held every other room's chat for ~200 ms. A room that opens
 * again takes its window (or what is left of it) back.
 */
final class ChatWindows {

    /** Rooms whose windows stay in memory; a window of 256 entries is two arrays of 2 KB. */
    static final int CACHED_ROOMS = 1024;

    /** How long a closed room's window is kept at least, in stream time, before PostgreSQL is asked about it. */
    static final Duration CLOSED_RETENTION = Duration.ofMinutes(1);
    /**
     * How long a closed room's window is kept at most: past that it is deleted without asking (a last message the
     * chat store refused for good would otherwise keep it for ever). Far longer than any outage the chat store rides
     * out with its retries.
     */
    static final Duration CLOSED_MAX_RETENTION = Duration.ofDays(1);
    /** Closed rooms checked against PostgreSQL per punctuation, at most (one query for all, not waited for). */
    static final int EXPIRIES_PER_ROUND = 1024;
    /** How often windows that may go are deleted, a few entries at a time ({@link #FORGET_PER_TICK}), by wall clock. */
    static final Duration FORGET_INTERVAL = Duration.ofMillis(100);
    /**
     * Entries deleted per {@link #FORGET_INTERVAL}, at most: ~1 ms of the stream thread. A full window is 256 entries,
     * so a task forgets up to five rooms a second; rooms that close together (on the hour) wait their turn instead
     * of holding every other room's chat while thousands of tombstones are written.
     */
    static final int FORGET_PER_TICK = 128;

    private static final Logger log = LoggerFactory.getLogger(ChatWindows.class);
    private static final StringSerializer KEYS = new StringSerializer();

    private final KeyValueStore<String, Recent> entries;
    private final KeyValueStore<String, ClosedChat> closedRooms;
    private final KeyValueStore<String, ChatRoomState> legacy;
    private final ChatHistory history;
    private final int size;
    /**
     * The stored history asked for when a room without a window opened ({@link ChatHistory#newestSoon}), until its
     * first message or its closing; at most {@link #CACHED_ROOMS}, the oldest dropped (their first message then reads
     * it itself).
     */
    private final Map<String, CompletableFuture<List<Recent>>> asked = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<List<Recent>>> eldest) {
            if (size() > CACHED_ROOMS) {
                eldest.getValue().cancel(false);
                return true;
            }
            return false;
        }
    };
    /** The closed rooms' check on its way to PostgreSQL, if one is ({@link #expireClosed}). */
    private Check checking;
    /** Rooms whose windows may go (PostgreSQL holds their last message), in turn; not stored: re-found after a restart. */
    private final Set<String> forgetting = new LinkedHashSet<>();
    private final Map<String, ChatWindow> cached = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ChatWindow> eldest) {
            return size() > CACHED_ROOMS;
        }
    };

    ChatWindows(KeyValueStore<String, Recent> entries, KeyValueStore<String, ClosedChat> closedRooms,
                KeyValueStore<String, ChatRoomState> legacy, ChatHistory history, int size) {
        this.entries = entries;
        this.closedRooms = closedRooms;
        this.legacy = legacy;
        this.history = history;
        this.size = size;
    }

    /** The windows of the task's stores; checks closed rooms' windows every minute of stream time. */
    static ChatWindows in(ProcessorContext<?, ?> ctx, ChatHistory history, int size) {
        ChatWindows w = new ChatWindows(ctx.getStateStore(RoomTopology.CHAT_RECENT_STORE),
                ctx.getStateStore(RoomTopology.CHAT_CLOSED_STORE), ctx.getStateStore(RoomTopology.CHAT_STORE), history, size);
        ctx.schedule(Duration.ofMinutes(1), PunctuationType.STREAM_TIME, w::expireClosed);
        ctx.schedule(FORGET_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> {
            w.takeAnswer();
            w.forgetSome(FORGET_PER_TICK);
        });
        return w;
    }

    /** The room's window, or null when nothing is stored for it (a new room, or one that closed). */
    ChatWindow find(String meetingId) {
        ChatWindow w = cached.get(meetingId);
        if (w != null) {
            return w;
        }
        // A room that opens again while its window is being deleted keeps what is left of it: the entries go lowest
        // seq first, so what is left holds the last seq; with nothing left it is rebuilt from PostgreSQL.
        forgetting.remove(meetingId);
        List<Recent> stored = stored(meetingId);
        ChatRoomState old = legacy.get(meetingId);
        if (stored.isEmpty() && old == null) {
            return null;
        }
        if (old != null) {
            stored.addAll(old.recent());
        }
        w = ChatWindow.of(old == null ? 0 : old.lastSeq(), stored, size);
        if (closedRooms.get(meetingId) != null) {
            closedRooms.delete(meetingId);   // the room is open again, and its window with it
        }
        cached.put(meetingId, w);
        return w;
    }

    /**
     * A room opened (its first member is in): when it has no window, its stored history is asked for now, without
     * waiting, for its first message ({@link #storedHistory}). A room with a window takes it back ({@link #find}).
     */
    void opened(String meetingId) {
        if (asked.containsKey(meetingId) || find(meetingId) != null) {
            return;
        }
        CompletableFuture<List<Recent>> answer;
        try {
            answer = history.newestSoon(meetingId, size);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);   // the first message reads it itself
        }
        asked.put(meetingId, answer);
    }

    /**
     * The stored history of a room without a window, for {@link #seeded}: the answer asked for when it opened, waited
     * for if it is not in yet (the read has its own timeout), or read now when there is none or it had failed.
     *
     * @throws RuntimeException when it cannot be known now (database unreachable)
     */
    List<Recent> storedHistory(String meetingId) {
        CompletableFuture<List<Recent>> answer = asked.remove(meetingId);
        if (answer != null) {
            boolean failedBefore = answer.isCompletedExceptionally();
            try {
                return answer.join();
            } catch (CompletionException | CancellationException e) {
                if (!failedBefore) {   // waited for it, and it failed: not a second wait
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
                // it failed when the room opened: PostgreSQL may be back, ask again now
            }
        }
        return history.newest(meetingId, size);
    }

    /**
     * A room without a window gets one rebuilt from its stored history ({@link ChatHistory}): the newest entries are
     * kept in memory and written to the store before any new message's, so a crash can leave the store with them
     * but not with a later entry alone (one changelog partition, written in order). A room restored with only the
     * later entries would give messages replayed from before them new seqs.
     */
    ChatWindow seeded(String meetingId, List<Recent> history) {
        // The room is open again. A crash can leave a closed room's note without its entries (the note and the
        // entries are in different changelogs): the note must not send this open room's new window to deletion.
        forgetting.remove(meetingId);
        if (closedRooms.get(meetingId) != null) {
            closedRooms.delete(meetingId);
        }
        List<Recent> kept = ChatWindow.newest(history, size);
        for (Recent r : kept) {
            entries.put(key(meetingId, Math.floorMod(r.seq(), size)), r);
        }
        ChatWindow w = ChatWindow.of(0, kept, size);
        cached.put(meetingId, w);
        return w;
    }

    /**
     * The seq the sender's clientMsgId got, if it is in the room's window: a match of the window's hash is confirmed
     * against the stored entry, so a message whose ids only hash alike (by chance, or made to) is not taken for a
     * retry. When no stored entry can tell (its slot is empty, as for the first releases' windows, or holds another
     * seq, as after a window size change or in a window rebuilt with gaps in its seqs) the hash is trusted.
     */
    OptionalLong seqOf(String meetingId, ChatWindow w, String sender, String clientMsgId) {
        return w.seqOf(sender, clientMsgId, seq -> {
            Recent stored = entries.get(key(meetingId, Math.floorMod(seq, size)));
            return stored == null || stored.seq() != seq
                    || (sender.equals(stored.sender()) && Objects.equals(clientMsgId, stored.clientMsgId()));
        });
    }

    /** Accepts a message into the room's window (a new window when {@code w} is not yet kept) and stores its entry. */
    Recent accept(String meetingId, ChatWindow w, String sender, String clientMsgId) {
        Recent r = w.accept(sender, clientMsgId);
        entries.put(key(meetingId, Math.floorMod(r.seq(), size)), r);
        cached.put(meetingId, w);
        return r;
    }

    /**
     * The room closed: its window leaves memory and is kept in the stores until PostgreSQL holds its last message
     * ({@link #expireClosed}); nothing is kept for a room that never chatted.
     */
    void closed(String meetingId, long ts) {
        CompletableFuture<List<Recent>> answer = asked.remove(meetingId);
        if (answer != null) {
            answer.cancel(false);   // not needed any more (a reactive read stops)
        }
        forgetting.remove(meetingId);   // checked again a minute from now
        ChatWindow w = cached.remove(meetingId);
        long lastSeq = w != null ? w.lastSeq() : stored(meetingId).stream().mapToLong(Recent::seq).max().orElse(0);
        ChatRoomState old = legacy.get(meetingId);
        if (old != null) {
            lastSeq = Math.max(lastSeq, old.lastSeq());
        }
        if (lastSeq > 0) {
            closedRooms.put(meetingId, new ClosedChat(ts, lastSeq));
        }
    }

    /**
     * Asks PostgreSQL, in one read and without waiting, whether it holds the last messages of the rooms closed at least
     * {@link #CLOSED_RETENTION} before {@code streamTime}; the windows of those it holds are deleted once the answer is
     * in ({@link #takeAnswer}), the others are asked about again at the next round. One read per task at a time: while
     * one is on its way, the round asks nothing. When the read fails (PostgreSQL unreachable) nothing is deleted on a
     * guess.
     */
    void expireClosed(long streamTime) {
        long before = streamTime - CLOSED_RETENTION.toMillis();
        long giveUp = streamTime - CLOSED_MAX_RETENTION.toMillis();
        List<String> due = new ArrayList<>();
        List<String> abandoned = new ArrayList<>();
        try (KeyValueIterator<String, ClosedChat> it = closedRooms.all()) {
            while (it.hasNext()) {
                var kv = it.next();
                if (kv.value == null || kv.value.closedAt() <= giveUp) {
                    abandoned.add(kv.key);
                } else if (kv.value.closedAt() <= before && due.size() < EXPIRIES_PER_ROUND
                        && !forgetting.contains(kv.key) && !cached.containsKey(kv.key)) {
                    due.add(kv.key);
                }
            }
        }
        for (String meetingId : abandoned) {
            if (forgetting.add(meetingId)) {
                log.warn("meeting {}: PostgreSQL still lacks the last chat message a day after its room closed; its"
                        + " window goes", meetingId);
            }
        }
        if (due.isEmpty() || checking != null) {
            return;
        }
        CompletableFuture<Map<String, Long>> answer;
        try {
            answer = history.lastStoredSeqsSoon(due);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        checking = new Check(due, answer);
        takeAnswer();   // an answer given at once is taken at once
    }

    /**
     * Takes the answer of the closed rooms' check when it is in: a room goes when PostgreSQL holds the last seq of its
     * current note (a room that opened, and maybe closed again, while it was asked keeps its window, or is judged by
     * its new note). Called by the check and before every deleting tick.
     */
    void takeAnswer() {
        if (checking == null || !checking.answer().isDone()) {
            return;
        }
        Check check = checking;
        checking = null;
        Map<String, Long> stored;
        try {
            stored = Objects.requireNonNullElse(check.answer().join(), Map.of());
        } catch (CompletionException | CancellationException e) {
            log.warn("cannot read the stored chat of {} closed rooms; their windows are kept: {}", check.rooms().size(),
                    String.valueOf(e.getCause()));
            return;
        }
        for (String meetingId : check.rooms()) {
            ClosedChat note = closedRooms.get(meetingId);
            if (note != null && !cached.containsKey(meetingId) && stored.getOrDefault(meetingId, 0L) >= note.lastSeq()) {
                forgetting.add(meetingId);
            }   // else still on its way to PostgreSQL, or the room is open again
        }
    }

    /** A check of closed rooms asked of PostgreSQL: the rooms, and the answer (each one's highest stored seq). */
    private record Check(List<String> rooms, CompletableFuture<Map<String, Long>> answer) {}

    /**
     * Deletes up to {@code budget} entries of the windows that may go, room by room in turn. A room's entries go
     * lowest seq first and its note (and the first releases' value) last, so that whatever a crash leaves of the
     * entries (one changelog partition, written in order) still holds the last seq: a room that opens again continues
     * from it, or, with no entry left, from PostgreSQL (which holds every message of a window that may go, but for a
     * room given up on a day after it closed). The note is in another changelog and may outlive its entries in a
     * crash; {@link #seeded} deletes such a note when the room opens again. A room with its window in memory (open
     * and chatting) is not touched.
     */
    void forgetSome(int budget) {
        var rooms = forgetting.iterator();
        while (budget > 0 && rooms.hasNext()) {
            String meetingId = rooms.next();
            if (cached.containsKey(meetingId)) {
                rooms.remove();   // open and chatting again: its window stays
                continue;
            }
            List<Map.Entry<String, Recent>> left = scan(meetingId);   // the keys as stored, whatever the size
            left.sort(Comparator.comparingLong(e -> e.getValue().seq()));
            int n = Math.min(budget, left.size());
            for (int i = 0; i < n; i++) {
                entries.delete(left.get(i).getKey());
            }
            budget -= Math.max(1, n);
            if (n == left.size()) {
                if (legacy.get(meetingId) != null) {
                    legacy.delete(meetingId);
                }
                closedRooms.delete(meetingId);
                rooms.remove();
            }
        }
    }

    private List<Recent> stored(String meetingId) {
        List<Recent> l = new ArrayList<>();
        scan(meetingId).forEach(e -> l.add(e.getValue()));
        return l;
    }

    /** The room's stored entries with their keys (one prefix scan). */
    private List<Map.Entry<String, Recent>> scan(String meetingId) {
        List<Map.Entry<String, Recent>> l = new ArrayList<>();
        try (KeyValueIterator<String, Recent> it = entries.prefixScan(meetingId + RoomMemberStore.SEPARATOR, KEYS)) {
            it.forEachRemaining(kv -> {
                if (kv.value != null) {
                    l.add(Map.entry(kv.key, kv.value));
                }
            });
        }
        return l;
    }

    static String key(String meetingId, long slot) {
        return meetingId + RoomMemberStore.SEPARATOR + slot;
    }
}
