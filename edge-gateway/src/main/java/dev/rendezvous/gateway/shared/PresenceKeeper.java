package dev.rendezvous.gateway.shared;

import dev.rendezvous.gateway.ws.SocketWatch;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Keeps a {@link SocketPresence} record (socket → this gateway) for each open socket: written when it opens,
 * refreshed every third of the TTL while it stays open, removed when it closes. A gateway that dies stops refreshing,
 * so its sockets' records expire by themselves within the TTL. Store errors are logged (at most every 10 s) and
 * never reach the socket.
 */
public final class PresenceKeeper implements SocketWatch, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PresenceKeeper.class);

    private final SocketPresence presence;
    private final String gatewayId;
    private final Duration ttl;
    private final Set<String> open = ConcurrentHashMap.newKeySet();
    private final Disposable refresher;
    private volatile long lastWarning;

    public PresenceKeeper(SocketPresence presence, String gatewayId, Duration ttl) {
        this.presence = presence;
        this.gatewayId = gatewayId;
        this.ttl = ttl;
        Duration every = ttl.dividedBy(3);
        this.refresher = Flux.interval(every, every)
                .onBackpressureDrop()
                .concatMap(tick -> Flux.fromIterable(Set.copyOf(open))
                        .flatMap(id -> write(id), 16)
                        .then(), 1)
                .subscribe();
    }

    @Override
    public void opened(String socketId, String address) {
        open.add(socketId);
        write(socketId).subscribe();
    }

    @Override
    public void closed(String socketId, String address) {
        open.remove(socketId);
        presence.remove(socketId).onErrorResume(this::warn).subscribe();
    }

    private Mono<Void> write(String socketId) {
        return presence.put(socketId, gatewayId, ttl).onErrorResume(this::warn);
    }

    private Mono<Void> warn(Throwable e) {
        long now = System.currentTimeMillis();
        if (now - lastWarning > 10_000) {
            lastWarning = now;
            log.warn("cannot write socket presence to the shared store: {}", e.toString());
        }
        return Mono.empty();
    }

    int tracked() {
        return open.size();
    }

    @Override
    public void close() {
        refresher.dispose();
    }
}
