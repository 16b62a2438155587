package dev.rendezvous.forwarder.kafka;

import dev.rendezvous.topics.KafkaConnection;
import dev.rendezvous.topics.KafkaConnectionProperties;
import dev.rendezvous.topics.TopicProvisioner;
import dev.rendezvous.topics.TopicSpec;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.ForwarderCommand;
import dev.rendezvous.topics.model.ForwarderEvent;
import dev.rendezvous.topics.model.ForwarderMetrics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.kafka.sender.KafkaSender;
import reactor.kafka.sender.SenderOptions;
import reactor.kafka.sender.SenderRecord;

/**
 * The forwarder's Kafka adapter (its producer, the Admin client and the commands reader):
 * <ul>
 *   <li>{@link #provisionAtStart} — the catalogue's topics, at start (tests: {@link #provisionTopics(int)});</li>
 *   <li>{@link #publishMetrics(ForwarderMetrics)} — one record on {@code forwarder.metrics.reported}, key =
 *       forwarder id, record timestamp = {@code at};</li>
 *   <li>{@link #readCommands(String, CommandSink)} — the records of {@code forwarder.command.issued} on the
 *       partition this forwarder's id hashes to.</li>
 * </ul>
 *
 * <p>The producer does not linger ({@code linger.ms=0}: a record a second gains nothing from batching) and
 * gives up on a record after a few seconds — a stale load figure is worth less than the next one. Sends run
 * on a dedicated thread because {@code KafkaProducer.send} may block (metadata, full buffer).
 *
 * <p>Commands: no consumer group. Each forwarder assigns itself the one partition that the producer's
 * default partitioner picks for its id (murmur2 of the key). A new process starts from the end: commands issued
 * while it was not running addressed a process that no longer exists (its sessions died with it), and placement
 * re-issues what is still wanted. A consumer that failed is replaced within the process and goes on where it
 * stopped ({@link PartitionReader}): the commands sent meanwhile are for this process's live sessions (a joiner's
 * offer, a host's mute) and must not be lost. The partition count is read when a consumer starts; if partitions
 * are added to the topic, restarting the forwarder picks up the new mapping.
 */
