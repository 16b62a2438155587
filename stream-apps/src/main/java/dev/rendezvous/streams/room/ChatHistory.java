package dev.rendezvous.streams.room;

import dev.rendezvous.streams.room.ChatRoomState.Recent;
import java.util.List;

/**
 * Where the room processor learns a meeting's stored chat when it holds no chat window for the meeting (a new
 * meeting, a room that closed and opened again, a window lost in a crash before it reached its changelog): the
 * newest stored messages' (sender, clientMsgId, seq). The window is rebuilt from them, so sequence numbers continue
 * after the highest stored one instead of restarting at 1, and a message processed again after a crash (at-least-once
 * replays what came after the last commit, and PostgreSQL may already hold it) is recognised by its id and keeps its
 * seq. Also asked, with a limit of 1, whether a closed room's last message is stored yet ({@link ChatWindows}: its
 * window is deleted only then). Called on a stream thread, at most once per room opening and once a minute per
 * closed room; it may block briefly. The production implementation reads {@code chat_messages}; tests use a map.
 */
@FunctionalInterface
public interface ChatHistory {

    /**
     * At most {@code limit} of the meeting's stored messages with the highest seqs, in any order; empty when it has
     * none.
     *
     * @throws RuntimeException when they cannot be known now (database unreachable): the message is then refused with
     *                          a retryable error, never sequenced from a guess
     */
    List<Recent> newest(String meetingId, int limit);

    /** No history anywhere: every room starts at 1 (tests that do not exercise seeding). */
    static ChatHistory none() {
        return (meetingId, limit) -> List.of();
    }
}
