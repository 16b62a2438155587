package dev.rendezvous.topics.model;

import java.util.List;

/**
 * Something a socket must be told about a room. The gateway renders it as a WebSocket frame
 * (docs/protocol.md). Fields not used by a type are null.
 */
public record RoomEvent(
        Type type,
        String meetingId,
        Participant participant,
        List<Participant> participants,
        ChatMessage chat,
        String errorCode,
        String errorMessage,
        String ref,
        MediaSignal signal,
        HostEvent host) {

    /** Without host-control details (every type before LOBBY). */
    public RoomEvent(Type type, String meetingId, Participant participant, List<Participant> participants,
                     ChatMessage chat, String errorCode, String errorMessage, String ref, MediaSignal signal) {
        this(type, meetingId, participant, participants, chat, errorCode, errorMessage, ref, signal, null);
    }

    public enum Type {
        /** To the joining socket: you are in; here is who else is. */
        JOINED,
        PARTICIPANT_JOINED,
        PARTICIPANT_LEFT,
        CHAT,
        /** A request of this socket was refused ({@code ref} names it, e.g. the clientMsgId). */
        REJECTED,
        /** From the room's forwarder to this socket: an answer, an offer, an error ({@code signal}). */
        SIGNAL,
        /** To every member: who is speaking now ({@code signal.socketId}). */
        ACTIVE_SPEAKER,
        /**
         * To every member: a socket muted or unmuted its own tracks ({@code signal.socketId}, {@code signal.tracks}
         * with kind, source and muted), so pages show it at once; subscribe offers carry the same flags later.
         */
        MEDIA_STATE,
        /**
         * To every member: the room's media moved to another forwarder ({@code ref} = its id) because the old one died
         * or is draining; the page throws its PeerConnections away and publishes and subscribes again (new ones,
         * through the normal signaling), without reloading.
         */
        MEDIA_MOVED,
        // ---- host controls: the details are in {@code host} ({@link HostEvent}) ----
        /** To a joining socket: the lobby is on, you wait until a host or co-host admits or denies you. */
        LOBBY,
        /** To hosts and co-hosts: who waits in the lobby now ({@code host.people}). */
        LOBBY_CHANGED,
        /** To every member: the room's host, co-hosts, lock, lobby and raised hands ({@code host.state}). */
        ROOM_STATE,
        /** To every member: someone's role changed ({@code host.participantId}, {@code host.role}, {@code host.reason}). */
        ROLE_CHANGED,
        /** To the removed person's sockets: they are out of the meeting ({@code host.reason}, {@code host.by}). */
        REMOVED,
        /** To the muted person's sockets: a host muted them ({@code host.mute}, {@code host.by}). */
        MUTED,
        /** To every member and everyone waiting: the meeting is over. */
        MEETING_ENDED,
        /** To every member: a hand went up or down ({@code host.participantId}, {@code host.raised}). */
        HAND,
        /** To every member: someone reacted ({@code host.participantId}, {@code host.reaction}). */
        REACTION,
        /** To the requester only: how its request ended ({@code host.outcome}, {@code host.error}, {@code host.people}). */
        HOST_RESULT
    }

    public static RoomEvent joined(String meetingId, Participant you, List<Participant> participants) {
        return new RoomEvent(Type.JOINED, meetingId, you, List.copyOf(participants), null, null, null, null, null);
    }

    public static RoomEvent participantJoined(String meetingId, Participant p) {
        return new RoomEvent(Type.PARTICIPANT_JOINED, meetingId, p, null, null, null, null, null, null);
    }

    /** A new socket of someone already in the room took the place of {@code replacedSocketId} (in {@code ref}). */
    public static RoomEvent participantRejoined(String meetingId, Participant p, String replacedSocketId) {
        return new RoomEvent(Type.PARTICIPANT_JOINED, meetingId, p, null, null, null, null, replacedSocketId, null);
    }

    public static RoomEvent participantLeft(String meetingId, Participant p) {
        return new RoomEvent(Type.PARTICIPANT_LEFT, meetingId, p, null, null, null, null, null, null);
    }

    public static RoomEvent chat(ChatMessage m) {
        return new RoomEvent(Type.CHAT, m.meetingId(), null, null, m, null, null, m.clientMsgId(), null);
    }

    public static RoomEvent rejected(String meetingId, String code, String message, String ref) {
        return new RoomEvent(Type.REJECTED, meetingId, null, null, null, code, message, ref, null);
    }

    /** A forwarder's signal for one socket: kind ANSWER, OFFER or ERROR ({@code ref} = the kind). */
    public static RoomEvent signal(String meetingId, String kind, MediaSignal signal) {
        return new RoomEvent(Type.SIGNAL, meetingId, null, null, null, null, null, kind, signal);
    }

    /** A socket's own tracks after a mute change, for everyone in the room (see {@link Type#MEDIA_STATE}). */
    public static RoomEvent mediaState(String meetingId, String socketId, List<MediaTrack> tracks) {
        return new RoomEvent(Type.MEDIA_STATE, meetingId, null, null, null, null, null, null,
                new MediaSignal(null, null, tracks == null ? List.of() : List.copyOf(tracks), socketId, null, null));
    }

    /** The room's media moved to {@code forwarderId} (see {@link Type#MEDIA_MOVED}). */
    public static RoomEvent mediaMoved(String meetingId, String forwarderId) {
        return new RoomEvent(Type.MEDIA_MOVED, meetingId, null, null, null, null, null, forwarderId, null);
    }

    public static RoomEvent activeSpeaker(String meetingId, String socketId) {
        return new RoomEvent(Type.ACTIVE_SPEAKER, meetingId, null, null, null, null, null, null, MediaSignal.speaker(socketId));
    }

    /** A host-control event (types LOBBY … HOST_RESULT). */
    public static RoomEvent host(Type type, String meetingId, HostEvent details) {
        return new RoomEvent(type, meetingId, null, null, null, null, null, null, null, details);
    }
}
