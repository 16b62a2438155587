package dev.rendezvous.gateway.shared;

/** The forms of the keys of {@link Revocations}. */
public final class RevocationKeys {

    private RevocationKeys() {}

    /** One token, by its {@code jti} (logout). */
    public static String token(String jti) {
        return "t:" + jti;
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
