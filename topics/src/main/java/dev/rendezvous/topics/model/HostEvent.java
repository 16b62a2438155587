package dev.rendezvous.topics.model;

import java.util.List;

/**
 * The details of a host-control {@link RoomEvent} (types LOBBY … HOST_RESULT); which fields are set depends on the
 * event's type, the others are null. See docs/protocol.md for the frames they become.
 *
 * @param requestId   RESULT: the request answered; others: the request that caused the event, if any
 * @param action      RESULT: the action answered
 * @param outcome     RESULT: applied, or why not
 * @param error       RESULT (not applied): a machine code, e.g. {@code forbidden}, {@code not_waiting}
 * @param message     RESULT (not applied): for a person
 * @param participantId whom the event is about (ROLE_CHANGED, HAND, REACTION, MUTED, REMOVED)
 * @param role        ROLE_CHANGED: the new role; RESULT of LIST: the requester's own host rights in the meeting
 *                    ({@code HOST} or {@code COHOST}, whether in it now or not, also after its end; {@code USER}
 *                    for none; null from a room processor older than this field)
 * @param reason      why (ROLE_CHANGED, REMOVED, MEETING_ENDED, LOBBY)
 * @param by          the participant who acted (MUTED, REMOVED, HAND lowered by someone else, MEETING_ENDED)
 * @param mute        MUTED: which kinds and whether they may unmute themselves
 * @param raised      HAND: up or down
 * @param reaction    REACTION
 * @param state       ROOM_STATE: host, co-hosts, lock, lobby, raised hands, the running recording
 * @param people      LOBBY_CHANGED: who waits, in arrival order; RESULT of LIST: everyone in and waiting
 */
public record HostEvent(
        String requestId,
        HostActionRequest.Action action,
        Outcome outcome,
        String error,
        String message,
        String participantId,
        Role role,
        Reason reason,
        String by,
        HostActionRequest.Mute mute,
        Boolean raised,
        Reaction reaction,
        RoomState state,
        List<Person> people) {

    public HostEvent {
        people = people == null ? null : List.copyOf(people);
    }

    /** How a request ended; the REST status follows from it (202, 403, 404, 409, 400). */
    public enum Outcome { APPLIED, FORBIDDEN, NOT_FOUND, CONFLICT, INVALID }

    public enum Reason {
        /** ROLE_CHANGED: the host promoted them. */
        PROMOTED,
        /** ROLE_CHANGED: the host demoted them. */
        DEMOTED,
        /** ROLE_CHANGED: the host left; the rights passed to them. */
        HOST_LEFT,
        /** ROLE_CHANGED: the meeting's creator came back and is host again (the stand-in becomes co-host). */
        OWNER_RETURNED,
        /** REMOVED: a host or co-host removed them. */
        REMOVED_BY_HOST,
        /** MEETING_ENDED: a host or co-host ended it for all. */
        ENDED_BY_HOST,
        /** LOBBY: the lobby is on; a host or co-host will admit or deny. */
        WAITING_FOR_HOST
    }

    /** Where a person is. */
    public enum State { IN, LOBBY }

    /** One person in a list (one entry per participant, however many sockets they have). */
    public record Person(String participantId, String displayName, Role role, State state) {}

    /** What everyone in the room may know about its control. */
    public record RoomState(String hostParticipantId, List<String> cohosts, boolean locked, boolean lobby,
                            List<String> raisedHands, Recording recording) {
        public RoomState {
            cohosts = cohosts == null ? List.of() : List.copyOf(cohosts);
            raisedHands = raisedHands == null ? List.of() : List.copyOf(raisedHands);
        }

        /** A room that is not being recorded. */
        public RoomState(String hostParticipantId, List<String> cohosts, boolean locked, boolean lobby,
                         List<String> raisedHands) {
            this(hostParticipantId, cohosts, locked, lobby, raisedHands, null);
        }
    }

    /** The room's running recording: everyone in the room is told, joiners before their media is captured. */
    public record Recording(String recordingId, java.time.Instant startedAt, String by) {}

    public static HostEvent result(String requestId, HostActionRequest.Action action, Outcome outcome, String error,
                                   String message, List<Person> people) {
        return new HostEvent(requestId, action, outcome, error, message, null, null, null, null, null, null, null, null,
                people);
    }

    public static HostEvent about(String participantId) {
        return new HostEvent(null, null, null, null, null, participantId, null, null, null, null, null, null, null, null);
    }

    public HostEvent withRole(Role r, Reason why) {
        return new HostEvent(requestId, action, outcome, error, message, participantId, r, why, by, mute, raised,
                reaction, state, people);
    }

    /** A RESULT with the requester's host rights ({@code role}; see the record's description). */
    public HostEvent withRights(Role rights) {
        return new HostEvent(requestId, action, outcome, error, message, participantId, rights, reason, by, mute, raised,
                reaction, state, people);
    }

    public HostEvent withBy(String who, String request) {
        return new HostEvent(request, action, outcome, error, message, participantId, role, reason, who, mute, raised,
                reaction, state, people);
    }

    public HostEvent withReason(Reason why) {
        return new HostEvent(requestId, action, outcome, error, message, participantId, role, why, by, mute, raised,
                reaction, state, people);
    }

    public HostEvent withMute(HostActionRequest.Mute m) {
        return new HostEvent(requestId, action, outcome, error, message, participantId, role, reason, by, m, raised,
                reaction, state, people);
    }

    public HostEvent withHand(boolean up) {
        return new HostEvent(requestId, action, outcome, error, message, participantId, role, reason, by, mute, up,
                reaction, state, people);
    }

    public HostEvent withReaction(Reaction r) {
        return new HostEvent(requestId, action, outcome, error, message, participantId, role, reason, by, mute, raised,
                r, state, people);
    }

    public static HostEvent state(RoomState s) {
        return new HostEvent(null, null, null, null, null, null, null, null, null, null, null, null, s, null);
    }

    public static HostEvent people(List<Person> people) {
        return new HostEvent(null, null, null, null, null, null, null, null, null, null, null, null, null, people);
    }
}
