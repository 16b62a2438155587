package dev.rendezvous.gateway.kafka;

import dev.rendezvous.topics.TopicSpec;
import dev.rendezvous.topics.model.GatewayDelivery;
import java.time.Instant;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Everything the gateway needs from Kafka, and nothing more: publish a request record, and read the deliveries of
 * one partition. The only implementation sits on Kafka's own clients ({@link KafkaEventBus}), behind Reactor types;
 * Reactor Kafka is discontinued upstream, and only the meeting-ended reader still uses it.
 */
public interface EventBus {

    /**
     * Publishes {@code value} to {@code topic} under {@code key} with the given record timestamp; completes when the
     * broker acknowledged it (acks=all). Never blocks the caller's thread.
     */
    <V> Mono<Void> publish(TopicSpec<V> topic, String key, V value, Instant timestamp);

    /**
     * The records of one partition of {@code gateway.delivery.requested}, by manual assignment (no consumer group:
     * the position is the caller's), starting at offset {@code from}, or at the partition's end at subscription time
     * when {@code from} is negative (or no longer in the log). Records that cannot be read are skipped and logged.
     * {@code onAssigned} receives the start position once it is fixed, after which nothing published to the
     * partition is missed.
     */
    Flux<KeyedDelivery> deliveries(int partition, long from, java.util.function.LongConsumer onAssigned);

    /** A delivery record with its key (the addressed gateway id) and its offset in the partition. */
    record KeyedDelivery(String key, GatewayDelivery delivery, long offset) {}
}
