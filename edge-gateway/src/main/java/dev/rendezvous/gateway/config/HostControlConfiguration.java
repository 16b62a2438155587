package dev.rendezvous.gateway.config;

import dev.rendezvous.gateway.kafka.EventBus;
import dev.rendezvous.gateway.kafka.MeetingEndedConsumer;
import dev.rendezvous.gateway.store.MeetingEnds;
import dev.rendezvous.gateway.store.Meetings;
import dev.rendezvous.gateway.store.Schema;
import dev.rendezvous.gateway.web.Bearer;
import dev.rendezvous.gateway.web.HostActionController;
import dev.rendezvous.gateway.web.HostRequests;
import dev.rendezvous.gateway.web.MeetingSettingsController;
import dev.rendezvous.gateway.web.PublicUrls;
import dev.rendezvous.gateway.web.HostReplies;
import dev.rendezvous.gateway.ws.GatewayIdentity;
import dev.rendezvous.topics.KafkaConnectionProperties;
import java.time.Clock;
import java.util.UUID;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The host-control beans of the composition root (imported by {@link GatewayConfiguration}): the REST controller,
 * its pending replies (also a delivery target directory, see {@code deliveryRouter}), and the consumer that stores
 * {@code meetings.ended_at} from {@code room.meeting.ended}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HostControlSettings.class)
public class HostControlConfiguration {

    @Bean
    HostReplies hostReplies() {
        return new HostReplies();
    }

    @Bean
    HostRequests hostRequests(Meetings meetings, EventBus bus, HostReplies replies, GatewayIdentity identity,
                              Clock clock, HostControlSettings settings) {
        return new HostRequests(meetings, bus, replies, identity, clock, settings.replyTimeout());
    }

    @Bean
    HostActionController hostActionController(HostRequests requests, Bearer bearer) {
        return new HostActionController(requests, bearer);
    }

    @Bean
    MeetingSettingsController meetingSettingsController(Meetings meetings, HostRequests requests, Bearer bearer,
                                                        PublicUrls urls, Clock clock) {
        return new MeetingSettingsController(meetings, requests, bearer, urls, clock);
    }

    @Bean
    MeetingEnds meetingEnds(DatabaseClient db, Schema schema, dev.rendezvous.resilience.Guards guards) {
        return new MeetingEnds(db, guards.of(dev.rendezvous.resilience.Dependency.POSTGRESQL));
    }

    @Bean(destroyMethod = "close")
    MeetingEndedConsumer meetingEndedConsumer(KafkaConnectionProperties kafka, KafkaTopology topology, GatewayIdentity identity,
                                              MeetingEnds ends) {
        MeetingEndedConsumer c = new MeetingEndedConsumer(kafka.connection(), "edge-gateway-" + identity.id());
        c.start(e -> {
            UUID id;
            try {
                id = UUID.fromString(e.meetingId());
            } catch (IllegalArgumentException bad) {
                return reactor.core.publisher.Mono.empty();
            }
            return ends.markEnded(id, e.endedAt());
        });
        return c;
    }
}
