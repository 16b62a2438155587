package dev.rendezvous.gateway.config;

import dev.rendezvous.gateway.auth.IdentityCheck;
import dev.rendezvous.gateway.kafka.EventBus;
import dev.rendezvous.gateway.presence.HeartbeatPublisher;
import dev.rendezvous.gateway.presence.SocketKeepAlive;
import dev.rendezvous.gateway.ws.FrameHandler;
import dev.rendezvous.gateway.ws.GatewayIdentity;
import dev.rendezvous.gateway.ws.IdentityRecheck;
import dev.rendezvous.gateway.ws.SocketRegistry;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The presence beans of the composition root (imported by {@link GatewayConfiguration}): the gateway's heartbeats,
 * the sockets' keep-alive, and the periodic re-check of the identities the sockets joined with. The LEAVE retries are
 * the frame handler's ({@link PresenceSettings#leaves()}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PresenceSettings.class)
public class PresenceConfiguration {

    @Bean
    HeartbeatPublisher heartbeatPublisher(EventBus bus, GatewayIdentity identity, Clock clock, PresenceSettings presence,
                                          SocketKeepAlive keepAlive) {
        return new HeartbeatPublisher(bus, identity.id(), clock, presence.heartbeatInterval(), presence.assumeLostAfter(),
                keepAlive::restartAll);
    }

    @Bean
    IdentityRecheck identityRecheck(SocketRegistry sockets, IdentityCheck identities, FrameHandler frames,
                                    dev.rendezvous.gateway.auth.TokenService tokens,
                                    dev.rendezvous.gateway.ws.GatewayMetrics metrics, PresenceSettings presence) {
        return new IdentityRecheck(sockets, identities, frames, tokens, metrics, presence.identityRecheck());
    }

    @Bean
    SocketKeepAlive socketKeepAlive(SocketRegistry sockets, Clock clock, PresenceSettings presence) {
        return new SocketKeepAlive(sockets, clock, presence.pingInterval(), presence.idleTimeout());
    }
}
