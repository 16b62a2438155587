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
 */
public record TokenClaims(String subject, String name, Kind kind, UUID meetingId, String tokenId, Instant expiresAt) {

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
