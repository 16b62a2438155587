package dev.rendezvous.streams.config;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code kafkaStreams} in {@code /actuator/health}: DOWN until Kafka Streams is RUNNING (the launcher waits
 * for UP), UP while it runs or rebalances after having run, DOWN once it is shutting down, stopped or
 * failed (ERROR).
 */
final class KafkaStreamsHealthIndicator implements HealthIndicator {

    private final KafkaStreamsRuntime runtime;

    KafkaStreamsHealthIndicator(KafkaStreamsRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Health health() {
        KafkaStreams.State s = runtime.state();
        if (s == null) {
            return Health.down().withDetail("state", "NOT_STARTED").build();
        }
        boolean up = s == KafkaStreams.State.RUNNING
                || (s == KafkaStreams.State.REBALANCING && runtime.hasBeenRunning());
        return (up ? Health.up() : Health.down()).withDetail("state", s.name()).build();
    }
}
