package dev.rendezvous.gateway.ws;

import dev.rendezvous.gateway.kafka.EventBus;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.MemberRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Publishes LEAVEs so that the room processor gets them: the producer is idempotent with {@code acks=all} and retries
 * transient errors itself until its delivery timeout; a send that still fails (broker unreachable, metadata timeout)
 * is tried again with exponential backoff, a bounded number of times, with the same record (a duplicate LEAVE is
 * harmless: the processor ignores an unknown socket). LEAVEs in flight are counted, so that shutdown waits for them.
 */
public final class LeavePublisher {

    /**
     * @param attempts     sends after the first one, at most
     * @param firstBackoff wait before the first retry; doubles (with jitter) up to {@code maxBackoff}
     */
    public record Retries(int attempts, Duration firstBackoff, Duration maxBackoff) {
        public Retries {
            Objects.requireNonNull(firstBackoff, "firstBackoff");
            Objects.requireNonNull(maxBackoff, "maxBackoff");
            if (attempts < 0 || firstBackoff.isNegative() || maxBackoff.compareTo(firstBackoff) < 0) {
                throw new IllegalArgumentException("LEAVE retries need attempts >= 0 and 0 <= first backoff <= max backoff");
            }
        }

        public static Retries defaults() {
            return new Retries(6, Duration.ofMillis(200), Duration.ofSeconds(5));
        }
    }

    private static final Logger log = LoggerFactory.getLogger(LeavePublisher.class);

    private final GatewayIdentity gateway;
    private final EventBus bus;
    private final Clock clock;
    private final GatewayMetrics metrics;
    private final Retries retries;
    private final AtomicInteger inFlight = new AtomicInteger();

    public LeavePublisher(GatewayIdentity gateway, EventBus bus, Clock clock, GatewayMetrics metrics, Retries retries) {
        this.gateway = gateway;
        this.bus = bus;
        this.clock = clock;
        this.metrics = metrics;
        this.retries = retries;
    }

    /** Completes when the broker acknowledged the LEAVE; fails once every retry failed (counted as {@code leave_lost}). */
    public Mono<Void> publish(String socketId, GatewaySocket.Membership m) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            MemberRequest leave = new MemberRequest(MemberRequest.Action.LEAVE, m.meetingId(), socketId, gateway.id(),
                    gateway.deliveryPartition(), m.participantId(), m.displayName(), m.role(), now);
            inFlight.incrementAndGet();
            return Mono.defer(() -> bus.publish(Topics.MEMBER_REQUESTED, m.meetingId(), leave, now))
                    .retryWhen(Retry.backoff(retries.attempts(), retries.firstBackoff()).maxBackoff(retries.maxBackoff())
                            .doBeforeRetry(r -> log.info("LEAVE of socket {} for meeting {} not acknowledged ({}); retry {}",
                                    socketId, m.meetingId(), r.failure().toString(), r.totalRetries() + 1)))
                    .doOnError(e -> {
                        log.error("LEAVE of socket {} for meeting {} lost after {} retries", socketId, m.meetingId(),
                                retries.attempts(), e);
                        metrics.error("leave_lost");
                    })
                    .doFinally(signal -> inFlight.decrementAndGet());
        });
    }

    /** LEAVEs sent and not yet acknowledged or given up. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Completes when no LEAVE is in flight. */
    public Mono<Void> settled() {
        return Flux.interval(Duration.ZERO, Duration.ofMillis(20))
                .filter(i -> inFlight.get() == 0)
                .next()
                .then();
    }
}
