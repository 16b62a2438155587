package dev.rendezvous.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.stack.Stack;
import dev.rendezvous.stack.StackListener;
import dev.rendezvous.topics.TopicSpec;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.GatewayDelivery;
import dev.rendezvous.topics.model.GatewayHeartbeat;
import dev.rendezvous.topics.model.Member;
import dev.rendezvous.topics.model.MemberRequest;
import dev.rendezvous.topics.model.Role;
import dev.rendezvous.topics.model.RoomEvent;
import dev.rendezvous.topics.model.RoomMembership;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * stream-apps against a real broker: two gateways beat on {@code gateway.heartbeat.reported} (real producers playing
 * their heartbeat publishers), one stops, and the room processor takes its member out of the room; the member of the
 * gateway that keeps beating is told on its gateway's partition, and {@code room.membership.changed} says so.
 */
class GatewayPresenceIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int GW_A_PARTITION = 1;
    private static final int GW_B_PARTITION = 4;

    @TempDir
    static Path dir;

    private static Stack stack;
    private static KafkaProducer<String, byte[]> producer;
    private static ConfigurableApplicationContext app;
    private static final ScheduledExecutorService beats = Executors.newScheduledThreadPool(2);

    @BeforeAll
    static void start() {
        stack = Stack.builder(dir.resolve("stack"))
                .freePorts().noApps().s3(false).clickHouse(false)
                .listener(StackListener.logging())
                .start();
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
        app = new SpringApplicationBuilder(StreamAppsApplication.class).run(
                "--server.port=0",
                "--management.server.port=0",
                "--rendezvous.kafka.bootstrap-servers=" + stack.kafkaBootstrapServers(),
                "--rendezvous.streams.state-dir=" + dir.resolve("streams-state"),
                "--spring.r2dbc.url=" + stack.postgresR2dbcUrl(),
                "--spring.r2dbc.username=" + stack.postgresUsername(),
                "--spring.r2dbc.password=" + stack.postgresPassword(),
                "--rendezvous.room.gateway-silence=PT3S",
                "--rendezvous.room.presence-check-interval=PT0.5S");
    }

    @AfterAll
    static void stop() {
        beats.shutdownNow();
        if (app != null) {
            app.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldRemoveTheMemberOfAGatewayWhoseHeartbeatsStop() {
        String gwA = "gw-a-" + UUID.randomUUID().toString().substring(0, 8);
        String gwB = "gw-b-" + UUID.randomUUID().toString().substring(0, 8);
        String meeting = UUID.randomUUID().toString();
        ScheduledFuture<?> beatsA = beatEvery300ms(gwA);
        ScheduledFuture<?> beatsB = beatEvery300ms(gwB);
        try (KafkaConsumer<String, byte[]> out = outputs()) {
            send(Topics.MEMBER_REQUESTED, meeting, join(meeting, "s-a", gwA, GW_A_PARTITION, "alice"));
            send(Topics.MEMBER_REQUESTED, meeting, join(meeting, "s-b", gwB, GW_B_PARTITION, "bob"));
            List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
            // bob is in and has seen alice join
            await().atMost(WAIT).until(() -> {
                out.poll(Duration.ofMillis(200)).forEach(seen::add);
                return deliveries(seen, gwB, meeting).stream().anyMatch(e -> e.type() == RoomEvent.Type.JOINED);
            });
            // several silence periods with both beating: nobody leaves
            Instant calm = Instant.now().plusSeconds(5);
            await().atMost(WAIT).until(() -> {
                out.poll(Duration.ofMillis(200)).forEach(seen::add);
                return Instant.now().isAfter(calm);
            });
            assertThat(deliveries(seen, gwB, meeting)).noneMatch(e -> e.type() == RoomEvent.Type.PARTICIPANT_LEFT);

            beatsA.cancel(false);   // gateway A dies

            await().atMost(WAIT).until(() -> {
                out.poll(Duration.ofMillis(200)).forEach(seen::add);
                return deliveries(seen, gwB, meeting).stream().anyMatch(e -> e.type() == RoomEvent.Type.PARTICIPANT_LEFT);
            });
            RoomEvent left = deliveries(seen, gwB, meeting).stream()
                    .filter(e -> e.type() == RoomEvent.Type.PARTICIPANT_LEFT).findFirst().orElseThrow();
            assertThat(left.participant().socketId()).isEqualTo("s-a");
            await().atMost(WAIT).untilAsserted(() -> {
                out.poll(Duration.ofMillis(200)).forEach(seen::add);
                List<RoomMembership> changes = seen.stream()
                        .filter(r -> r.topic().equals(Topics.MEMBERSHIP_CHANGED.name()) && meeting.equals(r.key()))
                        .map(r -> Topics.MEMBERSHIP_CHANGED.valueSerde().deserializer().deserialize(r.topic(), r.value()))
                        .toList();
                assertThat(changes).isNotEmpty();
                assertThat(changes.get(changes.size() - 1).members()).extracting(Member::socketId).containsExactly("s-b");
            });
        } finally {
            beatsA.cancel(false);
            beatsB.cancel(false);
        }
    }

    private ScheduledFuture<?> beatEvery300ms(String gatewayId) {
        Instant started = Instant.now().minusSeconds(1);
        String instance = UUID.randomUUID().toString();
        return beats.scheduleAtFixedRate(() -> send(Topics.GATEWAY_HEARTBEATS, gatewayId,
                new GatewayHeartbeat(gatewayId, instance, started, Instant.now(), GatewayHeartbeat.Status.ALIVE)),
                0, 300, TimeUnit.MILLISECONDS);
    }

    private static MemberRequest join(String meeting, String socket, String gateway, int partition, String name) {
        return new MemberRequest(MemberRequest.Action.JOIN, meeting, socket, gateway, partition, "p-" + name, name,
                Role.USER, Instant.now());
    }

    private static List<RoomEvent> deliveries(List<ConsumerRecord<String, byte[]>> seen, String gateway, String meeting) {
        return seen.stream()
                .filter(r -> r.topic().equals(Topics.GATEWAY_DELIVERIES.name()) && gateway.equals(r.key()))
                .map(r -> Topics.GATEWAY_DELIVERIES.valueSerde().deserializer().deserialize(r.topic(), r.value()))
                .map(GatewayDelivery::event)
                .filter(e -> meeting.equals(e.meetingId()))
                .toList();
    }

    private static KafkaConsumer<String, byte[]> outputs() {
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        for (TopicSpec<?> t : List.of(Topics.GATEWAY_DELIVERIES, Topics.MEMBERSHIP_CHANGED)) {
            IntStream.range(0, t.partitions()).forEach(p -> parts.add(new TopicPartition(t.name(), p)));
        }
        c.assign(parts);
        c.seekToBeginning(parts);
        return c;
    }

    private static <V> void send(TopicSpec<V> topic, String key, V value) {
        try {
            producer.send(new ProducerRecord<>(topic.name(), key, topic.valueSerde().serializer().serialize(topic.name(), value)))
                    .get();
        } catch (Exception e) {
            throw new AssertionError("cannot send to " + topic.name(), e);
        }
    }
}
