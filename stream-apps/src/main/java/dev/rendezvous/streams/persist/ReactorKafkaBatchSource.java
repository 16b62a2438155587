package dev.rendezvous.streams.persist;

import dev.rendezvous.topics.KafkaConnection;
import dev.rendezvous.topics.TopicSpec;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.kafka.receiver.KafkaReceiver;
import reactor.kafka.receiver.MicrometerConsumerListener;
import reactor.kafka.receiver.ReceiverOptions;
import reactor.kafka.receiver.ReceiverRecord;

/**
 * The one adapter over Reactor Kafka (1.3.25, discontinued upstream; used without transactions): a
 * consumer group on one topic, one batch per poll, offsets committed only for acknowledged batches
 * (every {@code commitInterval}, and when the consumer closes or loses partitions).
 *
 * <p>Values are decoded here rather than by the consumer, so that a record that does not decode is logged,
 * counted and passed over (acknowledged with its batch) instead of failing the receiver.
 */
public final class ReactorKafkaBatchSource<T> implements AcknowledgingSource<T> {

    private static final Logger log = LoggerFactory.getLogger(ReactorKafkaBatchSource.class);

    private ReceiverOptions<String, byte[]> options;
    private final TopicSpec<T> topic;
    private final Deserializer<T> values;
    private final Runnable onUndecodable;
    /** Topics whose values decode differently from {@link #values} ({@link #withTopic}). */
    private final Map<String, Deserializer<? extends T>> decoders = new java.util.HashMap<>();

    /**
     * @param kafka            bootstrap servers and extra client properties (SASL, TLS, …)
     * @param groupId          the consumer group; a new group starts at the oldest retained record
     * @param maxBatch         max.poll.records, hence the largest batch
     * @param commitInterval   how often acknowledged offsets are committed
     * @param sessionTimeout   how long the partitions of a member that died without leaving wait for it
     * @param onUndecodable    called for each record whose value does not decode
     */
    public ReactorKafkaBatchSource(KafkaConnection kafka, String groupId, TopicSpec<T> topic, int maxBatch,
                                   Duration commitInterval, Duration sessionTimeout, Runnable onUndecodable) {
        this(kafka, groupId, topic, maxBatch, commitInterval, sessionTimeout, onUndecodable, Map.of());
    }

    /**
     * @param consumerConfig consumer settings of this pipeline on top of the connection's (e.g. fetch.min.bytes and
     *                       fetch.max.wait.ms for bigger batches); the group, offsets and batch size stay this class's
     */
    public ReactorKafkaBatchSource(KafkaConnection kafka, String groupId, TopicSpec<T> topic, int maxBatch,
                                   Duration commitInterval, Duration sessionTimeout, Runnable onUndecodable,
                                   Map<String, Object> consumerConfig) {
        this(kafka, groupId, List.of(topic), maxBatch, commitInterval, sessionTimeout, onUndecodable, consumerConfig);
    }

    /** One consumer group on several topics of the same value type (e.g. the analytics events and quality samples). */
    public ReactorKafkaBatchSource(KafkaConnection kafka, String groupId, List<TopicSpec<T>> topics, int maxBatch,
                                   Duration commitInterval, Duration sessionTimeout, Runnable onUndecodable,
                                   Map<String, Object> consumerConfig) {
        TopicSpec<T> topic = topics.get(0);
        Map<String, Object> props = kafka.clientConfig();
        props.putAll(consumerConfig);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-" + topic.name());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxBatch);
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(1_000, sessionTimeout.toMillis() / 3));
        this.options = ReceiverOptions.<String, byte[]>create(props)
                .withKeyDeserializer(new StringDeserializer())
                .withValueDeserializer(new ByteArrayDeserializer())
                .commitInterval(commitInterval)
                .commitBatchSize(0)
                .subscription(topics.stream().map(TopicSpec::name).toList())
                .addAssignListener(ps -> log.info("{} assigned {}", groupId, ps))
                .addRevokeListener(ps -> log.info("{} revoked {}", groupId, ps));
        this.topic = topic;   // for the log; every topic's values decode the same way
        this.values = topic.valueSerde().deserializer();
        this.onUndecodable = onUndecodable;
    }

    /**
     * The consumer's Kafka client metrics in {@code registry} ({@code kafka_consumer_fetch_manager_records_lag_max}
     * and the other {@code kafka_consumer_*} series, tagged {@code client_id=<group>-<first topic>}): how far this
     * pipeline is behind its topic. Call before {@link #batches()}.
     */
    public ReactorKafkaBatchSource<T> withConsumerMetrics(MeterRegistry registry) {
        this.options = options.consumerListener(new MicrometerConsumerListener(registry));
        return this;
    }

    /**
     * Also reads {@code topic}, whose values {@code decoder} turns into this source's type (e.g. the analytics sink
     * reads accepted chat messages as chat events). Call before {@link #batches()}.
     */
    public ReactorKafkaBatchSource<T> withTopic(String topic, Deserializer<? extends T> decoder) {
        java.util.List<String> topics = new java.util.ArrayList<>(options.subscriptionTopics());
        if (!topics.contains(topic)) {
            topics.add(topic);
        }
        decoders.put(topic, decoder);
        this.options = options.subscription(topics);
        return this;
    }


    @Override
    public Flux<Batch<T>> batches() {
        return Flux.defer(() -> KafkaReceiver.create(options).receiveBatch())
                .concatMap(Flux::collectList, 1)
                .filter(records -> !records.isEmpty())
                .map(this::toBatch);
    }

    private Batch<T> toBatch(List<ReceiverRecord<String, byte[]>> records) {
        List<T> items = new ArrayList<>(records.size());
        for (ReceiverRecord<String, byte[]> r : records) {
            T value = decode(r);
            if (value != null) {
                items.add(value);
            }
        }
        return new Batch<>(items, () -> records.forEach(r -> r.receiverOffset().acknowledge()));
    }

    private T decode(ReceiverRecord<String, byte[]> r) {
        if (r.value() == null) {
            return null;
        }
        try {
            Deserializer<? extends T> d = decoders.get(r.topic());
            return d != null ? d.deserialize(r.topic(), r.value()) : values.deserialize(r.topic(), r.value());
        } catch (SerializationException e) {
            onUndecodable.run();
            log.warn("skipping undecodable record {}-{}@{} on {}: {}", r.topic(), r.partition(), r.offset(),
                    topic.name(), e.getMessage());
            return null;
        }
    }
}
