package dev.rendezvous.recorder.config;

import dev.rendezvous.recorder.chunk.ChunkSink;
import dev.rendezvous.resilience.Dependency;
import dev.rendezvous.resilience.Guard;
import dev.rendezvous.resilience.Guards;
import dev.rendezvous.resilience.ResilienceSettings;
import dev.rendezvous.topics.KafkaConnectionProperties;
import java.util.EnumSet;
import dev.rendezvous.recorder.chunk.CountingChunkSink;
import dev.rendezvous.recorder.assembly.FileStore;
import dev.rendezvous.recorder.assembly.LocalFileStore;
import dev.rendezvous.recorder.assembly.RecordingAssembler;
import dev.rendezvous.recorder.assembly.S3FileStore;
import dev.rendezvous.recorder.chunk.Chunk;
import dev.rendezvous.recorder.kafka.PartitionHolds;
import dev.rendezvous.recorder.kafka.RecorderKafka;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.function.Consumer;
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
        CompositeProperties.class, ResilienceSettings.class})
public class RecorderConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RecorderConfiguration.class);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    RecorderKafka recorderKafka(KafkaConnectionProperties kafka, MeterRegistry registry) {
        return new RecorderKafka(kafka.connection(), "recorder-" + instanceName()).withConsumerMetrics(registry);
    }

    /**
     * The S3 guard ({@code rendezvous.resilience.s3.*}) when S3 is configured: its breaker, bulkhead, retries and time
     * limiter in the metrics ({@code resilience4j_*{name="s3"}}); none for a local directory.
     */
    @Bean
    Guards guards(ResilienceSettings settings, S3Properties s3, MeterRegistry registry) {
        return new Guards(settings, registry,
                s3.configured() ? EnumSet.of(Dependency.S3) : EnumSet.noneOf(Dependency.class));
    }

    /** S3 when configured (multipart uploads while recording), else a local directory (a bare run). */
    @Bean
    FileStore fileStore(S3Properties s3, RecorderProperties p, Guards guards) {
        if (!s3.configured()) {
            log.info("no S3 configured: recordings go to {}", Path.of(p.localDir()).toAbsolutePath());
            return new LocalFileStore(Path.of(p.localDir()));
        }
        log.info("recordings go to S3: {}", s3);
        Guard guard = guards.of(Dependency.S3);
        // the SDK ends a call itself at the guard's time limit: a hung S3 never holds the chunk consumer longer
        S3ClientBuilder b = S3Client.builder().region(Region.of(s3.region())).forcePathStyle(true)
                .overrideConfiguration(o -> o.apiCallTimeout(guard.timeout()));
        if (s3.endpoint() != null && !s3.endpoint().isBlank()) {
            b.endpointOverride(URI.create(s3.endpoint()));
        }
        if (s3.accessKey() != null && !s3.accessKey().isBlank()) {
            b.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())));
        }
        return new S3FileStore(b.build(), s3.bucket(), guard);
    }

    /** What each chunk partition's committed offset is held back to: the first chunk of its oldest open file. */
    @Bean
    PartitionHolds partitionHolds() {
        return new PartitionHolds();
    }

    /**
     * Chunks to files; each stored file is announced on recording.file.stored (an announcement that fails fails
     * the chunk: the file's hold stays, consumption restarts from it, and the file is announced again); a finished
     * recording goes to {@code recordingFinished} (the composite), and its hold stays until that is stored.
     */
    @Bean
    RecordingAssembler recordingAssembler(FileStore store, PartitionHolds holds, RecorderKafka kafka, Clock clock,
                                          RecorderProperties p, RecordingFinished recordingFinished) {
        String bucket = store instanceof S3FileStore s ? s.bucket() : "";
        return new RecordingAssembler(store, holds, stored -> {
            RecordingFile f = new RecordingFile(stored.recordingId(), stored.meetingId(), "participant",
                    stored.participantId(), stored.source(), bucket, stored.file().key(), stored.file().sizeBytes(),
                    stored.file().durationMs(), clock.instant());
            try {
                kafka.publishFile(f).block(Duration.ofSeconds(70));
            } catch (RuntimeException e) {
                throw new UncheckedIOException(new IOException(f.objectKey() + " stored but not announced: " + e, e));
            }
        }, recordingFinished, p.finishIdle(), clock);
    }

    /** What the chunk consumer feeds: the per-recording counters, then the assembler (off the consumer thread). */
    @Bean
    @Primary
    ChunkSink chunkSink(CountingChunkSink counting, RecordingAssembler assembler, MeterRegistry registry) {
        FunctionCounter.builder("rendezvous.recorder.track.gaps", assembler, RecordingAssembler::gaps)
                .description("gaps in stored files where another forwarder continued a track (restart, failover)")
                .register(registry);
        Gauge.builder("rendezvous.recorder.recordings.open", assembler, RecordingAssembler::openRecordings)
                .description("recordings in progress here: chunks received, not finished yet").register(registry);
        Gauge.builder("rendezvous.recorder.files.open", assembler, RecordingAssembler::openFiles)
                .description("participant files being written").register(registry);
        return new ChunkSink() {
            @Override
            public Mono<Void> accept(Chunk chunk) {
                return counting.accept(chunk)
                        .then(Mono.defer(() -> assembler.accept(chunk)).subscribeOn(Schedulers.boundedElastic()));
            }

            @Override
            public void partitionDropped(int partition) {
                assembler.dropPartition(partition);
            }
        };
    }

    /**
     * {@code rendezvous.recorder.chunk.offsets.held{partition}}: how many processed chunks of each owned partition
     * are not committed yet because an open file needs them — what a restart would read again.
     */
    static Consumer<Set<Integer>> heldOffsetGauges(MeterRegistry registry, PartitionHolds holds) {
        return partitions -> partitions.forEach(p -> Gauge.builder("rendezvous.recorder.chunk.offsets.held", holds,
                        h -> h.heldBack(p))
                .description("processed chunks of the partition not committed yet: an open file still needs them")
                .tag("partition", Integer.toString(p)).register(registry));
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
                                    RecorderKafka kafka, ChunkSink sink, ChunkConsumerState state,
                                    PartitionHolds holds, MeterRegistry registry) {
        return new RecorderRuntime(kafkaProperties, recorderProperties, kafka, sink, state, holds,
                heldOffsetGauges(registry, holds));
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
