package dev.rendezvous.streams.room;

/**
 * The error codes of host controls: in HOST_RESULT answers, and in the REJECTED events of a refused join or a locked
 * unmute (docs/protocol.md, "Host controls").
 */
enum HostError {
    FORBIDDEN("forbidden"),
    NOT_JOINED("not_joined"),
    PARTICIPANT_NOT_FOUND("participant_not_found"),
    INVALID_REQUEST("invalid_request"),
    MEETING_ENDED("meeting_ended"),
    MEETING_LOCKED("meeting_locked"),
    REMOVED("removed"),
    DENIED("denied"),
    LOBBY_FULL("lobby_full"),
    ROOM_FULL("room_full"),
    NOT_WAITING("not_waiting"),
    UNMUTE_NOT_ALLOWED("unmute_not_allowed"),
    CANNOT_REMOVE_YOURSELF("cannot_remove_yourself"),
    GUEST_CANNOT_BE_COHOST("guest_cannot_be_cohost"),
    ALREADY_COHOST("already_cohost"),
    NOT_COHOST("not_cohost"),
    ALREADY_RECORDING("already_recording"),
    NOT_RECORDING("not_recording"),
    NOTHING_TO_RECORD("nothing_to_record");

    private final String code;

    HostError(String code) {
        this.code = code;
    }

    /** The code on the wire. */
    String code() {
        return code;
    }
}
