package dev.rendezvous.streams.room;

/**
 * Counts what the room processor did with each input, above all why it dropped or refused one (a stage
 * that drops a record says why). The composition root binds it to Micrometer; tests count in memory.
 * Implementations must be thread-safe and cheap: they are called on stream threads for every record.
 */
@FunctionalInterface
public interface RoomMetrics {

    /** What became of one input record (or, for the partitioner, one output record). */
    enum Outcome {
        /** A socket joined a room. */
        JOINED,
        /** A socket that was already a member joined again: only JOINED was re-sent. */
        JOIN_REPEATED,
        /** A socket left a room. */
        LEFT,
        /** A LEAVE for a socket that is not in the room: ignored. */
        LEAVE_UNKNOWN_SOCKET,
        /** A chat message got its sequence number. */
        CHAT_ACCEPTED,
        /** A chat message whose clientMsgId is in the room's recent window: not re-sequenced. */
        CHAT_DUPLICATE,
        /** A chat message refused with {@code invalid_message}. */
        CHAT_REJECTED_INVALID,
        /** A chat message refused with {@code not_in_room}. */
        CHAT_REJECTED_NOT_IN_ROOM,
        /** A request that decoded but lacks what is needed to act on it or even to answer (no socket, no gateway, key mismatch). */
        MALFORMED,
        /** Input bytes that are not a request at all (deserialization failed); skipped by the exception handler. */
        UNDECODABLE,
        /** A delivery whose target partition does not exist on the topic: sent to the gateway id's default partition. */
        DELIVERY_PARTITION_OUT_OF_RANGE
    }

    void count(Outcome outcome);

    /** Counts nothing. */
    static RoomMetrics none() {
        return outcome -> {};
    }
}
