package dev.rendezvous.gateway.auth;

import dev.rendezvous.gateway.shared.RevocationKeys;
import dev.rendezvous.gateway.shared.Revocations;
import dev.rendezvous.gateway.store.Users;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link IdentityCheck} against the shared revocations (the token, its subject, and the subject in the meeting being
 * joined) and, for user tokens, the users table (a deleted user's tokens stop working at once).
 */
public final class LiveIdentityCheck implements IdentityCheck {

    static final String REVOKED = LOGGED_OUT;
    static final String REVOKED_HERE = "this token was revoked for this meeting";
    static final String USER_GONE = "the token's user no longer exists";

    private final Revocations revocations;
    private final Users users;

    public LiveIdentityCheck(Revocations revocations, Users users) {
        this.revocations = revocations;
        this.users = users;
    }

    @Override
    public Mono<String> refusal(TokenClaims claims, String meetingId, boolean userMustExist) {
        Mono<String> revoked = revocations.anyRevoked(keys(claims, meetingId))
                .flatMap(r -> r ? Mono.just(meetingId == null ? REVOKED : REVOKED_HERE) : Mono.empty());
        if (!userMustExist || !claims.isUser()) {
            return revoked;
        }
        return revoked.switchIfEmpty(users.findById(claims.userId())
                .map(u -> false)
                .defaultIfEmpty(true)
                .flatMap(gone -> gone ? Mono.just(USER_GONE) : Mono.empty()));
    }

    @Override
    public Mono<Map<InMeeting, String>> refusals(Collection<InMeeting> inUse) {
        Set<String> keys = new LinkedHashSet<>();
        Set<UUID> userIds = new LinkedHashSet<>();
        for (InMeeting u : inUse) {
            keys.addAll(keys(u.claims(), u.meetingId()));
            if (u.claims().isUser()) {
                userIds.add(u.claims().userId());
            }
        }
        Mono<Set<String>> revoked = inBatches(keys, Revocations.MAX_BATCH, revocations::revokedAmong);
        Mono<Set<UUID>> existing = inBatches(userIds, Users.MAX_BATCH, ids -> users.existing(ids));
        return Mono.zip(revoked, existing).map(found -> {
            Map<InMeeting, String> refused = new HashMap<>();
            for (InMeeting u : inUse) {
                String why = reason(u, found.getT1(), found.getT2());
                if (why != null) {
                    refused.put(u, why);
                }
            }
            return refused;
        });
    }

    private static String reason(InMeeting u, Set<String> revoked, Set<UUID> existing) {
        TokenClaims c = u.claims();
        if (c.tokenId() != null && revoked.contains(RevocationKeys.token(c.tokenId()))
                || revoked.contains(RevocationKeys.subject(c.subject()))) {
            return REVOKED;
        }
        if (u.meetingId() != null && revoked.contains(RevocationKeys.participant(u.meetingId(), c.subject()))) {
            return REVOKED_HERE;
        }
        return c.isUser() && !existing.contains(c.userId()) ? USER_GONE : null;
    }

    /** The revocation keys of a bearer: its token, its subject, and the subject in the meeting (if any). */
    private static List<String> keys(TokenClaims claims, String meetingId) {
        List<String> keys = new ArrayList<>(3);
        if (claims.tokenId() != null) {
            keys.add(RevocationKeys.token(claims.tokenId()));
        }
        keys.add(RevocationKeys.subject(claims.subject()));
        if (meetingId != null) {
            keys.add(RevocationKeys.participant(meetingId, claims.subject()));
        }
        return keys;
    }

    /** Asks {@code read} about {@code all} in batches of at most {@code max}, one batch at a time; the union. */
    private static <T> Mono<Set<T>> inBatches(Set<T> all, int max, java.util.function.Function<List<T>, Mono<Set<T>>> read) {
        if (all.isEmpty()) {
            return Mono.just(Set.of());
        }
        List<T> list = List.copyOf(all);
        int batches = (list.size() + max - 1) / max;
        return Flux.range(0, batches)
                .concatMap(i -> read.apply(list.subList(i * max, Math.min(list.size(), (i + 1) * max))))
                .collect(HashSet<T>::new, Set::addAll)
                .map(s -> (Set<T>) s);
    }
}
