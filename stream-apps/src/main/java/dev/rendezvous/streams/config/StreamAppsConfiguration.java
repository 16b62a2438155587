package dev.rendezvous.streams.config;

import dev.rendezvous.resilience.Dependency;
import dev.rendezvous.resilience.Guards;
import dev.rendezvous.streams.chatstore.ChatMessageStore;
import dev.rendezvous.streams.chatstore.ChatStorePipeline;
import dev.rendezvous.streams.chatstore.R2dbcChatHistorySeq;
import dev.rendezvous.streams.chatstore.R2dbcChatMessageStore;
import dev.rendezvous.streams.persist.ReactorKafkaBatchSource;
import dev.rendezvous.streams.room.RoomMetrics;
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
                        .withChatHistory(new R2dbcChatHistorySeq(DatabaseClient.create(connectionFactory),
                                limits.historyTimeout(), guards.of(Dependency.POSTGRESQL))),
                presence.settings(), registry);
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
                streams.sessionTimeout(), undecodable::increment).withConsumerMetrics(registry);
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
