package dev.rendezvous.streams.config;

import dev.rendezvous.analytics.AnalyticsSchema;
import dev.rendezvous.resilience.Dependency;
import dev.rendezvous.resilience.Guards;
import dev.rendezvous.streams.analytics.ClickHouseAnalyticsStore;
import dev.rendezvous.analytics.ClickHouseHttpSql;
import dev.rendezvous.streams.persist.ReactorKafkaBatchSource;
import dev.rendezvous.streams.persist.StorePipeline;
import dev.rendezvous.topics.KafkaConnectionProperties;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.AnalyticsEvent;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The analytics sink, only with {@code rendezvous.clickhouse.url} set: {@code analytics.event.recorded}, the
 * forwarders' {@code media.quality.sampled} and the accepted chat messages ({@code chat.message.accepted}, read as
 * {@code chat_sent} events) → ClickHouse
 * ({@link ClickHouseAnalyticsStore}) as a {@link StorePipeline} in the consumer group
 * {@code rendezvous.clickhouse.group-id}; counters {@code rendezvous.analytics.store.*}, health {@code analyticsStore}.
 * Without a URL none of these beans exist and nothing reaches for ClickHouse.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${rendezvous.clickhouse.url:}'.isBlank()")
public class AnalyticsConfiguration {

    private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);
    /** With fetch.max.wait.ms: the broker answers a fetch once it has this much, or when the wait is over. */
    private static final int FETCH_MIN_BYTES = 1024 * 1024;

    @Bean(destroyMethod = "close")
    ClickHouseHttpSql clickHouseSql(ClickHouseProperties props) {
        return new ClickHouseHttpSql(props.url(), props.database(), props.username(), props.password(), props.timeout(),
                props.compressResponses());
    }

    @Bean
    StorePipeline<AnalyticsEvent> analyticsPipeline(KafkaConnectionProperties kafka, ClickHouseProperties props,
                                                    StreamsProperties streams, ClickHouseHttpSql sql, Guards guards,
                                                    Clock clock, MeterRegistry registry) {
        var source = new ReactorKafkaBatchSource<>(kafka.connection(), props.groupId(),
                java.util.List.of(Topics.ANALYTICS_EVENTS, Topics.MEDIA_QUALITY),
                props.maxBatch(), COMMIT_INTERVAL, streams.sessionTimeout(), registry.counter("rendezvous.analytics.store.undecodable")::increment,
                Map.of(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, FETCH_MIN_BYTES,
                        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) props.maxWait().toMillis()))
                .withTopic(Topics.CHAT_ACCEPTED.name(), new dev.rendezvous.streams.analytics.AcceptedChatDecoder())
                .withConsumerMetrics(registry);
        var store = new ClickHouseAnalyticsStore(sql, new AnalyticsSchema(sql, clock), clock);
        return new StorePipeline<>(source, store, guards.of(Dependency.CLICKHOUSE), "analytics_events", "analytics event(s)", "rendezvous.analytics.store",
                props.minBackoff(), props.maxBackoff(), clock, registry);
    }

    @Bean
    StorePipelineRunner analyticsRunner(@Qualifier("analyticsPipeline") StorePipeline<AnalyticsEvent> p) {
        return new StorePipelineRunner(p, "analytics events are no longer copied to ClickHouse");
    }

    @Bean
    StorePipelineHealthIndicator analyticsStoreHealthIndicator(
            @Qualifier("analyticsPipeline") StorePipeline<AnalyticsEvent> p) {
        return new StorePipelineHealthIndicator(p);
    }
}
