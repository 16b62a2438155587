package dev.rendezvous.recorder.config;

import dev.rendezvous.recorder.chunk.ChunkSink;
import dev.rendezvous.recorder.chunk.CountingChunkSink;
import dev.rendezvous.recorder.assembly.FileStore;
import dev.rendezvous.recorder.assembly.LocalFileStore;
import dev.rendezvous.recorder.assembly.RecordingAssembler;
import dev.rendezvous.recorder.assembly.S3FileStore;
import dev.rendezvous.recorder.kafka.RecorderKafka;
import dev.rendezvous.topics.model.RecordingFile;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.context.annotation.Primary;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
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
 * The composition root: chunks are counted per recording and assembled into files, in S3 when
 * {@link S3Properties} name one, else in a local directory.
 *
 * <p>Health contributor {@code chunkConsumer} (also in the readiness group, see {@code application.yml}): UP
 * once the consumer has partitions assigned.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({KafkaConnectionProperties.class, S3Properties.class, RecorderProperties.class,
        CompositeProperties.class})
public class RecorderConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RecorderConfiguration.class);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    RecorderKafka recorderKafka(KafkaConnectionProperties kafka) {
        return new RecorderKafka(kafka.connection(), "recorder-" + instanceName());
    }

    /** S3 when configured (multipart uploads while recording), else a local directory (a bare run). */
    @Bean
    FileStore fileStore(S3Properties s3, RecorderProperties p) {
        if (!s3.configured()) {
            log.info("no S3 configured: recordings go to {}", Path.of(p.localDir()).toAbsolutePath());
            return new LocalFileStore(Path.of(p.localDir()));
        }
        log.info("recordings go to S3: {}", s3);
        S3ClientBuilder b = S3Client.builder().region(Region.of(s3.region())).forcePathStyle(true);
        if (s3.endpoint() != null && !s3.endpoint().isBlank()) {
            b.endpointOverride(URI.create(s3.endpoint()));
        }
        if (s3.accessKey() != null && !s3.accessKey().isBlank()) {
            b.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())));
        }
        return new S3FileStore(b.build(), s3.bucket());
    }

    /**
     * Chunks to files; each stored file is announced on recording.file.stored; a finished recording goes to
     * {@code recordingFinished} (the composite).
     */
    @Bean
    RecordingAssembler recordingAssembler(FileStore store, RecorderKafka kafka, Clock clock, RecorderProperties p,
                                          RecordingFinished recordingFinished) {
        String bucket = store instanceof S3FileStore s ? s.bucket() : "";
        return new RecordingAssembler(store, stored -> {
            RecordingFile f = new RecordingFile(stored.recordingId(), stored.meetingId(), "participant",
                    stored.participantId(), stored.source(), bucket, stored.file().key(), stored.file().sizeBytes(),
                    stored.file().durationMs(), clock.instant());
            try {
                kafka.publishFile(f).block(Duration.ofSeconds(70));
            } catch (RuntimeException e) {
                log.warn("recording {}: {} stored but not announced: {}", f.recordingId(), f.objectKey(), e.toString());
            }
        }, recordingFinished, p.finishIdle(), clock);
    }

    /** What the chunk consumer feeds: the per-recording counters, then the assembler (off the consumer thread). */
    @Bean
    @Primary
    ChunkSink chunkSink(CountingChunkSink counting, RecordingAssembler assembler) {
        return chunk -> counting.accept(chunk)
                .then(Mono.defer(() -> assembler.accept(chunk)).subscribeOn(Schedulers.boundedElastic()));
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
