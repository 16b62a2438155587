package dev.rendezvous.recorder.config;

import dev.rendezvous.recorder.chunk.ChunkSink;
import dev.rendezvous.recorder.chunk.CountingChunkSink;
import dev.rendezvous.recorder.kafka.RecorderKafka;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The composition root. The recording issue replaces the {@link ChunkSink} bean (and starts using
 * {@link S3Properties}).
 *
 * <p>Health contributor {@code chunkConsumer} (also in the readiness group, see {@code application.yml}): UP
 * once the consumer has partitions assigned.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({KafkaConnectionProperties.class, S3Properties.class, RecorderProperties.class})
public class RecorderConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RecorderConfiguration.class);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    RecorderKafka recorderKafka(KafkaConnectionProperties kafka, S3Properties s3) {
        log.info("S3 settings accepted, not used until recordings are assembled: {}", s3);
        return new RecorderKafka(kafka.bootstrapServers(), "recorder-" + instanceName());
    }

    /** For Kafka client ids (broker logs, quotas): $HOSTNAME (the pod name on Kubernetes), else the pid. */
    private static String instanceName() {
        String host = System.getenv("HOSTNAME");
        return host != null && !host.isBlank() ? host.trim() : Long.toString(ProcessHandle.current().pid());
    }

    /** Until the recording issue: count chunks and bytes per recording. */
    @Bean
    CountingChunkSink countingChunkSink(MeterRegistry registry, Clock clock, RecorderProperties p) {
        return new CountingChunkSink(registry, clock, p.meterIdleExpiry());
    }

    @Bean
    ChunkConsumerState chunkConsumerState() {
        return new ChunkConsumerState();
    }

    @Bean
    RecorderRuntime recorderRuntime(KafkaConnectionProperties kafkaProperties, RecorderProperties recorderProperties,
                                    RecorderKafka kafka, ChunkSink sink, ChunkConsumerState state) {
        return new RecorderRuntime(kafkaProperties, recorderProperties, kafka, sink, state);
    }

    @Bean
    HealthIndicator chunkConsumerHealthIndicator(ChunkConsumerState state) {
        return () -> {
            Health.Builder b = state.up() ? Health.up() : Health.down();
            b.withDetail("partitions", state.partitions()).withDetail("chunks", state.chunks());
            if (state.lastError() != null) {
                b.withDetail("lastError", state.lastError());
            }
            return b.build();
        };
    }
}
