package dev.rendezvous.gateway.ws;

import dev.rendezvous.gateway.kafka.EventBus;
import dev.rendezvous.topics.TopicSpec;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Records what would have been published. */
final class FakeEventBus implements EventBus {

    record Published(String topic, String key, Object value, Instant timestamp) {}

    final List<Published> published = new CopyOnWriteArrayList<>();
    volatile RuntimeException failWith;
    /** Publishes still to fail (broker unreachable) before they succeed again. */
    final java.util.concurrent.atomic.AtomicInteger failNext = new java.util.concurrent.atomic.AtomicInteger();
    /** Publishes attempted, failed ones included. */
    final java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public <V> Mono<Void> publish(TopicSpec<V> topic, String key, V value, Instant timestamp) {
        return Mono.defer(() -> {
            attempts.incrementAndGet();
            if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return Mono.error(new IllegalStateException("broker unreachable"));
            }
            if (failWith != null) {
                return Mono.error(failWith);
            }
            published.add(new Published(topic.name(), key, value, timestamp));
            return Mono.empty();
        });
    }

    @Override
    public Flux<KeyedDelivery> deliveries(int partition, long from, java.util.function.LongConsumer onAssigned) {
        onAssigned.accept(0);
        return Flux.never();
    }
}
