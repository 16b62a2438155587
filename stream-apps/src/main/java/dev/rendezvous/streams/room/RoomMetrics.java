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
        /** A socket that was already a member joined again (a replay or a gateway retry): every effect of its JOIN was re-sent. */
        JOIN_REPEATED,
        /** A new socket took the place of the same participant's earlier socket (a page that reconnected). */
        JOIN_REPLACED_SOCKET,
        /** A JOIN refused because the room holds the most sockets a room may hold ({@code room_full}). */
        JOIN_REFUSED_ROOM_CAP,
        /** A JOIN older than its socket's recent LEAVE (JOIN and LEAVE read again after a crash): ignored, the socket stays gone. */
        JOIN_OF_DEPARTED_SOCKET,
        /** A socket left a room. */
        LEFT,
        /** A LEAVE for a socket that is not in the room: ignored. */
        LEAVE_UNKNOWN_SOCKET,
        /** A LEAVE for a socket that left recently (a replay after a crash): every effect of the LEAVE was re-sent. */
        LEAVE_REPEATED,
        /** A chat message got its sequence number. */
        CHAT_ACCEPTED,
        /** A chat message whose (sender, clientMsgId) is in the room's recent window: not re-sequenced. */
        CHAT_DUPLICATE,
        /** A room with no chat window could not read its stored chat (PostgreSQL unreachable): refused, retryable. */
        CHAT_REJECTED_UNAVAILABLE,
        /** A room with no chat window rebuilt it from the stored history (its seqs continue after the highest). */
        CHAT_SEQ_SEEDED,
        /** A chat message refused with {@code invalid_message}. */
        CHAT_REJECTED_INVALID,
        /** A chat message refused with {@code not_in_room}. */
        CHAT_REJECTED_NOT_IN_ROOM,
        /** A request that decoded but lacks what is needed to act on it or even to answer (no socket, no gateway, key mismatch). */
        MALFORMED,
        /** Input bytes that are not a request at all (deserialization failed); skipped by the exception handler. */
        UNDECODABLE,
        /** An output record the producer could not send (too large, ...): logged and skipped by the production handler. */
        UNSENDABLE,
        /** A delivery whose target partition does not exist on the topic: sent to the gateway id's default partition. */
        DELIVERY_PARTITION_OUT_OF_RANGE,
        /** A client's media signal was sent to its room's primary forwarder. */
        SIGNAL_ROUTED,
        /** A member's mute change (TRACK_UPDATE) was delivered to everyone in the room as MEDIA_STATE. */
        MEDIA_STATE_DELIVERED,
        /** A media signal from a socket that is not in the room: refused with {@code not_joined}. */
        SIGNAL_REJECTED_NOT_JOINED,
        /** A room was placed on forwarders (primary + standbys). */
        PLACEMENT_MADE,
        /**
         * A room needed a forwarder and none was healthy: nothing stored; a media signal is refused with
         * {@code media_unavailable}, a join stands without media.
         */
        PLACEMENT_NO_FORWARDER,
        /** A socket left a placed room: its forwarder was told to DISCONNECT it. */
        FORWARDER_DISCONNECT_SENT,
        /** A socket joined (or restarted its media in) a placed room: its forwarder was told to SUBSCRIBE it. */
        FORWARDER_SUBSCRIBE_SENT,
        /** The last member left a placed room: CLOSE_ROOM sent, placement CLOSED and forgotten. */
        PLACEMENT_CLOSED,
        /** A forwarder's answer, offer or error was delivered to its socket. */
        FORWARDER_SIGNAL_DELIVERED,
        /** A forwarder's answer, offer or error for a socket that is no longer in the room: dropped. */
        FORWARDER_SIGNAL_SOCKET_GONE,
        /** A forwarder's active-speaker change was delivered to the room's members. */
        FORWARDER_ACTIVE_SPEAKER,
        /** A forwarder says a client's media connection is up. */
        FORWARDER_CONNECTED,
        /** A forwarder says a client's media connection is down. */
        FORWARDER_DISCONNECTED,
        /** A forwarder added or removed a track. */
        FORWARDER_TRACK_CHANGED,
        /** A forwarder's ICE candidate (the forwarder is ICE-lite; its candidates are in its SDP): not delivered. */
        FORWARDER_CANDIDATE,
        /** An event from a forwarder that is not the room's primary (or for a room with no placement): ignored. */
        FORWARDER_EVENT_NOT_PRIMARY,
        /** A JOIN refused by the room's control: meeting ended, participant removed, room locked. */
        JOIN_REFUSED,
        /** A JOIN put in the lobby. */
        JOIN_WAITING,
        /** A host request (or hand, reaction, list) was authorised and applied. */
        HOST_APPLIED,
        /** A host request was refused (not allowed, no such participant, not in that state, invalid). */
        HOST_REFUSED,
        /** A host request whose id was already decided: only the answer was repeated. */
        HOST_REPEATED,
        /** A room's forwarder went silent or drains: the room moved to another (MIGRATING), its members were told. */
        ROOM_MIGRATED,
        /** A room's standby went silent or drains: another standby was chosen (the primary stays). */
        STANDBY_REPLACED,
        /** A room's forwarder is silent or drains but no other forwarder is usable: it stays, tried again later. */
        FAILOVER_NO_FORWARDER,
        /** The first event of a migrated room's new forwarder: the placement is ACTIVE again. */
        MIGRATION_COMPLETED,
        /** The control record of a room idle past the retention was forgotten ({@link ControlSweep}). */
        ROOM_CONTROL_FORGOTTEN
    }

    void count(Outcome outcome);

    /** Counts {@code n} of the same outcome. */
    default void count(Outcome outcome, int n) {
        for (int i = 0; i < n; i++) {
            count(outcome);
        }
    }

    /** Counts nothing. */
    static RoomMetrics none() {
        return outcome -> {};
    }
}
