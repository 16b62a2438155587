package dev.rendezvous.gateway.ws;

import dev.rendezvous.gateway.auth.IdentityCheck;
import dev.rendezvous.gateway.auth.IdentityCheck.InMeeting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Keeps the people in meetings on this gateway to tokens that may still act. Every {@code interval} the claims each
 * open socket joined its meetings with are checked again ({@link IdentityCheck#refusals}: one batch read of the shared
 * revocations and one users query per thousand identities, not a read per socket); a membership whose token was
 * revoked since (logout on any gateway) or whose user was deleted is ended as a leave the client did not ask for
 * ({@link FrameHandler#expel}: the room gets a LEAVE, the client an {@code unauthorized} error for that meeting, the
 * socket stays open). A token logged out on this gateway is looked for at once ({@link #loggedOut}), without a store
 * read. When a store cannot be read the pass ends nothing (logged): joins and handshakes are refused while it is down,
 * but the people already in meetings stay.
 */
public final class IdentityRecheck implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IdentityRecheck.class);

    private final SocketRegistry sockets;
    private final IdentityCheck identities;
    private final FrameHandler frames;
    private final Duration interval;
    private volatile Disposable sweeping;

    public IdentityRecheck(SocketRegistry sockets, IdentityCheck identities, FrameHandler frames, Duration interval) {
        if (interval == null || interval.toMillis() <= 0) {
            throw new IllegalArgumentException("the identity re-check interval must be positive");
        }
        this.sockets = sockets;
        this.identities = identities;
        this.frames = frames;
        this.interval = interval;
    }

    /**
     * One pass over every membership of the open sockets; completes, with the number of memberships it ended, when
     * their LEAVEs are acknowledged (or given up: those stay for the next pass).
     */
    public Mono<Long> sweep() {
        Map<InMeeting, List<Held>> byIdentity = new LinkedHashMap<>();
        for (GatewaySocket s : sockets.all()) {
            for (GatewaySocket.Membership m : s.memberships()) {
                if (m.claims() != null) {
                    byIdentity.computeIfAbsent(new InMeeting(m.claims(), m.meetingId()), k -> new ArrayList<>())
                            .add(new Held(s, m));
                }
            }
        }
        if (byIdentity.isEmpty()) {
            return Mono.just(0L);
        }
        return identities.refusals(byIdentity.keySet())
                .flatMapMany(refused -> Flux.fromIterable(refused.entrySet()))
                .flatMap(e -> Flux.fromIterable(byIdentity.get(e.getKey()))
                        .flatMap(h -> frames.expel(h.socket(), h.membership(), e.getValue())))
                .filter(Boolean::booleanValue)
                .count();
    }

    /**
     * A token was just revoked on this gateway (logout): its memberships here end now rather than at the next pass.
     * Completes when their LEAVEs are acknowledged or given up.
     */
    public Mono<Long> loggedOut(String tokenId) {
        if (tokenId == null) {
            return Mono.just(0L);
        }
        List<Held> held = new ArrayList<>();
        for (GatewaySocket s : sockets.all()) {
            for (GatewaySocket.Membership m : s.memberships()) {
                if (m.claims() != null && tokenId.equals(m.claims().tokenId())) {
                    held.add(new Held(s, m));
                }
            }
        }
        return Flux.fromIterable(held)
                .flatMap(h -> frames.expel(h.socket(), h.membership(), IdentityCheck.LOGGED_OUT))
                .filter(Boolean::booleanValue)
                .count();
    }

    @Override
    public synchronized void start() {
        if (sweeping == null) {
            // a pass still running when the next is due: the tick is dropped, never two passes at once
            sweeping = Flux.interval(interval, interval)
                    .onBackpressureDrop()
                    .concatMap(tick -> sweep().onErrorResume(e -> {
                        log.warn("could not re-check the identities of the open sockets (nobody was put out): {}",
                                e.toString());
                        return Mono.empty();
                    }), 1)
                    .subscribe();
        }
    }

    @Override
    public synchronized void stop() {
        if (sweeping != null) {
            sweeping.dispose();
            sweeping = null;
        }
    }

    @Override
    public boolean isRunning() {
        return sweeping != null;
    }

    private record Held(GatewaySocket socket, GatewaySocket.Membership membership) {}
}
