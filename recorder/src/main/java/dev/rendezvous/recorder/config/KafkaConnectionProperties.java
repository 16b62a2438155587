package dev.rendezvous.recorder.config;

import dev.rendezvous.topics.KafkaConnection;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rendezvous.kafka.*}: where Kafka is and whether this process provisions the topics.
 *
 * @param bootstrapServers  {@code host:port[,host:port…]} of the Kafka cluster (required)
 * @param replicationFactor replication factor of topics created at start
 * @param provisionTopics   create missing catalogue topics and align their configs at start; off where a
 *                          separate job provisions them (the Helm chart's hook)
 * @param properties        {@code rendezvous.kafka.properties.*}: extra Kafka client properties (SASL, TLS, …) for
 *                          every Kafka client of this app; see {@link KafkaConnection}
 */
@ConfigurationProperties("rendezvous.kafka")
public record KafkaConnectionProperties(
        String bootstrapServers,
        @DefaultValue("1") int replicationFactor,
        @DefaultValue("true") boolean provisionTopics,
        Map<String, String> properties) {

    public KafkaConnectionProperties {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException(
                    "rendezvous.kafka.bootstrap-servers is required (host:port of the Kafka cluster)");
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("rendezvous.kafka.replication-factor must be at least 1");
        }
        properties = new KafkaConnection(bootstrapServers, properties).properties();
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
