package dev.rendezvous.gateway.config;

import dev.rendezvous.resilience.Guards;
import dev.rendezvous.resilience.ResilienceSettings;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The guards of the gateway's dependencies ({@code rendezvous.resilience.*}), handed to the stores that call them;
 * imported by {@link GatewayConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ResilienceSettings.class)
public class ResilienceConfiguration {

    @Bean
    Guards guards(ResilienceSettings settings, MeterRegistry meters) {
        return new Guards(settings, meters);
    }
}
