package dev.rendezvous.streams.room;

import java.util.List;

/**
 * Value of the first releases' {@code chat-rooms} store: a meeting's last sequence number and its most recent accepted
 * messages' (sender, clientMsgId) pairs (with the seq each got), oldest first, all in one value. Now only read, for a
 * room whose window was stored this way before an upgrade ({@link ChatWindows}); {@link Recent} is also the entry of
 * the {@code chat-recent} store that replaced it.
 */
public record ChatRoomState(long lastSeq, List<Recent> recent) {

    /** One remembered message: its sender (participant id), client id and the sequence number it was given. */
    public record Recent(String sender, String clientMsgId, long seq) {}

    public ChatRoomState {
        recent = recent == null ? List.of() : List.copyOf(recent);
    }
}
