package dev.rendezvous.gateway.store;

/**
 * A meeting as one user sees it in their list: why it is theirs, and whether it is over.
 *
 * @param past true once the meeting has ended, or its time ({@link MeetingRecord#at()}) is older than the
 *             listing's cut-off
 */
public record UserMeeting(MeetingRecord meeting, Role role, boolean past) {

    /** Why a meeting is in a user's list. */
    public enum Role {
        /** The user created it. */
        HOST,
        /** The host invited the user (by email). */
        INVITED
    }
}
