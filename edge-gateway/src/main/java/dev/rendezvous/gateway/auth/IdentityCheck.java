package dev.rendezvous.gateway.auth;

import java.util.Collection;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Whether a verified token's bearer may still act: a token can be valid (signature, expiry) and yet revoked (logout,
 * removed from the meeting) or belong to a user who no longer exists. Asked once per request or join
 * ({@link #refusal}), and for every membership of a gateway's open sockets at a time ({@link #refusals}).
 */
public interface IdentityCheck {

    /** The reason given for a logged-out token. */
    String LOGGED_OUT = "this token was revoked (logged out)";

    /** Nothing refused (tests and tools without shared state). */
    IdentityCheck NONE = new IdentityCheck() {
        @Override
        public Mono<String> refusal(TokenClaims claims, String meetingId, boolean userMustExist) {
            return Mono.empty();
        }

        @Override
        public Mono<Verdicts> refusals(Collection<InMeeting> inUse) {
            return Mono.just(new Verdicts(Map.of(), true));
        }
    };

    /** A token in use in a meeting: the claims a socket joined with, and the meeting. */
    record InMeeting(TokenClaims claims, String meetingId) {}

    /**
     * The answer of {@link #refusals}: those refused, each with its reason, and whether the revocations were read (a
     * pass that could read only the users table refuses the deleted users, but cannot tell who is logged out: it must
     * not renew anyone's token).
     */
    record Verdicts(Map<InMeeting, String> refused, boolean revocationsRead) {
        public Verdicts {
            refused = Map.copyOf(refused);
        }
    }

    /**
     * Empty when the bearer may go on; else the reason, fit for a client.
     *
     * @param meetingId     the meeting being joined, or null
     * @param userMustExist also look the user up (a database query): for opening a socket and joining
     */
    Mono<String> refusal(TokenClaims claims, String meetingId, boolean userMustExist);

    /**
     * Those of {@code inUse} refused now (revoked, or a user who no longer exists, as {@link #refusal} with
     * {@code userMustExist}), each with its reason; the others are absent. Reads the stores in batches, not one
     * identity at a time.
     */
    Mono<Verdicts> refusals(Collection<InMeeting> inUse);
}
