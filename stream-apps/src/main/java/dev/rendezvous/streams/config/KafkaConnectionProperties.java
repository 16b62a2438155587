package dev.rendezvous.streams.config;

import dev.rendezvous.topics.KafkaConnection;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rendezvous.kafka.*}: where Kafka is and how topics are replicated.
 *
 * @param bootstrapServers  host:port list of the brokers
 * @param replicationFactor replication of the catalogue's topics and of Kafka Streams' internal topics
 * @param properties        {@code rendezvous.kafka.properties.*}: extra Kafka client properties (SASL, TLS, …) for
 *                          every Kafka client of this app; see {@link KafkaConnection}
 */
@ConfigurationProperties("rendezvous.kafka")
public record KafkaConnectionProperties(
        @DefaultValue("127.0.0.1:19092") String bootstrapServers,
        @DefaultValue("1") int replicationFactor,
        Map<String, String> properties) {

    @ConstructorBinding
    public KafkaConnectionProperties {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("rendezvous.kafka.bootstrap-servers must be set");
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("rendezvous.kafka.replication-factor must be at least 1");
        }
        properties = new KafkaConnection(bootstrapServers, properties).properties();
    }

    /** Without extra client properties. */
    public KafkaConnectionProperties(String bootstrapServers, int replicationFactor) {
        this(bootstrapServers, replicationFactor, Map.of());
    }

    /** The connection every Kafka client of this app starts from. */
    public KafkaConnection connection() {
        return new KafkaConnection(bootstrapServers, properties);
    }

    /** Secret client properties masked. */
    @Override
    public String toString() {
        return "KafkaConnectionProperties[replicationFactor=" + replicationFactor + ", " + connection() + "]";
    }
}
