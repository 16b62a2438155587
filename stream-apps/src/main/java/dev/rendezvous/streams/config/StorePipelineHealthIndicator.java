package dev.rendezvous.streams.config;

import dev.rendezvous.streams.persist.StorePipeline;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * A topic → table pipeline in {@code /actuator/health} ({@code chatStore}, {@code recordingControlsStore},
 * {@code recordingFilesStore}, {@code analyticsStore}): DOWN until its table exists and while writes fail (they are
 * retried; nothing is committed to Kafka meanwhile, so nothing is lost); {@code circuitBreaker} is the state of its
 * database's breaker (CLOSED, OPEN while the database is found down, HALF_OPEN while trial calls decide).
 */
final class StorePipelineHealthIndicator implements HealthIndicator {

    private final StorePipeline<?> pipeline;

    StorePipelineHealthIndicator(StorePipeline<?> pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public Health health() {
        StorePipeline.Status s = pipeline.status();
        Health.Builder b = s.healthy() ? Health.up() : Health.down();
        b.withDetail("schemaReady", s.schemaReady()).withDetail("circuitBreaker", pipeline.breakerState().toString());
        if (s.failingSince() != null) {
            b.withDetail("failingSince", s.failingSince().toString()).withDetail("lastError", s.lastError());
        }
        return b.build();
    }
}
