package dev.rendezvous.streams.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rendezvous.streams.*}: how the room processor (Kafka Streams) runs.
 *
 * @param applicationId  Kafka Streams application id: consumer group and prefix of internal topics
 * @param stateDir       local RocksDB state; may be lost (restored from the changelogs), faster if kept;
 *                       default {@code <java.io.tmpdir>/rendezvous-stream-apps}
 * @param commitInterval how often offsets are committed and store caches flushed
 * @param threads        stream threads of this instance
 */
@ConfigurationProperties("rendezvous.streams")
public record StreamsProperties(
        @DefaultValue("rendezvous-stream-apps") String applicationId,
        Path stateDir,
        @DefaultValue("PT0.1S") Duration commitInterval,
        @DefaultValue("1") int threads) {

    public StreamsProperties {
        if (stateDir == null) {
            stateDir = Path.of(System.getProperty("java.io.tmpdir"), "rendezvous-stream-apps");
        }
        if (applicationId == null || applicationId.isBlank()) {
            throw new IllegalArgumentException("rendezvous.streams.application-id must be set");
        }
        if (commitInterval == null || commitInterval.isNegative() || commitInterval.isZero()) {
            throw new IllegalArgumentException("rendezvous.streams.commit-interval must be positive");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("rendezvous.streams.threads must be at least 1");
        }
    }
}
