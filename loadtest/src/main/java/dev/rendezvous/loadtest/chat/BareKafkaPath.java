package dev.rendezvous.loadtest.chat;

import dev.rendezvous.topics.KafkaClients;
import dev.rendezvous.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The floor our chat path is compared with: the same two hops through the same broker with nothing in between —
 * produce → consume → produce → consume, all in this process. Producers use the apps' settings
 * ({@link KafkaClients#producerDefaults}: acks=all, idempotent, no linger); consumers the gateway's delivery
 * consumer's (fetch.max.wait.ms = 100, fetch.min.bytes = 1). The two topics have the partition counts and
 * replication of {@code chat.message.requested} and {@code gateway.delivery.requested}; records are keyed by the
 * same meeting ids and carry a value of a chat request's size. No WebSocket, no JSON, no state, no commit of
 * results: whatever our path costs beyond this is ours.
 */
public final class BareKafkaPath implements ChatPath {

    static final String REQUESTED = "loadtest.bare.requested";
    static final String DELIVERED = "loadtest.bare.delivered";
    /** About the size of a chat request record (JSON with ids, names and a short text). */
    static final int VALUE_BYTES = 280;

    private final Inflight inflight = new Inflight();
    private final List<String> keys;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaProducer<String, byte[]> relayProducer;
    private final KafkaConsumer<String, byte[]> relayConsumer;
    private final KafkaConsumer<String, byte[]> receiver;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread relay;
    private final Thread receive;

    private BareKafkaPath(String bootstrap, List<String> keys) {
        this.keys = keys;
        this.producer = new KafkaProducer<>(KafkaClients.producerDefaults(bootstrap, "loadtest-bare-sender"));
        this.relayProducer = new KafkaProducer<>(KafkaClients.producerDefaults(bootstrap, "loadtest-bare-relay"));
        this.relayConsumer = consumer(bootstrap, "loadtest-bare-relay");
        this.receiver = consumer(bootstrap, "loadtest-bare-receiver");
        position(relayConsumer, REQUESTED);
        position(receiver, DELIVERED);
        relay = new Thread(this::relayLoop, "bare-relay");
        receive = new Thread(this::receiveLoop, "bare-receiver");
        relay.setDaemon(true);
        receive.setDaemon(true);
        relay.start();
        receive.start();
    }

    /** Creates the two topics if needed (shaped like the chat path's) and starts the relay and the receiver. */
    public static BareKafkaPath open(String bootstrap, List<String> keys) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Map<String, TopicDescription> real = admin.describeTopics(List.of(Topics.CHAT_REQUESTED.name(),
                    Topics.GATEWAY_DELIVERIES.name())).allTopicNames().get(30, TimeUnit.SECONDS);
            create(admin, REQUESTED, real.get(Topics.CHAT_REQUESTED.name()));
            create(admin, DELIVERED, real.get(Topics.GATEWAY_DELIVERIES.name()));
        }
        return new BareKafkaPath(bootstrap, keys);
    }

    private static void create(Admin admin, String name, TopicDescription like) throws Exception {
        short replication = (short) like.partitions().get(0).replicas().size();
        try {
            admin.createTopics(List.of(new NewTopic(name, like.partitions().size(), replication)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrap, String clientId) {
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", bootstrap);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Every partition of {@code topic}, from its end: no group, no rebalance, nothing old replayed. */
    private static void position(KafkaConsumer<String, byte[]> c, String topic) {
        List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        c.assign(parts);
        c.seekToEnd(parts);
        parts.forEach(c::position);
    }

    private void relayLoop() {
        while (running.get()) {
            for (ConsumerRecord<String, byte[]> r : relayConsumer.poll(Duration.ofMillis(100))) {
                relayProducer.send(new ProducerRecord<>(DELIVERED, r.key(), r.value()), (md, e) -> {
                    if (e != null) {
                        inflight.error(e.toString());
                    }
                });
            }
        }
    }

    private void receiveLoop() {
        while (running.get()) {
            for (ConsumerRecord<String, byte[]> r : receiver.poll(Duration.ofMillis(100))) {
                long now = System.nanoTime();
                byte[] v = r.value();
                int end = 0;
                while (end < v.length && v[end] != ' ') {
                    end++;
                }
                inflight.received(new String(v, 0, end, StandardCharsets.US_ASCII), now);
            }
        }
    }

    @Override
    public String name() {
        return "bare Kafka (produce → consume → produce → consume)";
    }

    @Override
    public Inflight inflight() {
        return inflight;
    }

    @Override
    public void send(long n, long scheduledNanos) {
        String id = Long.toString(n);
        byte[] value = new byte[VALUE_BYTES];
        Arrays.fill(value, (byte) 'x');
        byte[] idBytes = id.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(idBytes, 0, value, 0, idBytes.length);
        value[idBytes.length] = ' ';
        inflight.sent(id, scheduledNanos);
        producer.send(new ProducerRecord<>(REQUESTED, keys.get((int) (n % keys.size())), value), (md, e) -> {
            if (e != null) {
                inflight.error(e.toString());
            }
        });
    }

    @Override
    public void close() {
        running.set(false);
        join(relay);
        join(receive);
        relayConsumer.close();
        receiver.close();
        producer.close();
        relayProducer.close();
    }

    private static void join(Thread t) {
        try {
            t.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
