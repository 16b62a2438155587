package dev.rendezvous.topics;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rendezvous.kafka.*}, the same for every app: where Kafka is, how its topics are replicated, whether this
 * process provisions them, and the extra client properties every Kafka client of the app starts from.
 *
 * <p>Spring binds it in each app; the annotations are only read there (this module compiles against Spring Boot
 * but does not need it at run time).
 *
 * @param bootstrapServers  {@code host:port[,host:port…]} of the Kafka cluster (required)
 * @param replicationFactor replication factor of the catalogue's topics this app creates at start (and, in
 *                          stream-apps, of Kafka Streams' internal topics): 1 on a single broker, 3 in production
 * @param provisionTopics   create missing catalogue topics, grow their partitions and align their configs at start
 *                          ({@link TopicProvisioner}); off where a separate job provisions them (the Helm chart's
 *                          hook), so that the app needs no rights to create topics or alter their configs
 * @param properties        {@code rendezvous.kafka.properties.*}: extra Kafka client properties (SASL, TLS, …) for
 *                          every Kafka client of this app; see {@link KafkaConnection}
 */
@ConfigurationProperties("rendezvous.kafka")
public record KafkaConnectionProperties(
        String bootstrapServers,
        @DefaultValue("1") int replicationFactor,
        @DefaultValue("true") boolean provisionTopics,
        Map<String, String> properties) {

    @ConstructorBinding
    public KafkaConnectionProperties {
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("rendezvous.kafka.replication-factor must be at least 1");
        }
        properties = new KafkaConnection(bootstrapServers, properties).properties();
    }

    /** Provisioning at start, without extra client properties. */
    public KafkaConnectionProperties(String bootstrapServers, int replicationFactor) {
        this(bootstrapServers, replicationFactor, true, Map.of());
    }

    /** The connection every Kafka client of this app starts from. */
    public KafkaConnection connection() {
        return new KafkaConnection(bootstrapServers, properties);
    }

    /** Secret client properties masked. */
    @Override
    public String toString() {
        return "KafkaConnectionProperties[replicationFactor=" + replicationFactor + ", provisionTopics="
                + provisionTopics + ", " + connection() + "]";
    }
}
