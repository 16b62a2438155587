package dev.rendezvous.streams.config;

import dev.rendezvous.resilience.Dependency;
import dev.rendezvous.resilience.Guards;
import dev.rendezvous.resilience.ResilienceSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumSet;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The guards ({@code rendezvous.resilience.*}) of stream-apps' dependencies: PostgreSQL (the chat and recording
 * stores, the chat history's last seq) and, when analytics are on, ClickHouse (the analytics sink). Their breakers,
 * bulkheads, retries and time limiters are in the metrics ({@code resilience4j_*{name="postgresql"|"clickhouse"}}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ResilienceSettings.class)
public class ResilienceConfiguration {

    @Bean
    Guards guards(ResilienceSettings settings, ClickHouseProperties clickHouse, MeterRegistry meters) {
        EnumSet<Dependency> used = EnumSet.of(Dependency.POSTGRESQL);
        if (clickHouse.url() != null && !clickHouse.url().isBlank()) {
            used.add(Dependency.CLICKHOUSE);
        }
        return new Guards(settings, meters, used);
    }
}
