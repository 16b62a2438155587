package dev.rendezvous.gateway.ws;

import java.time.Duration;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Flux;

/**
 * On shutdown (SIGTERM), before the web server stops: every socket leaves its meetings (LEAVE records, awaited up
 * to the grace period), then its connection is closed with 1001 "going away". The producer is flushed after this,
 * when the event bus closes.
 */
public final class SocketShutdown implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SocketShutdown.class);

    private final SocketRegistry registry;
    private final FrameHandler frames;
    private final Duration grace;
    private volatile boolean running;

    public SocketShutdown(SocketRegistry registry, FrameHandler frames, Duration grace) {
        this.registry = registry;
        this.frames = frames;
        this.grace = grace;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        Collection<GatewaySocket> sockets = registry.all();
        if (sockets.isEmpty()) {
            return;
        }
        log.info("shutting down: {} sockets leave their meetings and are closed (1001)", sockets.size());
        try {
            // the LEAVEs of these sockets, and those of sockets that closed just before, still being retried
            Flux.fromIterable(sockets).flatMap(frames::leaveAll).then(frames.leavesSettled()).block(grace);
        } catch (RuntimeException e) {
            log.warn("not every LEAVE was acknowledged within {}: {}", grace, e.toString());
        }
        sockets.forEach(s -> s.close(GatewaySocket.GOING_AWAY_CODE, "going away"));
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the web server's graceful shutdown (which waits for open connections). */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 512;
    }
}
