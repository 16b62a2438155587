package dev.rendezvous.gateway.shared;

import java.time.Duration;
import reactor.core.publisher.Mono;

/** Which gateway holds which socket: records that expire unless the gateway refreshes them while the socket is open. */
public interface SocketPresence {

    /** Records (or refreshes) that {@code socketId} is open on {@code gatewayId}, for {@code ttl}. */
    Mono<Void> put(String socketId, String gatewayId, Duration ttl);

    /** Forgets a socket that closed. */
    Mono<Void> remove(String socketId);

    /** The gateway holding the socket; empty when it is closed or its gateway stopped refreshing it. */
    Mono<String> gatewayOf(String socketId);
}
