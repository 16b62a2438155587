package dev.rendezvous.gateway.config;

import dev.rendezvous.analytics.ClickHouseHttpSql;
import dev.rendezvous.gateway.store.Meetings;
import dev.rendezvous.gateway.web.AnalyticsController;
import dev.rendezvous.gateway.web.AnalyticsReader;
import dev.rendezvous.gateway.web.Bearer;
import dev.rendezvous.gateway.web.HostRequests;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A meeting's analytics for its host, read from ClickHouse when {@code rendezvous.clickhouse.url} is set. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AnalyticsSettings.class)
public class AnalyticsReadConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AnalyticsReadConfiguration.class);

    @Bean(destroyMethod = "close")
    AnalyticsReader analyticsReader(AnalyticsSettings s) {
        if (!s.enabled()) {
            log.info("no ClickHouse configured: meeting analytics are off");
            return AnalyticsReader.off();
        }
        log.info("meeting analytics from {}", s);
        return AnalyticsReader.of(new ClickHouseHttpSql(s.url(), s.database(), s.username(), s.password(), s.timeout(),
                s.compressResponses()), s.timeout());
    }

    @Bean
    dev.rendezvous.gateway.web.HostRights hostRights(Meetings meetings, HostRequests hostRequests) {
        return new dev.rendezvous.gateway.web.HostRights(meetings, hostRequests);
    }

    @Bean
    AnalyticsController analyticsController(Meetings meetings, dev.rendezvous.gateway.web.HostRights access,
                                            AnalyticsReader reader, Bearer bearer, Clock clock,
                                            dev.rendezvous.resilience.Guards guards) {
        return new AnalyticsController(meetings, access, reader, bearer, clock,
                guards.of(dev.rendezvous.resilience.Dependency.CLICKHOUSE));
    }
}
