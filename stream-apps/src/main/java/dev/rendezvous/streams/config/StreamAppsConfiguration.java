package dev.rendezvous.streams.config;

import dev.rendezvous.resilience.Dependency;
import dev.rendezvous.resilience.Guards;
import dev.rendezvous.streams.chatstore.ChatMessageStore;
import dev.rendezvous.streams.chatstore.ChatStorePipeline;
import dev.rendezvous.streams.chatstore.R2dbcChatHistory;
import dev.rendezvous.streams.chatstore.R2dbcChatMessageStore;
import dev.rendezvous.streams.persist.ReactorKafkaBatchSource;
import dev.rendezvous.streams.room.RoomMetrics;
import dev.rendezvous.topics.KafkaConnectionProperties;
import dev.rendezvous.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/** The composition root: every object of stream-apps that is not Spring's own is made here. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({KafkaConnectionProperties.class, StreamsProperties.class, ChatProperties.class,
        ChatStoreProperties.class, ClickHouseProperties.class, PlacementProperties.class,
        RoomPresenceProperties.class, RoomLimitsProperties.class})
public class StreamAppsConfiguration {

    /** How often the chat store commits acknowledged offsets; a crash redelivers at most this much (harmlessly). */
    private static final Duration CHAT_STORE_COMMIT_INTERVAL = Duration.ofSeconds(1);
    /** With {@link ChatStoreProperties#maxWait()}: the broker answers the chat store's fetch once it has this much. */
    private static final int CHAT_STORE_FETCH_MIN_BYTES = 64 * 1024;

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    RoomMetrics roomMetrics(MeterRegistry registry) {
        return new MicrometerRoomMetrics(registry);
    }

    @Bean
    KafkaStreamsRuntime kafkaStreamsRuntime(KafkaConnectionProperties kafka, StreamsProperties streams,
                                            ChatProperties chat, PlacementProperties placement,
                                            RoomPresenceProperties presence, RoomLimitsProperties limits,
                                            ConnectionFactory connectionFactory, RoomMetrics metrics,
                                            Guards guards, MeterRegistry registry) {
        return new KafkaStreamsRuntime(kafka, streams,
                chat.topologyConfig(metrics).withPlacement(placement.policy()).withFailover(placement.failover())
                        .withMaxSocketsPerRoom(limits.maxSocketsPerRoom())
                        .withControlRetention(limits.controlRetention())
                        .withChatHistory(new R2dbcChatHistory(DatabaseClient.create(connectionFactory),
                                limits.historyTimeout(), guards.of(Dependency.POSTGRESQL))),
                presence.settings(), registry);
    }

    /**
     * Kafka Streams' metrics per state store (RocksDB internals, ~50 series per store and task) and per processor
     * node stay out of the registry: with 7 stores on 6 partitions they were ~4,000 of the app's ~7,000 series, their
     * values mostly NaN at the default recording level, and encoding them for each 5-s scrape took ~8 % of the app's
     * CPU under chat load. Thread, task, topic and client metrics (lag, rates) stay.
     */
    @Bean
    io.micrometer.core.instrument.config.MeterFilter kafkaStreamsDetailFilter() {
        return io.micrometer.core.instrument.config.MeterFilter.deny(id -> isStreamsDetail(id.getName()));
    }

    static boolean isStreamsDetail(String meterName) {
        return meterName.startsWith("kafka.stream.state.") || meterName.startsWith("kafka.stream.processor.node.");
    }

    @Bean
    KafkaStreamsHealthIndicator kafkaStreamsHealthIndicator(KafkaStreamsRuntime runtime) {
        return new KafkaStreamsHealthIndicator(runtime);
    }

    @Bean
    ChatMessageStore chatMessageStore(ConnectionFactory connectionFactory) {
        return new R2dbcChatMessageStore(DatabaseClient.create(connectionFactory));
    }

    @Bean
    ChatStorePipeline chatStorePipeline(KafkaConnectionProperties kafka, ChatStoreProperties props,
                                        StreamsProperties streams, ChatMessageStore store, Guards guards,
                                        Clock clock, MeterRegistry registry) {
        var undecodable = registry.counter("rendezvous.chat.store.undecodable");
        var source = new ReactorKafkaBatchSource<>(kafka.connection(), props.groupId(), Topics.CHAT_ACCEPTED,
                Math.min(props.maxBatch(), R2dbcChatMessageStore.MAX_ROWS), CHAT_STORE_COMMIT_INTERVAL,
                streams.sessionTimeout(), undecodable::increment,
                java.util.Map.of(org.apache.kafka.clients.consumer.ConsumerConfig.FETCH_MIN_BYTES_CONFIG, CHAT_STORE_FETCH_MIN_BYTES,
                        org.apache.kafka.clients.consumer.ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) props.maxWait().toMillis()))
                .withConsumerMetrics(registry);
        return new ChatStorePipeline(source, store, guards.of(Dependency.POSTGRESQL), props.minBackoff(),
                props.maxBackoff(), clock, registry);
    }

    @Bean
    StorePipelineRunner chatStoreRunner(ChatStorePipeline pipeline) {
        return new StorePipelineRunner(pipeline, "accepted messages are no longer persisted");
    }

    @Bean
    StorePipelineHealthIndicator chatStoreHealthIndicator(ChatStorePipeline pipeline) {
        return new StorePipelineHealthIndicator(pipeline);
    }
}
