package dev.rendezvous.gateway.config;

import dev.rendezvous.gateway.auth.IdentityCheck;
import dev.rendezvous.gateway.auth.LiveIdentityCheck;
import dev.rendezvous.gateway.auth.TokenService;
import dev.rendezvous.gateway.shared.AerospikeSharedState;
import dev.rendezvous.gateway.shared.InProcessSharedState;
import dev.rendezvous.gateway.shared.PresenceKeeper;
import dev.rendezvous.gateway.shared.RateCounters;
import dev.rendezvous.gateway.shared.SharedState;
import dev.rendezvous.gateway.shared.SharedStateSettings;
import dev.rendezvous.gateway.store.Users;
import dev.rendezvous.gateway.web.Bearer;
import dev.rendezvous.gateway.web.ForwardedForFilter;
import dev.rendezvous.gateway.web.LogoutController;
import dev.rendezvous.gateway.web.MissBudget;
import dev.rendezvous.gateway.web.RequestLimits;
import dev.rendezvous.gateway.web.SocketsOnGateway;
import dev.rendezvous.gateway.web.SocketsPerAddress;
import dev.rendezvous.gateway.web.TokenGate;
import dev.rendezvous.gateway.ws.GatewayIdentity;
import dev.rendezvous.gateway.ws.SocketWatch;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The gateways' shared fast state ({@code rendezvous.aerospike.*}: Aerospike, or in-process when no hosts are set)
 * (one bean; its parts are handed out from it, since an implementation is all three stores at once) and what uses it: per-address request limits, revocations (logout) checked at the socket and the API,
 * socket presence. The failed-login and code-miss budgets are made in {@link GatewayConfiguration} on the same
 * counters.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({SharedStateSettings.class, LimitSettings.class})
public class SharedStateConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SharedStateConfiguration.class);

    @Bean(destroyMethod = "close")
    SharedState sharedState(SharedStateSettings settings, Clock clock, dev.rendezvous.resilience.Guards guards) {
        SharedState s = settings.inProcess() ? new InProcessSharedState(clock)
                : new AerospikeSharedState(settings.hosts().strip(), settings.namespace(), settings.setPrefix(),
                        settings.timeout(), clock, guards.of(dev.rendezvous.resilience.Dependency.AEROSPIKE));
        log.info("shared state (rate limits, revocations, socket presence): {}", s.describe());
        return s;
    }

    @Bean
    IdentityCheck identityCheck(SharedState s, Users users) {
        return new LiveIdentityCheck(s.revocations(), users);
    }

    @Bean
    SocketsPerAddress socketsPerAddress(LimitSettings limits) {
        return new SocketsPerAddress(limits.socketsPerAddress());
    }

    @Bean
    SocketsOnGateway socketsOnGateway(LimitSettings limits) {
        return new SocketsOnGateway(limits.socketsPerGateway());
    }

    @Bean(destroyMethod = "close")
    PresenceKeeper presenceKeeper(SharedState s, GatewayIdentity identity, SharedStateSettings settings) {
        return new PresenceKeeper(s.presence(), identity.id(), settings.presenceTtl());
    }

    /** What the WebSocket handler tells about each socket it opens and closes (primary: its parts are watches too). */
    @Bean
    @org.springframework.context.annotation.Primary
    SocketWatch socketWatch(SocketsOnGateway all, SocketsPerAddress perAddress, PresenceKeeper presence) {
        return SocketWatch.both(all, SocketWatch.both(perAddress, presence));
    }

    @Bean
    TokenGate tokenGate(TokenService tokens, IdentityCheck identities, SocketsOnGateway all, SocketsPerAddress perAddress,
                        dev.rendezvous.gateway.ws.GatewayMetrics metrics) {
        return new TokenGate(tokens, identities, all, perAddress, metrics);
    }

    @Bean
    RequestLimits requestLimits(SharedState s, LimitSettings limits, Clock clock) {
        RateCounters counters = s.counters();
        return new RequestLimits(
                new MissBudget(counters, "register", LimitSettings.perMinute(limits.registrations(), limits.registrationWindow()),
                        limits.registrations(), clock, "too many registrations from this address; try again later"),
                new MissBudget(counters, "guest", LimitSettings.perMinute(limits.guestTokens(), limits.guestTokenWindow()),
                        limits.guestTokens(), clock, "too many guest tokens for this address; try again later"),
                new MissBudget(counters, "code", LimitSettings.perMinute(limits.codeLookups(), limits.codeLookupWindow()),
                        limits.codeLookups(), clock, "too many meeting-code lookups from this address; try again later"));
    }

    @Bean
    @ConditionalOnProperty(name = "rendezvous.limits.trust-forwarded-for", havingValue = "true")
    ForwardedForFilter forwardedForFilter(LimitSettings limits) {
        return new ForwardedForFilter(dev.rendezvous.gateway.web.TrustedProxies.parse(limits.trustedProxies()));
    }

    @Bean
    LogoutController logoutController(Bearer bearer, dev.rendezvous.gateway.auth.TokenService tokens, SharedState s,
                                      dev.rendezvous.gateway.ws.IdentityRecheck recheck) {
        return new LogoutController(bearer, tokens, s.revocations(), recheck::loggedOut);
    }
}
