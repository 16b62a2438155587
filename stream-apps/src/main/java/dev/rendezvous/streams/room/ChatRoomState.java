package dev.rendezvous.streams.room;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Value of the {@code chat-rooms} store: a meeting's last sequence number and its most recent accepted
 * messages' clientMsgIds (with the seq each got), at most the dedup window, oldest first. Sequence and
 * window live in ONE value so that they change atomically: replaying the same input from a restored
 * state gives the same sequence numbers.
 */
public record ChatRoomState(long lastSeq, List<Recent> recent) {

    /** One remembered message: its client id and the sequence number it was given. */
    public record Recent(String clientMsgId, long seq) {}

    public ChatRoomState {
        recent = recent == null ? List.of() : List.copyOf(recent);
    }

    public static ChatRoomState empty() {
        return new ChatRoomState(0, List.of());
    }

    /** The seq an already accepted clientMsgId got, if it is still in the window. */
    public Optional<Long> seqOf(String clientMsgId) {
        // newest last, and a retry is usually of a recent message: search from the end
        for (int i = recent.size() - 1; i >= 0; i--) {
            if (recent.get(i).clientMsgId().equals(clientMsgId)) {
                return Optional.of(recent.get(i).seq());
            }
        }
        return Optional.empty();
    }

    /** The state after accepting one more message: seq + 1, the id remembered, the oldest forgotten past the window. */
    public ChatRoomState accept(String clientMsgId, int window) {
        long seq = lastSeq + 1;
        List<Recent> l = new ArrayList<>(Math.min(recent.size() + 1, window));
        int skip = Math.max(0, recent.size() + 1 - window);
        l.addAll(recent.subList(Math.min(skip, recent.size()), recent.size()));
        l.add(new Recent(clientMsgId, seq));
        return new ChatRoomState(seq, l);
    }
}
