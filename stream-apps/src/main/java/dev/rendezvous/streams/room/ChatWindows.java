package dev.rendezvous.streams.room;

import dev.rendezvous.streams.room.ChatRoomState.Recent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

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
 * still read, so a room active across the upgrade keeps its seq and window; it is deleted when the room closes.
 */
final class ChatWindows {

    /** Rooms whose windows stay in memory; a full window of 256 entries is ~40 KB. */
    static final int CACHED_ROOMS = 1024;

    private static final StringSerializer KEYS = new StringSerializer();

    private final KeyValueStore<String, Recent> entries;
    private final KeyValueStore<String, ChatRoomState> legacy;
    private final int size;
    private final Map<String, ChatWindow> cached = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ChatWindow> eldest) {
            return size() > CACHED_ROOMS;
        }
    };

    ChatWindows(KeyValueStore<String, Recent> entries, KeyValueStore<String, ChatRoomState> legacy, int size) {
        this.entries = entries;
        this.legacy = legacy;
        this.size = size;
    }

    static ChatWindows in(ProcessorContext<?, ?> ctx, int size) {
        return new ChatWindows(ctx.getStateStore(RoomTopology.CHAT_RECENT_STORE), ctx.getStateStore(RoomTopology.CHAT_STORE), size);
    }

    /** The room's window, or null when nothing is stored for it (a new room, or one that closed). */
    ChatWindow find(String meetingId) {
        ChatWindow w = cached.get(meetingId);
        if (w != null) {
            return w;
        }
        List<Recent> stored = stored(meetingId);
        ChatRoomState old = legacy.get(meetingId);
        if (stored.isEmpty() && old == null) {
            return null;
        }
        if (old != null) {
            stored.addAll(old.recent());
        }
        w = ChatWindow.of(old == null ? 0 : old.lastSeq(), stored, size);
        cached.put(meetingId, w);
        return w;
    }

    /**
     * A room without a window gets one rebuilt from its stored history ({@link ChatHistory}): the newest entries are
     * kept in memory and written to the store before any new message's, so a crash can leave the store with them
     * but not with a later entry alone (one changelog partition, written in order). A room restored with only the
     * later entries would give messages replayed from before them new seqs.
     */
    ChatWindow seeded(String meetingId, List<Recent> history) {
        ChatWindow w = ChatWindow.of(0, history, size);
        for (Recent r : w.recent()) {
            entries.put(key(meetingId, Math.floorMod(r.seq(), size)), r);
        }
        cached.put(meetingId, w);
        return w;
    }

    /** Accepts a message into the room's window (a new window when {@code w} is not yet kept) and stores its entry. */
    Recent accept(String meetingId, ChatWindow w, String sender, String clientMsgId) {
        Recent r = w.accept(sender, clientMsgId);
        entries.put(key(meetingId, Math.floorMod(r.seq(), size)), r);
        cached.put(meetingId, w);
        return r;
    }

    /** The room closed: its window goes (tombstones), from memory and from both stores. */
    void closed(String meetingId) {
        cached.remove(meetingId);
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, Recent> it = entries.prefixScan(meetingId + RoomMemberStore.SEPARATOR, KEYS)) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        keys.forEach(entries::delete);
        if (legacy.get(meetingId) != null) {
            legacy.delete(meetingId);
        }
    }

    private List<Recent> stored(String meetingId) {
        List<Recent> l = new ArrayList<>();
        try (KeyValueIterator<String, Recent> it = entries.prefixScan(meetingId + RoomMemberStore.SEPARATOR, KEYS)) {
            it.forEachRemaining(kv -> {
                if (kv.value != null) {
                    l.add(kv.value);
                }
            });
        }
        return l;
    }

    static String key(String meetingId, long slot) {
        return meetingId + RoomMemberStore.SEPARATOR + slot;
    }
}
