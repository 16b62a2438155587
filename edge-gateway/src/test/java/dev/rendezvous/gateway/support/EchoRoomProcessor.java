package dev.rendezvous.gateway.support;

import dev.rendezvous.topics.TopicSpec;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.ChatMessage;
import dev.rendezvous.topics.model.ChatRequest;
import dev.rendezvous.topics.model.GatewayDelivery;
import dev.rendezvous.topics.model.HostActionRequest;
import dev.rendezvous.topics.model.HostEvent;
import dev.rendezvous.topics.model.MemberRequest;
import dev.rendezvous.topics.model.Participant;
import dev.rendezvous.topics.model.RoomEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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
 * A very small room processor for gateway tests that need a room to keep going for a while (the fuzzing ITs): with
 * real Kafka clients on its own thread, it lets every JOIN in (JOINED), forgets LEAVEs, sends each chat request back
 * as a chat to every socket of the room (a malformed request read from Kafka is counted and skipped, as the real
 * processor does), and refuses every host action (FORBIDDEN), so REST calls that ask the room get an answer. Not
 * a model of the real processor's decisions: those are tested in stream-apps.
 */
public final class EchoRoomProcessor implements AutoCloseable {

    private record Member(String socketId, String gatewayId, int partition) {}

    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final Map<String, List<Member>> rooms = new HashMap<>();
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    public EchoRoomProcessor() {
        String bootstrap = TestInfra.kafkaBootstrapServers();
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.CLIENT_ID_CONFIG, "echo-room-processor-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        for (TopicSpec<?> t : List.of(Topics.MEMBER_REQUESTED, Topics.CHAT_REQUESTED, Topics.HOST_REQUESTED)) {
            consumer.partitionsFor(t.name()).forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position);
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new ByteArraySerializer());
        thread = new Thread(this::run, "echo-room-processor");
        thread.setDaemon(true);
        thread.start();
    }

    /** Requests that could not be read (the gateway should never send one). */
    public long malformed() {
        return malformed.get();
    }

    private void run() {
        while (running.get()) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                try {
                    handle(r);
                } catch (RuntimeException e) {
                    malformed.incrementAndGet();
                }
            }
        }
    }

    private void handle(ConsumerRecord<String, byte[]> r) {
        if (r.topic().equals(Topics.MEMBER_REQUESTED.name())) {
            MemberRequest m = read(Topics.MEMBER_REQUESTED, r);
            List<Member> room = rooms.computeIfAbsent(m.meetingId(), k -> new ArrayList<>());
            room.removeIf(x -> x.socketId().equals(m.socketId()));
            if (m.action() == MemberRequest.Action.JOIN) {
                room.add(new Member(m.socketId(), m.gatewayId(), m.gatewayPartition()));
                Participant you = new Participant(m.participantId(), m.displayName(), m.role(), m.socketId());
                deliver(m.gatewayId(), m.gatewayPartition(), List.of(m.socketId()), RoomEvent.joined(m.meetingId(), you, List.of(you)));
            }
        } else if (r.topic().equals(Topics.CHAT_REQUESTED.name())) {
            ChatRequest c = read(Topics.CHAT_REQUESTED, r);
            ChatMessage msg = new ChatMessage(c.meetingId(), seq.incrementAndGet(), c.clientMsgId(), c.participantId(),
                    c.displayName(), c.text(), c.sentAt());
            for (Member m : rooms.getOrDefault(c.meetingId(), List.of())) {
                deliver(m.gatewayId(), m.partition(), List.of(m.socketId()), RoomEvent.chat(msg));
            }
        } else {
            HostActionRequest h = read(Topics.HOST_REQUESTED, r);
            deliver(h.gatewayId(), h.gatewayPartition(), List.of(h.replyTo()), RoomEvent.host(RoomEvent.Type.HOST_RESULT,
                    h.meetingId(), HostEvent.result(h.requestId(), h.action(), HostEvent.Outcome.FORBIDDEN, "forbidden",
                            "the echo processor refuses host actions", null)));
        }
    }

    private static <V> V read(TopicSpec<V> topic, ConsumerRecord<String, byte[]> r) {
        V v = topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
        if (v == null) {
            throw new IllegalArgumentException("empty record");
        }
        return v;
    }

    private void deliver(String gatewayId, int partition, List<String> socketIds, RoomEvent event) {
        byte[] value = Topics.GATEWAY_DELIVERIES.valueSerde().serializer().serialize(Topics.GATEWAY_DELIVERIES.name(),
                new GatewayDelivery(gatewayId, partition, socketIds, event));
        producer.send(new ProducerRecord<>(Topics.GATEWAY_DELIVERIES.name(), partition, gatewayId, value));
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(10_000);
        consumer.close();
        producer.close();
    }
}
