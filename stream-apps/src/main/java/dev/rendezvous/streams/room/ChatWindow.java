package dev.rendezvous.streams.room;

import dev.rendezvous.streams.room.ChatRoomState.Recent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One room's chat window in memory: the last sequence number and the most recent accepted messages' (sender,
 * clientMsgId) pairs, at most {@code size}, indexed so that a retry is recognised in constant time. Mutable, owned by
 * {@link ChatWindows}, which stores each accepted entry as a record of its own.
 */
final class ChatWindow {

    private final int size;
    private long lastSeq;
    private final ArrayDeque<Recent> recent = new ArrayDeque<>();
    private final Map<String, Long> seqs = new HashMap<>();

    private ChatWindow(int size, long lastSeq) {
        this.size = size;
        this.lastSeq = lastSeq;
    }

    /**
     * The window of stored entries (any order; only the newest {@code size} are kept), after at least {@code lastSeq}
     * (the highest entry's seq when it is higher).
     */
    static ChatWindow of(long lastSeq, Collection<Recent> entries, int size) {
        List<Recent> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Recent::seq));
        ChatWindow w = new ChatWindow(size, lastSeq);
        for (Recent r : sorted.subList(Math.max(0, sorted.size() - size), sorted.size())) {
            w.remember(r);
            w.lastSeq = Math.max(w.lastSeq, r.seq());
        }
        return w;
    }

    long lastSeq() {
        return lastSeq;
    }

    /** The entries, oldest first. */
    List<Recent> recent() {
        return List.copyOf(recent);
    }

    /** The seq the sender's already accepted clientMsgId got, if it is still in the window. */
    OptionalLong seqOf(String sender, String clientMsgId) {
        Long seq = sender == null ? null : seqs.get(key(sender, clientMsgId));
        return seq == null ? OptionalLong.empty() : OptionalLong.of(seq);
    }

    /** Accepts one more message: it gets lastSeq + 1 and is remembered; the oldest is forgotten past the window. */
    Recent accept(String sender, String clientMsgId) {
        Recent r = new Recent(sender, clientMsgId, ++lastSeq);
        remember(r);
        return r;
    }

    private void remember(Recent r) {
        recent.addLast(r);
        if (r.sender() != null) {   // entries of the first releases have no sender and match no retry
            seqs.put(key(r.sender(), r.clientMsgId()), r.seq());
        }
        while (recent.size() > size) {
            Recent old = recent.removeFirst();
            if (old.sender() != null) {
                seqs.remove(key(old.sender(), old.clientMsgId()), old.seq());
            }
        }
    }

    private static String key(String sender, String clientMsgId) {
        return sender + '\u0000' + clientMsgId;
    }
}
