package dev.rendezvous.gateway.auth;

import dev.rendezvous.gateway.shared.RevocationKeys;
import dev.rendezvous.gateway.shared.Revocations;
import dev.rendezvous.gateway.store.Users;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * {@link IdentityCheck} against the shared revocations (the token, its subject, and the subject in the meeting being
 * joined) and, for user tokens, the users table (a deleted user's tokens stop working at once).
 */
public final class LiveIdentityCheck implements IdentityCheck {

    private final Revocations revocations;
    private final Users users;

    public LiveIdentityCheck(Revocations revocations, Users users) {
        this.revocations = revocations;
        this.users = users;
    }

    @Override
    public Mono<String> refusal(TokenClaims claims, String meetingId, boolean userMustExist) {
        List<String> keys = new ArrayList<>(3);
        if (claims.tokenId() != null) {
            keys.add(RevocationKeys.token(claims.tokenId()));
        }
        keys.add(RevocationKeys.subject(claims.subject()));
        if (meetingId != null) {
            keys.add(RevocationKeys.participant(meetingId, claims.subject()));
        }
        Mono<String> revoked = revocations.anyRevoked(keys)
                .flatMap(r -> r ? Mono.just(meetingId == null ? "this token was revoked (logged out)"
                        : "this token was revoked for this meeting") : Mono.empty());
        if (!userMustExist || !claims.isUser()) {
            return revoked;
        }
        return revoked.switchIfEmpty(users.findById(claims.userId())
                .map(u -> false)
                .defaultIfEmpty(true)
                .flatMap(gone -> gone ? Mono.just("the token's user no longer exists") : Mono.empty()));
    }
}
