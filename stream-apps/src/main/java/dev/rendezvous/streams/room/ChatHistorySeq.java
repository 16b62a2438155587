package dev.rendezvous.streams.room;

/**
 * Where the room processor learns a meeting's highest stored chat sequence number when it holds no chat state for
 * the meeting (a new meeting, a room that closed and opened again, state lost): sequence numbers then continue after
 * it instead of restarting at 1. Called on a stream thread, at most once per room opening; it may block briefly.
 * The production implementation reads {@code max(seq)} of {@code chat_messages}; tests use a map.
 */
@FunctionalInterface
public interface ChatHistorySeq {

    /**
     * The meeting's highest stored seq, 0 when it has none.
     *
     * @throws RuntimeException when it cannot be known now (database unreachable): the message is then refused with
     *                          a retryable error, never sequenced from a guess
     */
    long lastSeq(String meetingId);

    /** No history anywhere: every room starts at 1 (tests that do not exercise seeding). */
    static ChatHistorySeq none() {
        return meetingId -> 0;
    }
}
