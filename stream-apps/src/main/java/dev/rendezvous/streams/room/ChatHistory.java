package dev.rendezvous.streams.room;

import dev.rendezvous.streams.room.ChatRoomState.Recent;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where the room processor learns a meeting's stored chat when it holds no chat window for the meeting (a new
 * meeting, a room that closed and opened again, a window lost in a crash before it reached its changelog): the
 * newest stored messages' (sender, clientMsgId, seq). The window is rebuilt from them, so sequence numbers continue
 * after the highest stored one instead of restarting at 1, and a message processed again after a crash (at-least-once
 * replays what came after the last commit, and PostgreSQL may already hold it) is recognised by its id and keeps its
 * seq. Also asked whether closed rooms' last messages are stored yet ({@link #lastStoredSeqs}; {@link ChatWindows}
 * deletes a closed room's window only then). Called on a stream thread: asked without waiting when a room opens
 * ({@link #newestSoon}), read again on its first message only when that answer is missing or failed; asked without
 * waiting once a minute for all rooms closed in the task ({@link #lastStoredSeqsSoon}). The blocking reads may block
 * briefly. The production implementation reads
 * {@code chat_messages}; tests use a map.
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

    /**
     * {@link #newest}, asked now and answered later, off the stream thread: asked when a room without a chat window
     * opens, so that its first message finds the answer ready instead of holding the stream thread (and every other
     * room's chat) for a round trip; meetings start together too, on the hour. This default answers at once; the
     * production implementation does not block.
     */
    default CompletableFuture<List<Recent>> newestSoon(String meetingId, int limit) {
        try {
            return CompletableFuture.completedFuture(newest(meetingId, limit));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The highest stored seq of each meeting that has a stored message (the others are absent), read at once: the
     * closed rooms of a task are checked together, since many meetings end at the same moment (on the hour) and one
     * read each would hold the stream thread, and every other room's chat, for as many round trips. This default asks
     * {@link #newest} for each; the production implementation makes one query.
     *
     * @throws RuntimeException when they cannot be known now (database unreachable)
     */
    default Map<String, Long> lastStoredSeqs(Collection<String> meetingIds) {
        Map<String, Long> seqs = new HashMap<>();
        for (String id : meetingIds) {
            newest(id, 1).stream().mapToLong(Recent::seq).max().ifPresent(seq -> seqs.put(id, seq));
        }
        return seqs;
    }

    /**
     * {@link #lastStoredSeqs}, asked now and answered later, off the stream thread: the check of closed rooms runs on
     * the minute of stream time in every task at once, and a round trip per task held every room's chat behind it
     * (six tasks on one thread: ~150 ms at 1,000 msg/s). This default answers at once; the production implementation
     * does not block.
     */
    default CompletableFuture<Map<String, Long>> lastStoredSeqsSoon(Collection<String> meetingIds) {
        try {
            return CompletableFuture.completedFuture(lastStoredSeqs(meetingIds));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** No history anywhere: every room starts at 1 (tests that do not exercise seeding). */
    static ChatHistory none() {
        return (meetingId, limit) -> List.of();
    }
}
