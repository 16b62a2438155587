package dev.rendezvous.recorder.kafka;

import dev.rendezvous.recorder.chunk.Chunk;
import dev.rendezvous.recorder.chunk.ChunkSink;
import dev.rendezvous.topics.KafkaClients;
import dev.rendezvous.topics.KafkaConnection;
import dev.rendezvous.topics.KafkaConnectionProperties;
import dev.rendezvous.topics.TopicProvisioner;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.RecordingFile;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import reactor.core.scheduler.Schedulers;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.FluxSink;

/**
 * The recorder's Kafka adapter (the chunk consumer, the file producer and the Admin client; nothing else uses them).
 *
 * <p>{@link #consumeChunks} reads {@code recording.chunk.captured} in a consumer group from the earliest
 * uncommitted offset (a chunk produced before the recorder joined must not be lost), hands each record to the
 * {@link ChunkSink} one at a time, and commits per partition only what no open file still needs
 * ({@link PartitionHolds}, {@link ChunkConsumer}).
 */
public final class RecorderKafka implements AutoCloseable {

    /** A chunk may be up to the topic's max.message.bytes (2 MiB); fetch at least one whole chunk per partition. */
    private static final int MAX_PARTITION_FETCH_BYTES = 2 * 1024 * 1024 + 64 * 1024;

    private final KafkaConnection kafka;
    private final String clientId;
    private volatile KafkaProducer<String, byte[]> producer;

    public RecorderKafka(String bootstrapServers, String clientId) {
        this(KafkaConnection.of(bootstrapServers), clientId);
    }

    /** {@code kafka}: bootstrap servers and extra client properties (SASL, TLS, …). */
    /** Binds the chunk consumer's Kafka client metrics (records-lag-max, …) to this registry; null: none. */
    private volatile io.micrometer.core.instrument.MeterRegistry consumerMetrics;

    /**
     * The chunk consumer's Kafka client metrics in {@code registry} from now on (e.g.
     * {@code kafka_consumer_fetch_manager_records_lag_max}: how far the recorders are behind the chunks).
     */
    public RecorderKafka withConsumerMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
        this.consumerMetrics = registry;
        return this;
    }

    public RecorderKafka(KafkaConnection kafka, String clientId) {
        this.kafka = kafka;
        this.clientId = clientId;
    }

    /**
     * Announces a stored file on {@code recording.file.stored} (key = recording id); completes when the broker
     * has it. The producer is made on first use.
     */
    public Mono<Void> publishFile(RecordingFile file) {
        return Mono.<Void>create(sink -> {
            byte[] value = Topics.RECORDING_FILES.valueSerde().serializer().serialize(Topics.RECORDING_FILES.name(), file);
            producer().send(new ProducerRecord<>(Topics.RECORDING_FILES.name(), file.recordingId(), value), (md, e) -> {
                if (e == null) {
                    sink.success();
                } else {
                    sink.error(e);
                }
            });
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Map<String, Object> p = KafkaClients.producerDefaults(kafka, clientId + "-files");
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
            producer = new KafkaProducer<>(p);
        }
        return producer;
    }

    @Override
    public void close() {
        KafkaProducer<String, byte[]> p = producer;
        if (p != null) {
            p.close(Duration.ofSeconds(5));
        }
    }

    private Map<String, Object> adminConfig() {
        Map<String, Object> config = kafka.clientConfig();
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-admin");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return config;
    }

    /** What the app does at start: {@link TopicProvisioner#atStart}, nothing when {@code provision-topics} is off. */
    public java.util.Optional<TopicProvisioner.Result> provisionAtStart(KafkaConnectionProperties properties) {
        return TopicProvisioner.atStart(properties, adminConfig());
    }

    /**
     * Consumes chunks into the sink; emits each chunk once the sink has it. Offsets are committed only up to
     * each partition's {@linkplain PartitionHolds#safeOffset safe offset} (every second, on revocation and at the
     * end), so a chunk still needed by an unfinished file is read again by whoever owns its partition next.
     * {@code onAssigned} runs on every assignment with the partitions owned now. The flux errors when the consumer
     * or the sink fails (the caller restarts it; consumption resumes from the last commit, the sink having
     * dropped what it kept of every partition); disposing it stops the consumer (waiting up to 10 s for it).
     */
    public Flux<Chunk> consumeChunks(String groupId, Duration sessionTimeout, ChunkSink sink, PartitionHolds holds,
                                     Consumer<Set<Integer>> onAssigned) {
        Map<String, Object> c = kafka.clientConfig();
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-chunks");
        c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        // a dead recorder's partitions wait this long for it (the client's default is 45 s); heartbeats come from the
        // client's own thread, so a long composite render does not count against it (max.poll.interval.ms does)
        c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
        c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(1_000, sessionTimeout.toMillis() / 3));
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_PARTITION_FETCH_BYTES);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return Flux.<Chunk>create(out -> {
            KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c);
            io.micrometer.core.instrument.MeterRegistry registry = consumerMetrics;
            io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics metrics = registry == null ? null
                    : new io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics(consumer);
            if (metrics != null) {
                metrics.bindTo(registry);   // closed with the loop below: a sink takes one onDispose callback
            }
            ChunkConsumer loop = new ChunkConsumer(consumer, Topics.RECORDING_CHUNKS.name(), sink, holds,
                    onAssigned, Duration.ofSeconds(1), out);
            Thread thread = new Thread(loop, "recorder-chunks");
            thread.setDaemon(true);
            out.onDispose(() -> {
                loop.close();
                if (metrics != null) {
                    metrics.close();
                }
                if (Thread.currentThread() != thread) {
                    try {
                        thread.join(10_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            thread.start();
        }, FluxSink.OverflowStrategy.BUFFER);
    }
}
