package dev.rendezvous.gateway.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rendezvous.kafka.*}: where the broker is and how topics are provisioned.
 *
 * @param bootstrapServers  {@code host:port[,host:port…]} of the Kafka cluster (required)
 * @param replicationFactor replication factor for topics the gateway creates at start
 */
@ConfigurationProperties("rendezvous.kafka")
public record KafkaSettings(String bootstrapServers, @DefaultValue("1") int replicationFactor) {

    public KafkaSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("rendezvous.kafka.bootstrap-servers is required (host:port of the Kafka cluster)");
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("rendezvous.kafka.replication-factor must be >= 1");
        }
    }
}
