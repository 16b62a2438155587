package dev.rendezvous.gateway.kafka;

import dev.rendezvous.topics.KafkaConnection;
import dev.rendezvous.topics.TopicSpec;
import dev.rendezvous.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * {@link EventBus} on Kafka's own clients: one idempotent producer ({@code acks=all}, the catalogue's 2-ms linger)
 * shared by every socket, and a plain consumer on a thread of its own for the delivery partition
 * ({@link DeliveryReader}). Values are serialized here with the catalogue's serdes, so a bad record never reaches the
 * client library.
 *
 * <p>{@code KafkaProducer.send} may block (metadata for a new topic, full buffer); sends are therefore handed to a
 * dedicated single thread, which also keeps each caller's records in the order they were published. The broker's
 * acknowledgement completes the caller's {@code Mono} on that thread too, never on the producer's network thread.
 * (Until 2026-12-06 both sides were Reactor Kafka's: its {@code KafkaSender} built a {@code Flux} pipeline with a
 * 256-slot queue for every record, 27 % of the gateway's allocation at 3,000 chat msg/s, and its receiver handed every
 * batch of deliveries from its polling thread to another.)
 */
public final class KafkaEventBus implements EventBus, AutoCloseable {

    private final KafkaConnection kafka;
    private final String clientId;
    private final KafkaProducer<String, byte[]> producer;
    private final Scheduler sendThread;
    /** Where each delivery consumer's client metrics go (records-lag-max, …); null: nowhere. */
    private volatile io.micrometer.core.instrument.MeterRegistry consumerMetrics;

    public KafkaEventBus(String bootstrapServers, String clientId) {
        this(KafkaConnection.of(bootstrapServers), clientId);
    }

    /**
     * The delivery consumers' Kafka client metrics in {@code registry} from now on (e.g.
     * {@code kafka_consumer_fetch_manager_records_lag_max}: how far this gateway is behind its delivery partition).
     */
    public KafkaEventBus withConsumerMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
        this.consumerMetrics = registry;
        return this;
    }

    public KafkaEventBus(KafkaConnection kafka, String clientId) {
        this.kafka = kafka;
        this.clientId = clientId;
        Map<String, Object> p = dev.rendezvous.topics.KafkaClients.producerDefaults(kafka, clientId);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        this.sendThread = Schedulers.newSingle("gateway-kafka-send", true);
        this.producer = new KafkaProducer<>(p);
    }

    /** Fetches metadata for the topics the gateway writes, so that the first send does not wait for it. */
    public void warmUp(Set<String> topics) {
        topics.forEach(producer::partitionsFor);
    }

    @Override
    public <V> Mono<Void> publish(TopicSpec<V> topic, String key, V value, Instant timestamp) {
        return Mono.create(sink -> sendThread.schedule(() -> {
            try {
                byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
                producer.send(new ProducerRecord<>(topic.name(), null, timestamp.toEpochMilli(), key, bytes),
                        (metadata, e) -> completeOnSendThread(sink, e));
            } catch (RuntimeException e) {   // serialization, a closed producer, metadata or buffer wait timed out
                sink.error(e);
            }
        }));
    }

    private void completeOnSendThread(MonoSink<Void> sink, Exception e) {
        Runnable complete = () -> {
            if (e == null) {
                sink.success();
            } else {
                sink.error(e);
            }
        };
        try {
            sendThread.schedule(complete);
        } catch (RejectedExecutionException closing) {
            complete.run();
        }
    }

    @Override
    public Flux<KeyedDelivery> deliveries(int partition, long from, java.util.function.LongConsumer onAssigned) {
        Map<String, Object> c = kafka.clientConfig();
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-deliveries");
        // no group: the position is kept by the caller (DeliveryPump), nothing is committed to Kafka
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        return DeliveryReader.flux(c, new TopicPartition(Topics.GATEWAY_DELIVERIES.name(), partition), from, onAssigned,
                consumerMetrics);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30)); // flushes what is in flight
        sendThread.dispose();
    }
}
