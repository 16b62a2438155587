package dev.rendezvous.topics.model;

import java.time.Instant;

/**
 * A request to act on a room (topic {@code room.host.requested}, key = meeting id): a host action from REST or a
 * WebSocket frame, or a participant's own hand or reaction. The gateway authenticates the actor and fills in who
 * they are; the room processor, which alone knows the room's members and roles, authorises and applies it, and
 * answers the requester with a {@link HostEvent} of type RESULT addressed to {@code replyTo}.
 *
 * @param requestId         unique per request (the client's, or the gateway's UUID); a repeat of an id already
 *                          decided repeats the answer and none of the effects
 * @param actorSocketId     the socket that sent the frame; null for REST (the actor then has no member record,
 *                          only an identity)
 * @param replyTo           the delivery target on the requesting gateway: the socket id, or {@code rest:<requestId>}
 * @param actorOwnsMeeting  the gateway checked that the actor is the meeting's creator (host rights at all times)
 * @param target            the participant acted on (null for room-wide actions; LOWER_HAND: null = oneself)
 * @param mute              MUTE and MUTE_ALL: which kinds, and whether the person may unmute themselves
 * @param reaction          REACT: which one
 * @param recordingId       RECORD_START: the id the new recording gets ({@link RecordingControl#recordingIdFor});
 *                          RECORD_STOP: the recording to stop (null: the one running)
 */
public record HostActionRequest(
        String requestId,
        String meetingId,
        Action action,
        String actorParticipantId,
        String actorSocketId,
        String gatewayId,
        int gatewayPartition,
        String replyTo,
        boolean actorOwnsMeeting,
        String target,
        Mute mute,
        Reaction reaction,
        String recordingId,
        Instant at) {

    /** A request that is not about a recording. */
    public HostActionRequest(String requestId, String meetingId, Action action, String actorParticipantId,
                             String actorSocketId, String gatewayId, int gatewayPartition, String replyTo,
                             boolean actorOwnsMeeting, String target, Mute mute, Reaction reaction, Instant at) {
        this(requestId, meetingId, action, actorParticipantId, actorSocketId, gatewayId, gatewayPartition, replyTo,
                actorOwnsMeeting, target, mute, reaction, null, at);
    }

    public enum Action {
        /** Let a person waiting in the lobby in (or lift a removal). */
        ADMIT,
        /** Turn a person waiting in the lobby away. */
        DENY,
        /** Put a participant out of the meeting; they cannot come back with the same identity unless admitted. */
        REMOVE,
        /** Stop forwarding a participant's audio and/or video (server-side). */
        MUTE,
        /** MUTE for everyone below co-host. */
        MUTE_ALL,
        PROMOTE,
        DEMOTE,
        /** End the meeting for all. */
        END,
        LOCK,
        UNLOCK,
        LOBBY_ON,
        /** Turns the lobby off and lets everyone waiting in, in their order. */
        LOBBY_OFF,
        RAISE_HAND,
        /** Lower one's own hand, or (host, co-host) someone else's. */
        LOWER_HAND,
        REACT,
        /** Read the room's people (in and waiting): the REST participants list. Changes nothing. */
        LIST,
        /** Start recording the room (host, co-host); refused while a recording runs. */
        RECORD_START,
        /** Stop the room's recording (host, co-host). */
        RECORD_STOP
    }

    /** MUTE's parameters. {@code allowUnmute} false: the person cannot unmute those kinds until the host mutes again allowing it. */
    public record Mute(boolean audio, boolean video, boolean allowUnmute) {}

    /** The reply target of a REST request. */
    public static String restReplyTo(String requestId) {
        return "rest:" + requestId;
    }
}
