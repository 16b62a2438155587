package dev.rendezvous.gateway.presence;

import dev.rendezvous.gateway.kafka.EventBus;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.GatewayHeartbeat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * This gateway's liveness on {@code gateway.heartbeat.reported}: a beat at start (before the web server accepts
 * sockets), one every {@code interval}, and "going away" at shutdown (after the sockets have left). The room processor
 * takes the sockets of a gateway whose beats stop out of their rooms.
 *
 * <p>When beats could not be delivered for {@code assumeLostAfter} (set below the room processor's
 * {@code rendezvous.room.gateway-silence}), this gateway may have been declared dead and its sockets removed from their
 * rooms: at the first beat that gets through again, {@code onRevived} runs (the configuration closes every socket
 * with 1012, so that pages reconnect and join again instead of staying in a room that no longer has them).
 */
public final class HeartbeatPublisher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(HeartbeatPublisher.class);
    private static final Duration FIRST_AND_LAST_BEAT_WAIT = Duration.ofSeconds(5);

    private final EventBus bus;
    private final String gatewayId;
    private final Clock clock;
    private final Duration interval;
    private final Duration assumeLostAfter;
    private final Runnable onRevived;
    private final String instanceId = UUID.randomUUID().toString();
    private final Instant startedAt;
    private final AtomicLong lastAcked = new AtomicLong();
    private volatile Disposable beating;

    public HeartbeatPublisher(EventBus bus, String gatewayId, Clock clock, Duration interval, Duration assumeLostAfter,
                              Runnable onRevived) {
        this.bus = bus;
        this.gatewayId = gatewayId;
        this.clock = clock;
        this.interval = interval;
        this.assumeLostAfter = assumeLostAfter;
        this.onRevived = onRevived;
        this.startedAt = clock.instant();
    }

    public String instanceId() {
        return instanceId;
    }

    @Override
    public synchronized void start() {
        if (beating != null) {
            return;
        }
        try {
            beat(GatewayHeartbeat.Status.ALIVE).block(FIRST_AND_LAST_BEAT_WAIT);
        } catch (RuntimeException e) {
            log.warn("first heartbeat of gateway {} not acknowledged: {}", gatewayId, e.toString());
        }
        beating = Flux.interval(interval, interval)
                .onBackpressureDrop()   // a beat waiting for the broker is not followed by a backlog of beats
                .concatMap(i -> beat(GatewayHeartbeat.Status.ALIVE).onErrorResume(e -> {
                    log.warn("heartbeat of gateway {} not acknowledged: {}", gatewayId, e.toString());
                    return Mono.empty();
                }), 1)
                .subscribe();
        log.info("gateway {} (instance {}) beats every {} on {}", gatewayId, instanceId, interval,
                Topics.GATEWAY_HEARTBEATS.name());
    }

    @Override
    public synchronized void stop() {
        if (beating == null) {
            return;
        }
        beating.dispose();
        beating = null;
        try {
            beat(GatewayHeartbeat.Status.GOING_AWAY).block(FIRST_AND_LAST_BEAT_WAIT);
        } catch (RuntimeException e) {
            log.warn("last heartbeat (going away) of gateway {} not acknowledged: {}", gatewayId, e.toString());
        }
    }

    @Override
    public boolean isRunning() {
        return beating != null;
    }

    /** Starts before the web server (sockets join only after the first beat) and stops after it. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2048;
    }

    /** One beat; completes when the broker acknowledged it. */
    Mono<Void> beat(GatewayHeartbeat.Status status) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            return bus.publish(Topics.GATEWAY_HEARTBEATS, gatewayId,
                    new GatewayHeartbeat(gatewayId, instanceId, startedAt, now, status), now);
        }).then(Mono.fromRunnable(this::acknowledged));
    }

    private void acknowledged() {
        long now = clock.millis();
        long before = lastAcked.getAndSet(now);
        if (before > 0 && now - before >= assumeLostAfter.toMillis()) {
            log.warn("gateway {} could not beat for {} ms: it may have been declared dead; closing its sockets so that "
                    + "they join again", gatewayId, now - before);
            onRevived.run();
        }
    }
}
