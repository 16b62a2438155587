package dev.rendezvous.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.stack.KafkaBroker;
import dev.rendezvous.stack.Ports;
import dev.rendezvous.stack.StackListener;
import dev.rendezvous.streams.config.RoomStreamsSettings;
import dev.rendezvous.streams.config.StreamsProperties;
import dev.rendezvous.streams.room.RoomMetrics;
import dev.rendezvous.streams.room.RoomTopology;
import dev.rendezvous.streams.room.RoomTopologyConfig;
import dev.rendezvous.topics.KafkaConnectionProperties;
import dev.rendezvous.topics.TopicProvisioner;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.GatewayDelivery;
import dev.rendezvous.topics.model.MemberRequest;
import dev.rendezvous.topics.model.Role;
import dev.rendezvous.topics.model.RoomEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The room processor against a real broker that refuses one of its output records for good (the topic's
 * {@code max.message.bytes} is smaller than the record): the record is reported and skipped, and the stream thread goes
 * on with the next room's records. With Kafka Streams' default production handler the thread failed, was replaced, read
 * the same input again and failed again, and every room of the partition froze.
 */
class UnsendableRecordIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    static Path dir;

    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        List<Integer> ports = Ports.freePorts(2);
        broker = new KafkaBroker(dir.resolve("kafka"), ports.get(0), ports.get(1), dir.resolve("logs"),
                Clock.systemUTC(), StackListener.logging());
        broker.start(WAIT);
        try (Admin admin = broker.newAdmin()) {
            TopicProvisioner.ensure(admin, 1);
            // analytics records of at most 1 KiB: a join's analytics event with a 2,000-character socket id is refused
            admin.incrementalAlterConfigs(Map.of(
                    new ConfigResource(ConfigResource.Type.TOPIC, Topics.ANALYTICS_EVENTS.name()),
                    List.of(new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1024"),
                            AlterConfigOp.OpType.SET)))).all().get();
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldSkipARecordTheBrokerRefusesAndGoOnWithTheNextRoom() throws Exception {
        Map<RoomMetrics.Outcome, AtomicInteger> counts = new ConcurrentHashMap<>();
        RoomMetrics metrics = o -> counts.computeIfAbsent(o, k -> new AtomicInteger()).incrementAndGet();
        RoomTopologyConfig cfg = RoomTopologyConfig.defaults().withMetrics(metrics);
        KafkaStreams streams = new KafkaStreams(RoomTopology.build(new StreamsBuilder(), cfg).build(),
                RoomStreamsSettings.properties(new KafkaConnectionProperties(broker.bootstrapServers(), 1),
                        new StreamsProperties("unsendable-it", dir.resolve("state"), Duration.ofMillis(100), 1), metrics));
        AtomicInteger threadFailures = new AtomicInteger();
        streams.setUncaughtExceptionHandler(e -> {
            threadFailures.incrementAndGet();
            return StreamThreadExceptionResponse.REPLACE_THREAD;   // as in production (KafkaStreamsRuntime)
        });
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                     new StringSerializer(), new ByteArraySerializer());
             KafkaConsumer<String, GatewayDelivery> deliveries = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                     ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                     new StringDeserializer(), Topics.GATEWAY_DELIVERIES.valueSerde().deserializer())) {
            streams.start();
            List<TopicPartition> all = IntStream.range(0, Topics.GATEWAY_DELIVERIES.partitions())
                    .mapToObj(p -> new TopicPartition(Topics.GATEWAY_DELIVERIES.name(), p)).toList();
            deliveries.assign(all);
            deliveries.seekToBeginning(all);

            String meetingA = UUID.randomUUID().toString();
            String meetingB = samePartitionAs(meetingA);   // another room the same task serves
            String hugeSocket = "s-" + UUID.randomUUID().toString().repeat(56);   // ~2,000 characters
            join(producer, meetingA, hugeSocket, "alice");
            await().atMost(WAIT).until(() -> counts.containsKey(RoomMetrics.Outcome.UNSENDABLE));
            join(producer, meetingB, "s-b", "bob");

            List<GatewayDelivery> seen = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                deliveries.poll(Duration.ofMillis(200)).forEach(r -> seen.add(r.value()));
                return joinedTo(seen, "s-b") && joinedTo(seen, hugeSocket);
            });
            assertThat(threadFailures.get()).as("no stream thread failed").isZero();
            // a probing rebalance may be under way at this instant; what matters is that the app is (back) running
            await("the app running").atMost(WAIT).until(() -> streams.state() == KafkaStreams.State.RUNNING);
            assertThat(threadFailures.get()).isZero();
        } finally {
            streams.close(Duration.ofSeconds(30));
        }
    }

    private static String samePartitionAs(String meeting) {
        int partitions = Topics.MEMBER_REQUESTED.partitions();
        int wanted = partitionOf(meeting, partitions);
        while (true) {
            String other = UUID.randomUUID().toString();
            if (partitionOf(other, partitions) == wanted) {
                return other;
            }
        }
    }

    private static int partitionOf(String key, int partitions) {
        byte[] bytes = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(bytes)) % partitions;
    }

    private static boolean joinedTo(List<GatewayDelivery> seen, String socket) {
        return seen.stream().anyMatch(d -> d.event() != null && d.event().type() == RoomEvent.Type.JOINED
                && d.socketIds().contains(socket));
    }

    private static void join(KafkaProducer<String, byte[]> producer, String meeting, String socket, String name)
            throws Exception {
        MemberRequest r = new MemberRequest(MemberRequest.Action.JOIN, meeting, socket, "gw-a", 0, "p-" + name, name,
                Role.USER, Instant.now());
        producer.send(new ProducerRecord<>(Topics.MEMBER_REQUESTED.name(), meeting,
                Topics.MEMBER_REQUESTED.valueSerde().serializer().serialize(Topics.MEMBER_REQUESTED.name(), r))).get();
    }
}
