package dev.rendezvous.gateway.presence;

import dev.rendezvous.gateway.ws.GatewaySocket;
import dev.rendezvous.gateway.ws.PeriodicPass;
import dev.rendezvous.gateway.ws.SocketRegistry;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Mono;

/**
 * One sweep over the open sockets every {@code pingInterval}: a socket whose client has sent nothing (no frame, no
 * pong) for {@code idleTimeout} is closed with 4408, which makes it leave its meetings like any closed socket; every
 * other socket is sent a WebSocket ping, which a live client (a browser, any RFC 6455 client) answers with a pong.
 * A hung client is thus gone after idleTimeout to idleTimeout + pingInterval.
 */
public final class SocketKeepAlive implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SocketKeepAlive.class);

    private final SocketRegistry sockets;
    private final Clock clock;
    private final Duration idleTimeout;
    private final PeriodicPass passes;

    public SocketKeepAlive(SocketRegistry sockets, Clock clock, Duration pingInterval, Duration idleTimeout) {
        this.sockets = sockets;
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        this.passes = new PeriodicPass(pingInterval, () -> Mono.fromRunnable(this::sweep),
                e -> log.warn("a keep-alive sweep failed: {}", e.toString()));
    }

    /** Pings or closes each socket once. */
    public void sweep() {
        long now = clock.millis();
        for (GatewaySocket s : sockets.all()) {
            if (now - s.liveness().lastHeard() >= idleTimeout.toMillis()) {
                s.terminate(GatewaySocket.IDLE_CODE, "idle: nothing received for " + idleTimeout.toSeconds() + " s", "idle");
            } else {
                s.liveness().ping(now);
            }
        }
    }

    /**
     * Closes every socket with 1012 (each leaves its meetings; its page reconnects and joins again): this gateway was
     * cut off long enough to be declared dead, and its rooms no longer have these sockets.
     */
    public void restartAll() {
        for (GatewaySocket s : sockets.all()) {
            s.terminate(GatewaySocket.RESTART_CODE, "the gateway was cut off; reconnect", "gateway_revived");
        }
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
}
