package dev.rendezvous.streams.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rendezvous.streams.*}: how the room processor (Kafka Streams) runs.
 *
 * @param applicationId  Kafka Streams application id: consumer group and prefix of internal topics
 * @param stateDir       local RocksDB state; may be lost (restored from the changelogs), faster if kept;
 *                       default {@code <java.io.tmpdir>/rendezvous-stream-apps}
 * @param commitInterval how often offsets are committed and store caches flushed
 * @param threads        stream threads of this instance
 * @param sessionTimeout the consumer groups' session timeout (the room processor's and the stores'): how long the
 *                       partitions of an instance that died without leaving (SIGKILL, a lost node) wait for it before
 *                       the group gives them to the others, or to the same instance restarted
 */
@ConfigurationProperties("rendezvous.streams")
public record StreamsProperties(
        @DefaultValue("rendezvous-stream-apps") String applicationId,
        Path stateDir,
        @DefaultValue("PT1S") Duration commitInterval,
        @DefaultValue("1") int threads,
        @DefaultValue("PT10S") Duration sessionTimeout) {

    @ConstructorBinding
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
        if (sessionTimeout == null || sessionTimeout.toMillis() < 6_000 || sessionTimeout.toMillis() > 300_000) {
            throw new IllegalArgumentException("rendezvous.streams.session-timeout must be between 6 s and 5 min"
                    + " (the broker's default group.min/max.session.timeout.ms)");
        }
    }

    /** With the default session timeout. */
    public StreamsProperties(String applicationId, Path stateDir, Duration commitInterval, int threads) {
        this(applicationId, stateDir, commitInterval, threads, Duration.ofSeconds(10));
    }

    /** {@code heartbeat.interval.ms} that goes with the session timeout: a third of it, at least 1 s. */
    public Duration heartbeatInterval() {
        return Duration.ofMillis(Math.max(1_000, sessionTimeout.toMillis() / 3));
    }
}
