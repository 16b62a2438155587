package dev.rendezvous.gateway.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * What a verified token says about its bearer.
 *
 * @param subject   {@code <user uuid>} for users, {@code guest:<uuid>} for guests; it is the participant id
 * @param name      display name at the time the token was issued
 * @param kind      user or guest
 * @param meetingId the only meeting a guest token is valid for; null for user tokens
 * @param tokenId   the {@code jti}
 * @param expiresAt the {@code exp}
 * @param sessionId the {@code sid}: the {@code jti} of the token this one was renewed from, first in line (a token
 *                  issued by a login or a guest call is its own session); what a logout revokes. The {@code jti} when
 *                  the token has no {@code sid} (issued before renewals existed)
 * @param authTime  the {@code auth_time}: when its session began (the login or guest call); with the session's
 *                  longest life it bounds every renewal. Null when unknown (a token without it is not renewed)
 */
public record TokenClaims(String subject, String name, Kind kind, UUID meetingId, String tokenId, Instant expiresAt,
                          String sessionId, Instant authTime) {

    public enum Kind {
        USER("user"),
        GUEST("guest");

        private final String claim;

        Kind(String claim) {
            this.claim = claim;
        }

        public String claim() {
            return claim;
        }

        static Kind fromClaim(String value) {
            for (Kind k : values()) {
                if (k.claim.equals(value)) {
                    return k;
                }
            }
            return null;
        }
    }

    public TokenClaims {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(kind, "kind");
        if (sessionId == null) {
            sessionId = tokenId;
        }
    }

    /** A token that is its own session and whose start is unknown (tests, tools). */
    public TokenClaims(String subject, String name, Kind kind, UUID meetingId, String tokenId, Instant expiresAt) {
        this(subject, name, kind, meetingId, tokenId, expiresAt, tokenId, null);
    }

    public boolean isUser() {
        return kind == Kind.USER;
    }

    public boolean isGuest() {
        return kind == Kind.GUEST;
    }

    /** The user id of a user token; throws for guests. */
    public UUID userId() {
        if (!isUser()) {
            throw new IllegalStateException("not a user token");
        }
        return UUID.fromString(subject);
    }

    /** True if this token lets its bearer into {@code meeting} as a guest. */
    public boolean isGuestOf(UUID meeting) {
        return isGuest() && meeting.equals(meetingId);
    }
}
