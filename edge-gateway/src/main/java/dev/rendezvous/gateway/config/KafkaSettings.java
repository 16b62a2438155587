package dev.rendezvous.gateway.config;

import dev.rendezvous.topics.KafkaConnection;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rendezvous.kafka.*}: where the broker is and how topics are provisioned.
 *
 * @param bootstrapServers  {@code host:port[,host:port…]} of the Kafka cluster (required)
 * @param replicationFactor replication factor for topics the gateway creates at start
 * @param properties        {@code rendezvous.kafka.properties.*}: extra client properties (SASL, TLS, …) for
 *                          every Kafka client of the gateway; see {@link KafkaConnection}
 */
@ConfigurationProperties("rendezvous.kafka")
public record KafkaSettings(String bootstrapServers, @DefaultValue("1") int replicationFactor,
                            Map<String, String> properties) {

    public KafkaSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("rendezvous.kafka.bootstrap-servers is required (host:port of the Kafka cluster)");
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("rendezvous.kafka.replication-factor must be >= 1");
        }
        properties = connection(bootstrapServers, properties).properties();
    }

    /** The connection every Kafka client of the gateway starts from. */
    public KafkaConnection connection() {
        return connection(bootstrapServers, properties);
    }

    private static KafkaConnection connection(String bootstrapServers, Map<String, String> properties) {
        return new KafkaConnection(bootstrapServers, properties);
    }

    @Override
    public String toString() {
        return "KafkaSettings[replicationFactor=" + replicationFactor + ", " + connection() + "]";
    }
}
