package dev.rendezvous.forwarder.config;

import dev.rendezvous.forwarder.command.CommandIntake;
import dev.rendezvous.forwarder.command.ForwarderCommandHandler;
import dev.rendezvous.forwarder.command.LoggingCommandHandler;
import dev.rendezvous.forwarder.kafka.ForwarderKafka;
import dev.rendezvous.forwarder.media.ForwarderStats;
import dev.rendezvous.forwarder.metrics.CpuLoad;
import dev.rendezvous.forwarder.metrics.MetricsPublisher;
import dev.rendezvous.forwarder.metrics.MetricsSnapshotBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The composition root. Replacing a part means replacing its bean: the SFU issue provides the real
 * {@link ForwarderStats} and {@link ForwarderCommandHandler} (a {@code @Primary} handler bean wins over the
 * logging one).
 *
 * <p>Health contributors (both also in the readiness group, see {@code application.yml}):
 * {@code metricsPublisher} — DOWN when publishing has failed for longer than
 * {@code rendezvous.forwarder.metrics-failure-threshold}; {@code commandIntake} — UP once the command
 * partition is assigned.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ForwarderProperties.class, KafkaConnectionProperties.class})
public class ForwarderConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** No packet path yet: no rooms, no packets. The SFU issue replaces this bean. */
    @Bean
    ForwarderStats forwarderStats() {
        return ForwarderStats.idle();
    }

    @Bean
    CpuLoad cpuLoad() {
        return CpuLoad.ofThisProcess();
    }

    @Bean(destroyMethod = "close")
    ForwarderKafka forwarderKafka(KafkaConnectionProperties kafka, ForwarderProperties forwarder) {
        return new ForwarderKafka(kafka.bootstrapServers(), "media-forwarder-" + forwarder.id());
    }

    @Bean
    MetricsSnapshotBuilder metricsSnapshotBuilder(ForwarderProperties p, ForwarderStats stats, CpuLoad cpu, Clock clock) {
        return new MetricsSnapshotBuilder(p.id(), p.region(), p.capacity(), stats, cpu, clock);
    }

    @Bean(destroyMethod = "close")
    MetricsPublisher metricsPublisher(MetricsSnapshotBuilder builder, ForwarderKafka kafka, ForwarderProperties p,
                                      Clock clock, MeterRegistry registry) {
        return new MetricsPublisher(builder, kafka::publishMetrics, p.metricsInterval(), p.metricsFailureThreshold(),
                clock, registry);
    }

    /** Until the SFU issue: log and count. */
    @Bean
    ForwarderCommandHandler loggingCommandHandler(MeterRegistry registry) {
        return new LoggingCommandHandler(registry);
    }

    @Bean
    CommandIntake commandIntake(ForwarderProperties p, ForwarderCommandHandler handler, MeterRegistry registry) {
        return new CommandIntake(p.id(), handler, registry);
    }

    @Bean
    ForwarderRuntime forwarderRuntime(KafkaConnectionProperties kafkaProperties, ForwarderKafka kafka,
                                      MetricsPublisher publisher, CommandIntake intake) {
        return new ForwarderRuntime(kafkaProperties, kafka, publisher, intake);
    }

    @Bean
    HealthIndicator metricsPublisherHealthIndicator(MetricsPublisher publisher) {
        return () -> {
            MetricsPublisher.Status s = publisher.status();
            Health.Builder b = s.healthy() ? Health.up() : Health.down();
            b.withDetail("published", s.published()).withDetail("failed", s.failed());
            if (s.lastPublished() != null) {
                b.withDetail("lastPublished", s.lastPublished().toString());
            }
            if (s.lastError() != null) {
                b.withDetail("lastError", s.lastError());
            }
            return b.build();
        };
    }

    @Bean
    HealthIndicator commandIntakeHealthIndicator(CommandIntake intake) {
        return () -> {
            CommandIntake.Status s = intake.status();
            Health.Builder b = s.ready() ? Health.up() : Health.down();
            b.withDetail("partition", s.partition())
                    .withDetail("accepted", s.accepted())
                    .withDetail("ignored", s.ignored())
                    .withDetail("failed", s.failed());
            if (s.lastError() != null) {
                b.withDetail("lastError", s.lastError());
            }
            return b.build();
        };
    }
}
