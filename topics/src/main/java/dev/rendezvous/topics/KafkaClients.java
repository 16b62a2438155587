package dev.rendezvous.topics;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Client settings every writer of the catalogue's topics starts from, so that the latency-relevant ones are
 * decided once: a short linger ({@link #LINGER_MS}), acks from all in-sync
 * replicas, idempotence (no duplicates from producer retries), string keys and byte values (the serdes of
 * {@link TopicSpec} turn values into bytes). Callers add their own timeouts.
 */
public final class KafkaClients {

    /**
     * How long a producer holds a record for others to join its request. Not 0: with no wait every record was a
     * produce request of its own, and request handling (the broker's and the clients' network threads) was the
     * largest CPU cost of a chat message under load; 2 ms lets a request carry the records of 2 ms (a few at
     * 1,000 msg/s, several at 3,000) for at most 2 ms of latency per hop. Kafka 4 defaults to 5 ms, Kafka Streams
     * to 100 ms.
     */
    public static final int LINGER_MS = 2;

    private KafkaClients() {}

    /** A mutable map of producer settings for {@code clientId}; {@code -producer} is appended to the id. */
    public static Map<String, Object> producerDefaults(String bootstrapServers, String clientId) {
        return producerDefaults(KafkaConnection.of(bootstrapServers), clientId);
    }

    /** Like {@link #producerDefaults(String, String)}, on top of the connection's extra client properties. */
    public static Map<String, Object> producerDefaults(KafkaConnection kafka, String clientId) {
        Map<String, Object> p = kafka.clientConfig();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-producer");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return p;
    }
}
