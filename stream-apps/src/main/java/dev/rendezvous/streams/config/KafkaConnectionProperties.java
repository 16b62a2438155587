package dev.rendezvous.streams.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rendezvous.kafka.*}: where Kafka is and how topics are replicated.
 *
 * @param bootstrapServers  host:port list of the brokers
 * @param replicationFactor replication of the catalogue's topics and of Kafka Streams' internal topics
 */
@ConfigurationProperties("rendezvous.kafka")
public record KafkaConnectionProperties(
        @DefaultValue("127.0.0.1:19092") String bootstrapServers,
        @DefaultValue("1") int replicationFactor) {

    public KafkaConnectionProperties {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("rendezvous.kafka.bootstrap-servers must be set");
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("rendezvous.kafka.replication-factor must be at least 1");
        }
    }
}
