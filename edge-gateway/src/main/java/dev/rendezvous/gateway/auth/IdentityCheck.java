package dev.rendezvous.gateway.auth;

import reactor.core.publisher.Mono;

/**
 * Whether a verified token's bearer may still act: a token can be valid (signature, expiry) and yet revoked (logout,
 * removed from the meeting) or belong to a user who no longer exists.
 */
public interface IdentityCheck {

    /** Nothing refused (tests and tools without shared state). */
    IdentityCheck NONE = (claims, meetingId, userMustExist) -> Mono.empty();

    /**
     * Empty when the bearer may go on; else the reason, fit for a client.
     *
     * @param meetingId     the meeting being joined, or null
     * @param userMustExist also look the user up (a database query): for opening a socket and joining
     */
    Mono<String> refusal(TokenClaims claims, String meetingId, boolean userMustExist);
}
