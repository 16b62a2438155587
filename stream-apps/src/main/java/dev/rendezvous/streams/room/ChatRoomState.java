package dev.rendezvous.streams.room;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Value of the {@code chat-rooms} store: a meeting's last sequence number and its most recent accepted
 * messages' (sender, clientMsgId) pairs (with the seq each got), at most the dedup window, oldest first. The sender
 * is part of the identity: a clientMsgId is chosen by a client, so another participant sending the same one is
 * another message, not a retry. Sequence and
 * window live in ONE value so that they change atomically: replaying the same input from a restored
 * state gives the same sequence numbers.
 */
public record ChatRoomState(long lastSeq, List<Recent> recent) {

    /** One remembered message: its sender (participant id), client id and the sequence number it was given. */
    public record Recent(String sender, String clientMsgId, long seq) {}

    public ChatRoomState {
        recent = recent == null ? List.of() : List.copyOf(recent);
    }

    public static ChatRoomState empty() {
        return new ChatRoomState(0, List.of());
    }

    /** A room with no chat state whose stored history ends at {@code lastSeq}: the next message gets lastSeq + 1. */
    public static ChatRoomState continuingAfter(long lastSeq) {
        return new ChatRoomState(lastSeq, List.of());
    }

    /** The seq the sender's already accepted clientMsgId got, if it is still in the window. */
    public Optional<Long> seqOf(String sender, String clientMsgId) {
        // newest last, and a retry is usually of a recent message: search from the end
        for (int i = recent.size() - 1; i >= 0; i--) {
            Recent r = recent.get(i);
            if (r.clientMsgId().equals(clientMsgId) && java.util.Objects.equals(r.sender(), sender)) {
                return Optional.of(r.seq());
            }
        }
        return Optional.empty();
    }

    /** The state after accepting one more message: seq + 1, the id remembered, the oldest forgotten past the window. */
    public ChatRoomState accept(String sender, String clientMsgId, int window) {
        long seq = lastSeq + 1;
        List<Recent> l = new ArrayList<>(Math.min(recent.size() + 1, window));
        int skip = Math.max(0, recent.size() + 1 - window);
        l.addAll(recent.subList(Math.min(skip, recent.size()), recent.size()));
        l.add(new Recent(sender, clientMsgId, seq));
        return new ChatRoomState(seq, l);
    }
}
