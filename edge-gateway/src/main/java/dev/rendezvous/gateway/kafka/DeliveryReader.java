package dev.rendezvous.gateway.kafka;

import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.GatewayDelivery;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * One partition of {@code gateway.delivery.requested} read by a plain {@link KafkaConsumer} on a thread of its own,
 * each record decoded and handed on on that thread ({@link EventBus#deliveries}). It replaced Reactor Kafka's receiver
 * (2026-12-06; discontinued upstream), which polled on one thread and emitted on another through a queue: a thread
 * hand-off for every batch of deliveries. No change in the gateway's CPU per message was measured (ARCHITECTURE.md,
 * Decisions).
 *
 * <p>Unbounded: the one subscriber (the gateway's {@code DeliveryPump}) routes each record synchronously, so the
 * consumer reads no faster than records are routed. Disposing the subscription wakes the consumer, which closes.
 */
final class DeliveryReader implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(DeliveryReader.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final TopicPartition partition;
    private final long from;
    private final LongConsumer onAssigned;
    private final MeterRegistry registry;
    private final FluxSink<EventBus.KeyedDelivery> sink;
    private final Deserializer<GatewayDelivery> values = Topics.GATEWAY_DELIVERIES.valueSerde().deserializer();
    private final KafkaConsumer<String, byte[]> consumer;
    private volatile boolean stopped;

    private DeliveryReader(Map<String, Object> config, TopicPartition partition, long from, LongConsumer onAssigned,
                           MeterRegistry registry, FluxSink<EventBus.KeyedDelivery> sink) {
        this.partition = partition;
        this.from = from;
        this.onAssigned = onAssigned;
        this.registry = registry;
        this.sink = sink;
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * The partition's records from {@code from} (its end when negative or no longer in the log), read on a new thread
     * once subscribed; {@code registry} (may be null) gets the consumer's client metrics.
     */
    static Flux<EventBus.KeyedDelivery> flux(Map<String, Object> config, TopicPartition partition, long from,
                                             LongConsumer onAssigned, MeterRegistry registry) {
        return Flux.create(sink -> {
            DeliveryReader reader = new DeliveryReader(config, partition, from, onAssigned, registry, sink);
            Thread thread = new Thread(reader, config.get("client.id") + "-" + partition.partition());
            thread.setDaemon(true);
            sink.onDispose(reader::stop);
            thread.start();
        }, FluxSink.OverflowStrategy.BUFFER);
    }

    @Override
    public void run() {
        KafkaClientMetrics metrics = registry == null ? null : new KafkaClientMetrics(consumer);
        Throwable failure = null;
        try (consumer) {
            if (metrics != null) {
                metrics.bindTo(registry);
            }
            consumer.assign(List.of(partition));
            if (from >= 0) {
                consumer.seek(partition, from);   // an offset no longer in the log falls back to the end (auto.offset.reset)
            } else {
                consumer.seekToEnd(List.of(partition));
            }
            long at = consumer.position(partition);   // resolved now, so that later records are not skipped
            log.info("reading deliveries from {} at offset {}", partition, at);
            if (!stopped) {
                onAssigned.accept(at);
            }
            while (!stopped) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    hand(record);
                }
            }
        } catch (WakeupException e) {
            if (!stopped) {
                failure = e;
            }
        } catch (Throwable t) {   // whatever it is, the pump must hear of it and start another reader
            failure = t;
        } finally {
            if (metrics != null) {
                metrics.close();   // before the pump hears of a failure: the next reader binds the same meters
            }
        }
        if (failure == null) {
            return;
        }
        if (stopped) {
            log.warn("the delivery reader of {} failed while stopping: {}", partition, failure.toString());
        } else {
            sink.error(failure);
        }
    }

    private void hand(ConsumerRecord<String, byte[]> record) {
        GatewayDelivery d;
        try {
            d = values.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            log.warn("skipping unreadable delivery at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            return;
        }
        if (d != null) {
            sink.next(new EventBus.KeyedDelivery(record.key(), d, record.offset()));
        }
    }

    private void stop() {
        stopped = true;
        consumer.wakeup();
    }
}
