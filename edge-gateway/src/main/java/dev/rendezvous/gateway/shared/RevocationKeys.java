package dev.rendezvous.gateway.shared;

/** The forms of the keys of {@link Revocations}. */
public final class RevocationKeys {

    private RevocationKeys() {}

    /**
     * A token's session, by its {@code sid} (logout): the token first in line, which is the session's id, and every
     * token renewed from it. (A token without {@code sid} is its own session: its {@code jti}.)
     */
    public static String token(String sid) {
        return "t:" + sid;
    }

    /** Every token of a subject (a user id, or a guest's {@code guest:<uuid>}). */
    public static String subject(String subject) {
        return "s:" + subject;
    }

    /** A participant removed from a meeting by its host: refused in that meeting only. */
    public static String participant(String meetingId, String participantId) {
        return "p:" + meetingId + ":" + participantId;
    }
}