public final class ForwarderKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ForwarderKafka.class);

    private final KafkaConnection kafka;
    private final String clientId;
    private final KafkaSender<String, byte[]> sender;
    private final Scheduler sendThread;

    /**
     * @param clientId prefix of the Kafka client ids (e.g. {@code media-forwarder-<id>}), visible in broker logs
     */
    public ForwarderKafka(String bootstrapServers, String clientId) {
        this(KafkaConnection.of(bootstrapServers), clientId);
    }

    /**
     * @param kafka    bootstrap servers and extra client properties (SASL, TLS, …)
     * @param clientId prefix of the Kafka client ids (e.g. {@code media-forwarder-<id>}), visible in broker logs
     */
    public ForwarderKafka(KafkaConnection kafka, String clientId) {
        this.kafka = kafka;
        this.clientId = clientId;
        Map<String, Object> p = dev.rendezvous.topics.KafkaClients.producerDefaults(kafka, clientId);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 4_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 3_000);
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        this.sendThread = Schedulers.newSingle("forwarder-kafka-send", true);
        this.sender = KafkaSender.create(SenderOptions.<String, byte[]>create(p).maxInFlight(16));
    }

    private Map<String, Object> adminConfig() {
        Map<String, Object> c = kafka.clientConfig();
        c.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-admin");
        c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return c;
    }

    /** Creates missing topics and aligns configs (blocking; at start). Fails if Kafka cannot be reached in ~30 s. */
    public TopicProvisioner.Result provisionTopics(int replicationFactor) {
        try (Admin admin = Admin.create(adminConfig())) {
            return TopicProvisioner.ensure(admin, replicationFactor);
        }
    }

    /** What the app does at start: {@link TopicProvisioner#atStart}, nothing when {@code provision-topics} is off. */
    public java.util.Optional<TopicProvisioner.Result> provisionAtStart(KafkaConnectionProperties properties) {
        return TopicProvisioner.atStart(properties, adminConfig());
    }

    /** Sends one metrics record; completes when the broker acknowledged it, fails after a few seconds. */
    public Mono<Void> publishMetrics(ForwarderMetrics metrics) {
        return send(Topics.FORWARDER_METRICS, metrics.forwarderId(), metrics, metrics.at().toEpochMilli());
    }

    /** Sends one participant's quality sample to {@code media.quality.sampled} (key = meeting id). */
    public Mono<Void> publishQuality(dev.rendezvous.topics.model.AnalyticsEvent.QualitySample sample) {
        return send(Topics.MEDIA_QUALITY, sample.meetingId(), sample, sample.at().toEpochMilli());
    }

    /**
     * Sends one event to {@code forwarder.event.emitted} (key = meeting id: a room's events keep their order —
     * sends are issued one after the other on the send thread).
     */
    public Mono<Void> publishEvent(ForwarderEvent event) {
        return send(Topics.FORWARDER_EVENTS, event.meetingId(), event, event.at().toEpochMilli());
    }

    private <V> Mono<Void> send(TopicSpec<V> topic, String key, V value, long timestamp) {
        return Mono.defer(() -> {
            byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic.name(), null, timestamp, key, bytes);
            return sender.send(Mono.just(SenderRecord.create(record, null))).next();
        }).subscribeOn(sendThread).flatMap(result -> result.exception() == null
                ? Mono.<Void>empty()
                : Mono.error(result.exception()));
    }

    /** Where the commands of this forwarder go; called on the reader's thread, one call at a time. */
    public interface CommandSink {
        /** One record of the partition; {@code command} is null for bytes that are not a command. */
        void accept(String key, ForwarderCommand command);

        /** The consumer is positioned on {@code partition}: a command sent after this is read. */
        void onAssigned(int partition);

        /** The consumer failed; a new one follows after a pause and goes on where it stopped. */
        void onFailed(Throwable e);
    }

    /**
     * Starts reading this forwarder's commands partition on a thread of its own ({@link PartitionReader}): from the
     * end at start, and after a consumer failure from the record after the last one handed over (or where the
     * failed consumer was positioned). Closing the result stops it.
     */
    public AutoCloseable readCommands(String forwarderId, CommandSink sink) {
        return readCommands(forwarderId, sink, KafkaConsumer::new);
    }

    /** {@link #readCommands(String, CommandSink)} with consumers from {@code consumers} (a test's failing ones). */
    AutoCloseable readCommands(String forwarderId, CommandSink sink,
                               Function<Map<String, Object>, Consumer<String, byte[]>> consumers) {
        Map<String, Object> c = kafka.clientConfig();
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-commands");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        Deserializer<ForwarderCommand> values = Topics.FORWARDER_COMMANDS.valueSerde().deserializer();
        return new PartitionReader("forwarder-commands", Topics.FORWARDER_COMMANDS.name(), () -> consumers.apply(c),
                count -> List.of(partitionForKey(forwarderId, count)), new PartitionReader.Listener() {
                    @Override
                    public void onRecord(ConsumerRecord<String, byte[]> r) {
                        ForwarderCommand command = null;
                        try {
                            command = values.deserialize(r.topic(), r.value());
                        } catch (RuntimeException e) {
                            log.warn("unreadable command at {}-{}@{} (key {}): {}", r.topic(), r.partition(), r.offset(),
                                    r.key(), e.getMessage());
                        }
                        sink.accept(r.key(), command);
                    }

                    @Override
                    public void onPositioned(List<TopicPartition> partitions) {
                        sink.onAssigned(partitions.get(0).partition());
                    }

                    @Override
                    public void onFailed(Throwable e) {
                        sink.onFailed(e);
                    }
                }).start();
    }

    /**
     * The partition Kafka's default partitioner writes a record with this key to (murmur2 of the UTF-8 key,
     * as {@code BuiltInPartitioner.partitionForKey}). stream-apps must keep producing commands with the
     * default partitioner for this to hold.
     */
    public static int partitionForKey(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** Flushes what is in flight and closes the producer. */
    @Override
    public void close() {
        sender.close();
        sendThread.dispose();
    }
}
