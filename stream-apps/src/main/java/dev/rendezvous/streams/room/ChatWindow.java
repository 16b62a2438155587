package dev.rendezvous.streams.room;

import dev.rendezvous.streams.room.ChatRoomState.Recent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongPredicate;

/**
 * One room's chat window in memory: the last sequence number and, for the most recent accepted messages (at most
 * {@code size}), each one's seq and a 64-bit hash of its (sender, clientMsgId), so that a retry is recognised. Mutable,
 * owned by {@link ChatWindows}, which stores each accepted entry as a record of its own and confirms a hash's match
 * against it.
 *
 * <p>Two fixed arrays per room, written in place: accepting a message allocates nothing that outlives it. (The window
 * used to keep each message's ids as strings in a map: ~300 bytes per message that lived as long as the window, ~25 s
 * at 1,000 msg/s in 100 rooms, so every young collection of stream-apps copied them from survivor space to survivor
 * space, and then they died in the old generation.)
 */
final class ChatWindow {

    /** The hash of an entry that matches no retry (the first releases stored entries without a sender). */
    private static final long NO_SENDER = 0;
    /**
     * Drawn per process (the hashes are never stored): pairs found to collide elsewhere do not collide here. Not a keyed
     * cryptographic hash; what makes a match exact is the stored entry that confirms it ({@link ChatWindows#seqOf}).
     */
    private static final long SEED = new java.security.SecureRandom().nextLong();

    private final int size;
    private long lastSeq;
    /** Rings of {@code size}; the oldest entry at {@code head}, {@code count} of them. */
    private final long[] seqs;
    private final long[] hashes;
    private int head;
    private int count;

    private ChatWindow(int size, long lastSeq) {
        if (size < 1) {
            throw new IllegalArgumentException("a chat window holds at least one message");
        }
        this.size = size;
        this.lastSeq = lastSeq;
        this.seqs = new long[size];
        this.hashes = new long[size];
    }

    /** The stored entries to keep: the newest {@code size}, oldest first. */
    static List<Recent> newest(Collection<Recent> entries, int size) {
        List<Recent> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Recent::seq));
        return sorted.subList(Math.max(0, sorted.size() - size), sorted.size());
    }

    /**
     * The window of stored entries (any order; only the newest {@code size} are kept), after at least {@code lastSeq}
     * (the highest entry's seq when it is higher).
     */
    static ChatWindow of(long lastSeq, Collection<Recent> entries, int size) {
        ChatWindow w = new ChatWindow(size, lastSeq);
        for (Recent r : newest(entries, size)) {
            w.remember(r.seq(), r.sender() == null ? NO_SENDER : hash(r.sender(), r.clientMsgId()));
            w.lastSeq = Math.max(w.lastSeq, r.seq());
        }
        return w;
    }

    long lastSeq() {
        return lastSeq;
    }

    /** The seqs in the window, oldest first. */
    long[] seqs() {
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = seqs[(head + i) % size];
        }
        return out;
    }

    /**
     * The seq the sender's already accepted clientMsgId got, if it is still in the window: the newest entry with the
     * same hash that {@code isStored} confirms (given its seq, it says whether the stored entry is this message).
     */
    OptionalLong seqOf(String sender, String clientMsgId, LongPredicate isStored) {
        if (sender == null) {
            return OptionalLong.empty();
        }
        long h = hash(sender, clientMsgId);
        for (int i = count - 1; i >= 0; i--) {
            int slot = (head + i) % size;
            if (hashes[slot] == h && isStored.test(seqs[slot])) {
                return OptionalLong.of(seqs[slot]);
            }
        }
        return OptionalLong.empty();
    }

    /** Accepts one more message: it gets lastSeq + 1 and is remembered; the oldest is forgotten past the window. */
    Recent accept(String sender, String clientMsgId) {
        Recent r = new Recent(sender, clientMsgId, ++lastSeq);
        remember(r.seq(), sender == null ? NO_SENDER : hash(sender, clientMsgId));
        return r;
    }

    private void remember(long seq, long hash) {
        int slot;
        if (count < size) {
            slot = (head + count) % size;
            count++;
        } else {
            slot = head;   // the oldest leaves
            head = (head + 1) % size;
        }
        seqs[slot] = seq;
        hashes[slot] = hash;
    }

    /**
     * FNV-1a over both strings' characters (the sender's length first, so that no two pairs read alike) from a
     * per-process seed, finished with SplitMix64's mixer; never {@link #NO_SENDER}.
     */
    static long hash(String sender, String clientMsgId) {
        long h = 0xcbf29ce484222325L ^ SEED;
        h = (h ^ sender.length()) * 0x100000001b3L;
        for (int i = 0; i < sender.length(); i++) {
            h = (h ^ sender.charAt(i)) * 0x100000001b3L;
        }
        String id = clientMsgId == null ? "" : clientMsgId;
        for (int i = 0; i < id.length(); i++) {
            h = (h ^ id.charAt(i)) * 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        h = h ^ (h >>> 31);
        return h == NO_SENDER ? 1 : h;
    }
}
