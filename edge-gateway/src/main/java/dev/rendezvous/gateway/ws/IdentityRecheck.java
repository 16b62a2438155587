package dev.rendezvous.gateway.ws;

import dev.rendezvous.gateway.auth.IdentityCheck;
import dev.rendezvous.gateway.auth.IdentityCheck.InMeeting;
import dev.rendezvous.gateway.auth.TokenClaims;
import dev.rendezvous.gateway.auth.TokenService;
import dev.rendezvous.gateway.auth.TokenService.IssuedToken;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Mono;

/**
 * Keeps the people in meetings on this gateway to tokens that may still act. Every {@code interval} the claims each
 * open socket joined its meetings with are checked again ({@link IdentityCheck#refusals}: batch reads of the shared
 * revocations and of the users table, not a read per socket); a membership whose token was revoked since (logout on
 * any gateway) or whose user was deleted is put out of its meeting ({@link FrameHandler#expel}: at once it may do
 * nothing more there and its client gets an {@code unauthorized} error for that meeting; the room gets a LEAVE; the
 * socket stays open). A pass does not wait for the LEAVEs, so a broker in trouble does not hold up the next one; a
 * LEAVE that failed is sent again by every later pass until the broker has it, without asking the stores again. A
 * join still in progress is checked at the first pass after it completes. A session logged out on this gateway is
 * looked for at once ({@link #loggedOut}), without a store read.
 * <p>The same pass keeps the tokens of those who stay alive: a membership whose token has less than half of its life
 * left gets a renewed one ({@link TokenService#renew}: same bearer and session) in a {@code token} frame, and goes on
 * with it; a token that expired all the same (its session at its longest, or the stores unreadable for half a
 * lifetime) puts its membership out like a revocation.
 * When a store cannot be read the pass acts on what it could read (logged); when none can, it puts nobody out, renews
 * nothing and is counted ({@code rendezvous_gateway_identity_rechecks_failed_total}): joins and handshakes are refused
 * while the revocations are unreadable, but the people already in meetings stay until their tokens expire.
 */
public final class IdentityRecheck implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IdentityRecheck.class);

    /** The reason given to a membership whose token expired in the meeting. */
    static final String EXPIRED = "the token has expired; sign in again";

    private final SocketRegistry sockets;
    private final IdentityCheck identities;
    private final FrameHandler frames;
    private final TokenService tokens;
    private final GatewayMetrics metrics;
    private final PeriodicPass passes;

    public IdentityRecheck(SocketRegistry sockets, IdentityCheck identities, FrameHandler frames, TokenService tokens,
                           GatewayMetrics metrics, Duration interval) {
        if (interval == null || interval.toMillis() <= 0) {
            throw new IllegalArgumentException("the identity re-check interval must be positive");
        }
        this.sockets = sockets;
        this.identities = identities;
        this.frames = frames;
        this.tokens = tokens;
        this.metrics = metrics;
        this.passes = new PeriodicPass(interval, this::sweep, e -> {
            metrics.identityRecheckFailed();
            log.warn("could not re-check the identities of the open sockets (nobody was put out): {}", e.toString());
        });
    }

    /**
     * One pass over the joined memberships of the open sockets (and the joins in progress whose tokens are due for
     * renewal); completes with the number it put out once the stores have answered (their LEAVEs go on by themselves)
     * and the due tokens are renewed.
     */
    public Mono<Long> sweep() {
        Map<InMeeting, List<Held>> byIdentity = new LinkedHashMap<>();
        long expired = 0;
        for (GatewaySocket s : sockets.all()) {
            for (GatewaySocket.Membership m : s.memberships()) {
                if (m.leaving()) {
                    // already put out, its LEAVE given up: sent again whatever the stores say now (the revocation may
                    // have expired with its token, or be unreadable)
                    frames.expel(s, m, IdentityCheck.LOGGED_OUT);
                } else if (m.claims() != null && m.joined() && tokens.expired(m.claims())) {
                    expired += frames.expel(s, m, EXPIRED) ? 1 : 0;
                } else if (m.claims() != null && (m.joined() || tokens.renewalDue(m.claims()))) {
                    // a join in progress (waiting in the lobby, say) is only renewed; it is put out once joined
                    byIdentity.computeIfAbsent(new InMeeting(m.claims(), m.meetingId()), k -> new ArrayList<>())
                            .add(new Held(s, m));
                }
            }
        }
        long expiredNow = expired;
        if (byIdentity.isEmpty()) {
            return Mono.just(expiredNow);
        }
        return identities.refusals(byIdentity.keySet()).map(verdicts -> {
            long putOut = expiredNow;
            Map<TokenClaims, Optional<IssuedToken>> renewed = new HashMap<>();
            for (Map.Entry<InMeeting, List<Held>> e : byIdentity.entrySet()) {
                String why = verdicts.refused().get(e.getKey());
                for (Held h : e.getValue()) {
                    if (why != null) {
                        putOut += frames.expel(h.socket(), h.membership(), why) ? 1 : 0;
                    } else if (verdicts.revocationsRead() && tokens.renewalDue(h.membership().claims())) {
                        // renewed only when the pass knows it is not logged out
                        // one new token per token renewed, whatever number of meetings and sockets use it
                        renewed.computeIfAbsent(h.membership().claims(), tokens::renew)
                                .ifPresent(t -> renew(h, t));
                    }
                }
            }
            return putOut;
        });
    }

    /** Gives the membership its renewed token and tells its client, unless it changed since the pass saw it. */
    private void renew(Held h, IssuedToken t) {
        GatewaySocket.Membership now = h.socket().renew(h.membership(), t.claims());
        if (now != null) {
            metrics.tokenRenewed();
            h.socket().send(ServerFrames.token(now.meetingId(), t.token(), t.expiresAt()));
        }
    }

    /**
     * A session was just revoked on this gateway (logout): the joined memberships here that hold any of its tokens
     * are put out now rather than at the next pass; the number put out.
     */
    public long loggedOut(String sessionId) {
        long putOut = 0;
        if (sessionId == null) {
            return putOut;
        }
        for (GatewaySocket s : sockets.all()) {
            for (GatewaySocket.Membership seen : s.memberships()) {
                // as it is now: a pass may have renewed its token since the list was taken
                GatewaySocket.Membership m = s.membership(seen.meetingId());
                if (m != null && m.claims() != null && m.joined() && sessionId.equals(m.claims().sessionId())) {
                    putOut += frames.expel(s, m, IdentityCheck.LOGGED_OUT) ? 1 : 0;
                }
            }
        }
        return putOut;
    }

    @Override
    public void start() {
        passes.start();
    }

    @Override
    public void stop() {
        passes.stop();
    }

    @Override
    public boolean isRunning() {
        return passes.isRunning();
    }

    private record Held(GatewaySocket socket, GatewaySocket.Membership membership) {}
}
