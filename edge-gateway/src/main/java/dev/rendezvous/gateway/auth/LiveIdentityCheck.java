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
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link IdentityCheck} against the shared revocations (the token's session — a logout revokes the token and every
 * token renewed from the same login —, its subject, and the subject in the meeting being joined) and, for user
 * tokens, the users table (a deleted user's tokens stop working at once).
 */
public final class LiveIdentityCheck implements IdentityCheck {

    private static final Logger log = LoggerFactory.getLogger(LiveIdentityCheck.class);

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
        Mono<String> revoked = revocations.revokedAmong(keys(claims, meetingId))
                .flatMap(found -> Mono.justOrEmpty(revokedReason(claims, meetingId, found)));
        if (!userMustExist || !claims.isUser()) {
            return revoked;
        }
        return revoked.switchIfEmpty(users.findById(claims.userId())
                .map(u -> false)
                .defaultIfEmpty(true)
                .flatMap(gone -> gone ? Mono.just(USER_GONE) : Mono.empty()));
    }

    /**
     * Reads the revocations and the users table separately: when one cannot be read, the answer comes from the other
     * (logged); when the revocations cannot be read and the users table gave nothing (not read, or not asked: guests
     * only) it is an error.
     */
    @Override
    public Mono<Verdicts> refusals(Collection<InMeeting> inUse) {
        Set<String> keys = new LinkedHashSet<>();
        Set<UUID> userIds = new LinkedHashSet<>();
        for (InMeeting u : inUse) {
            keys.addAll(keys(u.claims(), u.meetingId()));
            if (u.claims().isUser()) {
                userIds.add(u.claims().userId());
            }
        }
        Mono<Optional<Set<String>>> revoked = readable("the revocations",
                inBatches(keys, Revocations.MAX_BATCH, revocations::revokedAmong));
        Mono<Optional<Set<UUID>>> existing = readable("the users table",
                inBatches(userIds, Users.MAX_BATCH, ids -> users.existing(ids)));
        return Mono.zip(revoked, existing).flatMap(found -> {
            if (found.getT1().isEmpty() && (found.getT2().isEmpty() || userIds.isEmpty())) {
                // nothing learnt: the users table was not asked (guests only) or could not be read either
                return Mono.error(new IllegalStateException("the revocations could not be read"
                        + (userIds.isEmpty() ? "" : ", nor the users table")));
            }
            Map<InMeeting, String> refused = new HashMap<>();
            for (InMeeting u : inUse) {
                String why = found.getT1().map(r -> revokedReason(u.claims(), u.meetingId(), r)).orElse(null);
                if (why == null && u.claims().isUser() && found.getT2().isPresent()
                        && !found.getT2().get().contains(u.claims().userId())) {
                    why = USER_GONE;
                }
                if (why != null) {
                    refused.put(u, why);
                }
            }
            return Mono.just(new Verdicts(refused, found.getT1().isPresent()));
        });
    }

    /** Why a bearer is refused given the revoked keys among its own, or null. */
    private static String revokedReason(TokenClaims c, String meetingId, Set<String> revoked) {
        if (c.sessionId() != null && revoked.contains(RevocationKeys.token(c.sessionId()))
                || c.tokenId() != null && revoked.contains(RevocationKeys.token(c.tokenId()))
                || revoked.contains(RevocationKeys.subject(c.subject()))) {
            return LOGGED_OUT;
        }
        if (meetingId != null && revoked.contains(RevocationKeys.participant(meetingId, c.subject()))) {
            return REVOKED_HERE;
        }
        return null;
    }

    /** The store's answer, or empty (logged) when it could not be read; an empty input reads nothing. */
    private static <T> Mono<Optional<T>> readable(String store, Mono<T> read) {
        return read.map(Optional::of).onErrorResume(e -> {
            log.warn("identity re-check: {} could not be read: {}", store, e.toString());
            return Mono.just(Optional.empty());
        });
    }

    /**
     * The revocation keys of a bearer: its token's session, the token itself when it is a renewed one (gateways of the
     * version before sessions revoke a token by its {@code jti}), its subject, and the subject in the meeting (if any).
     */
    private static List<String> keys(TokenClaims claims, String meetingId) {
        List<String> keys = new ArrayList<>(4);
        if (claims.sessionId() != null) {
            keys.add(RevocationKeys.token(claims.sessionId()));
        }
        if (claims.tokenId() != null && !claims.tokenId().equals(claims.sessionId())) {
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
