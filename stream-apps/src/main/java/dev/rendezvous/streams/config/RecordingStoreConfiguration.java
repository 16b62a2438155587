package dev.rendezvous.streams.config;

import dev.rendezvous.resilience.Dependency;
import dev.rendezvous.resilience.Guards;
import dev.rendezvous.streams.persist.ReactorKafkaBatchSource;
import dev.rendezvous.streams.persist.StorePipeline;
import dev.rendezvous.streams.recordingstore.RecordingControlStore;
import dev.rendezvous.streams.recordingstore.RecordingFileStore;
import dev.rendezvous.topics.KafkaConnectionProperties;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.RecordingControl;
import dev.rendezvous.topics.model.RecordingFile;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The recordings' metadata in PostgreSQL: {@code recording.control.requested} → {@code recordings} and
 * {@code recording.file.stored} → {@code recording_files}, each a {@link StorePipeline} in the consumer group
 * {@code <rendezvous.chat-store.group-id>-recordings} (the chat store's batch and backoff settings).
 */
@Configuration(proxyBeanMethods = false)
public class RecordingStoreConfiguration {

    private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);
    private static final int MAX_BATCH = 200;

    @Bean
    StorePipeline<RecordingControl> recordingControlsPipeline(KafkaConnectionProperties kafka, ChatStoreProperties props,
                                                              StreamsProperties streams, ConnectionFactory connections,
                                                              Guards guards, Clock clock, MeterRegistry registry) {
        var source = new ReactorKafkaBatchSource<>(kafka.connection(), props.groupId() + "-recordings",
                Topics.RECORDING_CONTROL, MAX_BATCH, COMMIT_INTERVAL, streams.sessionTimeout(),
                registry.counter("rendezvous.recording.store.undecodable")::increment).withConsumerMetrics(registry);
        return new StorePipeline<>(source, new RecordingControlStore(DatabaseClient.create(connections)),
                guards.of(Dependency.POSTGRESQL), "recordings",
                "recording control(s)", "rendezvous.recording.store.controls", props.minBackoff(), props.maxBackoff(),
                clock, registry);
    }

    @Bean
    StorePipeline<RecordingFile> recordingFilesPipeline(KafkaConnectionProperties kafka, ChatStoreProperties props,
                                                        StreamsProperties streams, ConnectionFactory connections,
                                                        Guards guards, Clock clock, MeterRegistry registry) {
        var source = new ReactorKafkaBatchSource<>(kafka.connection(), props.groupId() + "-recordings",
                Topics.RECORDING_FILES, MAX_BATCH, COMMIT_INTERVAL, streams.sessionTimeout(),
                registry.counter("rendezvous.recording.store.undecodable")::increment).withConsumerMetrics(registry);
        return new StorePipeline<>(source, new RecordingFileStore(DatabaseClient.create(connections)),
                guards.of(Dependency.POSTGRESQL), "recording_files",
                "recording file(s)", "rendezvous.recording.store.files", props.minBackoff(), props.maxBackoff(),
                clock, registry);
    }

    @Bean
    StorePipelineRunner recordingControlsRunner(@Qualifier("recordingControlsPipeline") StorePipeline<RecordingControl> p) {
        return new StorePipelineRunner(p, "recording starts and stops are no longer stored");
    }

    @Bean
    StorePipelineRunner recordingFilesRunner(@Qualifier("recordingFilesPipeline") StorePipeline<RecordingFile> p) {
        return new StorePipelineRunner(p, "stored recording files are no longer listed");
    }

    @Bean
    StorePipelineHealthIndicator recordingControlsStoreHealthIndicator(
            @Qualifier("recordingControlsPipeline") StorePipeline<RecordingControl> p) {
        return new StorePipelineHealthIndicator(p);
    }

    @Bean
    StorePipelineHealthIndicator recordingFilesStoreHealthIndicator(
            @Qualifier("recordingFilesPipeline") StorePipeline<RecordingFile> p) {
        return new StorePipelineHealthIndicator(p);
    }
}
