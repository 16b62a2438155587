package dev.rendezvous.gateway.config;

import dev.rendezvous.topics.KafkaConnectionProperties;
import dev.rendezvous.topics.TopicProvisioner;
import dev.rendezvous.topics.Topics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * What the gateway learns from Kafka at start: topics provisioned (idempotent, every service does it unless
 * {@code rendezvous.kafka.provision-topics} is off) and the real partition count of the delivery topic (which picks
 * this gateway's default partition).
 */
public record KafkaTopology(int deliveryPartitions) {

    static KafkaTopology provision(KafkaConnectionProperties kafka) {
        Map<String, Object> config = kafka.connection().clientConfig();
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "edge-gateway-admin");
        try (Admin admin = Admin.create(config)) {
            TopicProvisioner.atStart(admin, kafka);
            String topic = Topics.GATEWAY_DELIVERIES.name();
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(60, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
            return new KafkaTopology(partitions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading topic metadata", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the partitions of " + Topics.GATEWAY_DELIVERIES.name(), e);
        }
    }
}
