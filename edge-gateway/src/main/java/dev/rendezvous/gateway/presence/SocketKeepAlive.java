package dev.rendezvous.gateway.presence;

import dev.rendezvous.gateway.ws.GatewaySocket;
import dev.rendezvous.gateway.ws.SocketRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * One sweep over the open sockets every {@code pingInterval}: a socket whose client has sent nothing (no frame, no
 * pong) for {@code idleTimeout} is closed with 4408, which makes it leave its meetings like any closed socket; every
 * other socket is sent a WebSocket ping, which a live client (a browser, any RFC 6455 client) answers with a pong.
 * A hung client is thus gone after idleTimeout to idleTimeout + pingInterval.
 */
public final class SocketKeepAlive implements SmartLifecycle {

    private final SocketRegistry sockets;
    private final Clock clock;
    private final Duration pingInterval;
    private final Duration idleTimeout;
    private volatile Disposable sweeping;

    public SocketKeepAlive(SocketRegistry sockets, Clock clock, Duration pingInterval, Duration idleTimeout) {
        this.sockets = sockets;
        this.clock = clock;
        this.pingInterval = pingInterval;
        this.idleTimeout = idleTimeout;
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
    public synchronized void start() {
        if (sweeping == null) {
            sweeping = Flux.interval(pingInterval, pingInterval).onBackpressureDrop().subscribe(i -> sweep());
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
}
