package dev.rendezvous.streams.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.analytics.ClickHouseHttpSql;
import dev.rendezvous.topics.KafkaConnectionProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The analytics sink exists only with a ClickHouse URL; without one nothing of it is made (and nothing fails). */
class AnalyticsConfigurationTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({KafkaConnectionProperties.class, ClickHouseProperties.class, StreamsProperties.class})
    static class Basics {
        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Basics.class, ResilienceConfiguration.class, AnalyticsConfiguration.class)
            // nothing listens there: the sink would only retry in the background
            .withPropertyValues("rendezvous.kafka.bootstrap-servers=127.0.0.1:1");

    @Test
    void shouldMakeNoSinkWithoutAUrlOrWithAnEmptyOne() {
        runner.run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx).doesNotHaveBean(ClickHouseHttpSql.class).doesNotHaveBean(StorePipelineRunner.class);
            // nor a ClickHouse breaker in the metrics
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ctx.getBean(dev.rendezvous.resilience.Guards.class)
                    .of(dev.rendezvous.resilience.Dependency.CLICKHOUSE)).isInstanceOf(IllegalStateException.class);
        });
        runner.withPropertyValues("rendezvous.clickhouse.url=").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx).doesNotHaveBean(ClickHouseHttpSql.class).doesNotHaveBean(StorePipelineHealthIndicator.class);
        });
    }

    @Test
    void shouldMakeTheSinkWithAUrl() {
        runner.withPropertyValues("rendezvous.clickhouse.url=http://127.0.0.1:1").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx).hasSingleBean(ClickHouseHttpSql.class).hasSingleBean(StorePipelineRunner.class)
                    .hasBean("analyticsStoreHealthIndicator");
            assertThat(ctx.getBean(dev.rendezvous.resilience.Guards.class).of(dev.rendezvous.resilience.Dependency.CLICKHOUSE)
                    .state()).hasToString("CLOSED");
        });
    }

    @Test
    void shouldRefuseAUrlThatIsNotHttp() {
        runner.withPropertyValues("rendezvous.clickhouse.url=clickhouse:9000").run(ctx ->
                assertThat(ctx).hasFailed().getFailure().hasStackTraceContaining("must be an http(s) URL"));
    }
}
