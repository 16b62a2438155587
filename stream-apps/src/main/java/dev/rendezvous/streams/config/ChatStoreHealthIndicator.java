package dev.rendezvous.streams.config;

import dev.rendezvous.streams.chatstore.ChatStorePipeline;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code chatStore} in {@code /actuator/health}: DOWN until the chat table exists and while writes to
 * PostgreSQL fail (they are retried; nothing is committed to Kafka meanwhile, so nothing is lost).
 */
final class ChatStoreHealthIndicator implements HealthIndicator {

    private final ChatStorePipeline pipeline;

    ChatStoreHealthIndicator(ChatStorePipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public Health health() {
        ChatStorePipeline.Status s = pipeline.status();
        Health.Builder b = s.healthy() ? Health.up() : Health.down();
        b.withDetail("schemaReady", s.schemaReady());
        if (s.failingSince() != null) {
            b.withDetail("failingSince", s.failingSince().toString()).withDetail("lastError", s.lastError());
        }
        return b.build();
    }
}
