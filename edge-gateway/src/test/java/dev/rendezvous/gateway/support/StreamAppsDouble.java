package dev.rendezvous.gateway.support;

import dev.rendezvous.topics.TopicSpec;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.GatewayDelivery;
import dev.rendezvous.topics.model.MemberRequest;
import dev.rendezvous.topics.model.Participant;
import dev.rendezvous.topics.model.RoomEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
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

/**
 * Plays stream-apps in the gateway tests with real Kafka clients: reads what the gateway requests
 * ({@code room.member.requested}, {@code chat.message.requested}, {@code signal.client.requested},
 * {@code room.host.requested}) from the end of each topic as it was when the
 * double was created, and writes {@code gateway.delivery.requested} records.
 */
public final class StreamAppsDouble implements AutoCloseable {

    /** A request record with its key and timestamp. */
    public record Request<V>(String key, V value, long timestamp) {}

    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

    public StreamAppsDouble() {
        String bootstrap = TestInfra.kafkaBootstrapServers();
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.CLIENT_ID_CONFIG, "stream-apps-double-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        for (TopicSpec<?> t : List.of(Topics.MEMBER_REQUESTED, Topics.CHAT_REQUESTED, Topics.SIGNAL_REQUESTED,
                Topics.HOST_REQUESTED)) {
            consumer.partitionsFor(t.name()).forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position); // fix the start now
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** The first request on {@code topic} matching {@code wanted}, waiting up to {@link WsClient#WAIT} for it. */
    public <V> Request<V> await(TopicSpec<V> topic, Predicate<V> wanted) {
        Instant deadline = Instant.now().plus(WsClient.WAIT);
        int checked = 0;
        while (true) {
            for (; checked < seen.size(); checked++) {
                ConsumerRecord<String, byte[]> r = seen.get(checked);
                if (r.topic().equals(topic.name())) {
                    V v = topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
                    if (wanted.test(v)) {
                        return new Request<>(r.key(), v, r.timestamp());
                    }
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no matching record on " + topic.name() + " within " + WsClient.WAIT);
            }
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        }
    }

    /** The first request on {@code topic} matching {@code wanted} within {@code window}, or null. */
    public <V> V find(TopicSpec<V> topic, Predicate<V> wanted, Duration window) {
        List<V> found = all(topic, wanted, window);
        return found.isEmpty() ? null : found.get(0);
    }

    /** Every request on {@code topic} matching {@code wanted} seen after polling for {@code window}. */
    public <V> List<V> all(TopicSpec<V> topic, Predicate<V> wanted, Duration window) {
        Instant until = Instant.now().plus(window);
        while (Instant.now().isBefore(until)) {
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        }
        List<V> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : seen) {
            if (r.topic().equals(topic.name())) {
                V v = topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
                if (wanted.test(v)) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    /**
     * Joins {@code ws} (just connected, its hello not yet read) to {@code meetingId} with {@code token} as the room
     * processor would: awaits the gateway's JOIN, answers JOINED with the joiner alone, and waits for the page's
     * {@code joined}. The socket's id.
     */
    public String admit(RunningGateway gw, WsClient ws, String meetingId, String token) {
        String socketId = ws.next("hello").get("socketId").asString();
        ws.send(Map.of("type", "join", "meetingId", meetingId, "token", token));
        MemberRequest join = await(Topics.MEMBER_REQUESTED,
                r -> r.action() == MemberRequest.Action.JOIN && socketId.equals(r.socketId())).value();
        Participant you = new Participant(join.participantId(), join.displayName(), join.role(), socketId);
        deliver(gw.id, gw.deliveryPartition(), new GatewayDelivery(gw.id, gw.deliveryPartition(), List.of(socketId),
                RoomEvent.joined(meetingId, you, List.of(you))));
        ws.next("joined");
        return socketId;
    }

    /** Writes a delivery with the given record key to the given partition, waiting for the broker's ack. */
    public void deliver(String key, int partition, GatewayDelivery delivery) {
        byte[] value = Topics.GATEWAY_DELIVERIES.valueSerde().serializer()
                .serialize(Topics.GATEWAY_DELIVERIES.name(), delivery);
        try {
            producer.send(new ProducerRecord<>(Topics.GATEWAY_DELIVERIES.name(), partition, key, value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Writes many deliveries, then waits for all the acks. */
    public void deliverAll(String key, int partition, List<GatewayDelivery> deliveries) {
        List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
        for (GatewayDelivery d : deliveries) {
            byte[] value = Topics.GATEWAY_DELIVERIES.valueSerde().serializer().serialize(Topics.GATEWAY_DELIVERIES.name(), d);
            acks.add(producer.send(new ProducerRecord<>(Topics.GATEWAY_DELIVERIES.name(), partition, key, value)));
        }
        for (java.util.concurrent.Future<?> f : acks) {
            try {
                f.get();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Writes a record as stream-apps would (e.g. {@code room.meeting.ended}), waiting for the broker's ack. */
    public <V> void publish(TopicSpec<V> topic, String key, V value) {
        byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        try {
            producer.send(new ProducerRecord<>(topic.name(), key, bytes)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes raw bytes as a delivery (to check that garbage is skipped). */
    public void deliverRaw(String key, int partition, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(Topics.GATEWAY_DELIVERIES.name(), partition, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        consumer.close();
        producer.close();
    }
}
