package dev.rendezvous.gateway.config;

import dev.rendezvous.gateway.auth.PasswordHasher;
import dev.rendezvous.gateway.auth.TokenService;
import dev.rendezvous.gateway.kafka.EventBus;
import dev.rendezvous.gateway.kafka.KafkaEventBus;
import dev.rendezvous.gateway.store.ChatHistory;
import dev.rendezvous.gateway.store.MeetingCodes;
import dev.rendezvous.gateway.store.Meetings;
import dev.rendezvous.gateway.store.Schema;
import dev.rendezvous.gateway.store.Users;
import dev.rendezvous.gateway.web.ApiErrorHandler;
import dev.rendezvous.gateway.web.AuthController;
import dev.rendezvous.gateway.web.Bearer;
import dev.rendezvous.gateway.web.HostRequests;
import dev.rendezvous.gateway.web.MissBudget;
import dev.rendezvous.gateway.web.KeepAliveWorkaroundFilter;
import dev.rendezvous.gateway.web.SecurityHeadersFilter;
import dev.rendezvous.gateway.web.MeetingController;
import dev.rendezvous.gateway.web.MyMeetingsController;
import dev.rendezvous.gateway.web.PageController;
import dev.rendezvous.gateway.web.PublicUrls;
import dev.rendezvous.gateway.ws.DeliveryPump;
import dev.rendezvous.gateway.ws.DeliveryRouter;
import dev.rendezvous.gateway.ws.FrameHandler;
import dev.rendezvous.gateway.ws.FrameValidator;
import dev.rendezvous.gateway.ws.GatewayIdentity;
import dev.rendezvous.gateway.ws.GatewayMetrics;
import dev.rendezvous.gateway.ws.GatewayWebSocketHandler;
import dev.rendezvous.gateway.ws.ServerFrames;
import dev.rendezvous.gateway.ws.SocketRegistry;
import dev.rendezvous.gateway.ws.SocketShutdown;
import dev.rendezvous.topics.KafkaConnectionProperties;
import dev.rendezvous.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.ConnectionFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * The gateway's composition root: every bean is made here, from the typed settings. Start-up order is explicit in
 * the dependencies: topics provisioned and the schema created before anything serves; the delivery consumer
 * positioned (a lifecycle that starts before the web server) before the first socket can connect.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({KafkaConnectionProperties.class, GatewaySettings.class, AuthSettings.class, TransportSettings.class})
@org.springframework.context.annotation.Import({HostControlConfiguration.class, RecordingConfiguration.class,
        PresenceConfiguration.class, AccessConfiguration.class, SharedStateConfiguration.class,
        ResilienceConfiguration.class, AnalyticsReadConfiguration.class})
public class GatewayConfiguration {

    private static final Logger log = LoggerFactory.getLogger(GatewayConfiguration.class);

    // ---- basics ---------------------------------------------------------------------------------------------

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    GatewayIdentity gatewayIdentity(GatewaySettings gateway, KafkaTopology topology,
                                    @org.springframework.beans.factory.annotation.Value("${rendezvous.gateway.region:local}") String region) {
        if (!dev.rendezvous.topics.model.Regions.valid(region)) {
            throw new IllegalArgumentException("rendezvous.gateway.region must be 1-32 letters, digits, '.', '_' or '-'");
        }
        String id = gateway.id() == null || gateway.id().isBlank() ? hostname() : gateway.id().strip();
        int partition = gateway.deliveryPartition() >= 0
                ? gateway.deliveryPartition()
                : Topics.defaultDeliveryPartition(id, topology.deliveryPartitions());
        if (partition >= topology.deliveryPartitions()) {
            throw new IllegalArgumentException("rendezvous.gateway.delivery-partition " + partition + " does not exist: "
                    + Topics.GATEWAY_DELIVERIES.name() + " has " + topology.deliveryPartitions() + " partitions");
        }
        log.info("gateway {} reads deliveries from {}-{}", id, Topics.GATEWAY_DELIVERIES.name(), partition);
        return new GatewayIdentity(id, partition, region);
    }

    // ---- Kafka ----------------------------------------------------------------------------------------------

    @Bean
    KafkaTopology kafkaTopology(KafkaConnectionProperties kafka) {
        return KafkaTopology.provision(kafka);
    }

    @Bean(destroyMethod = "close")
    KafkaEventBus eventBus(KafkaConnectionProperties kafka, GatewayIdentity identity, MeterRegistry registry) {
        KafkaEventBus bus = new KafkaEventBus(kafka.connection(), "edge-gateway-" + identity.id())
                .withConsumerMetrics(registry);
        bus.warmUp(Set.of(Topics.MEMBER_REQUESTED.name(), Topics.CHAT_REQUESTED.name(), Topics.GATEWAY_HEARTBEATS.name()));
        return bus;
    }

    // ---- PostgreSQL -----------------------------------------------------------------------------------------

    @Bean
    Schema schema(ConnectionFactory connections) {
        Schema schema = new Schema(connections);
        schema.ensure().block(Duration.ofSeconds(60));
        return schema;
    }

    @Bean
    Users users(DatabaseClient db, Schema schema, dev.rendezvous.resilience.Guards guards) {
        return new Users(db, guards.of(dev.rendezvous.resilience.Dependency.POSTGRESQL));
    }

    @Bean
    Meetings meetings(DatabaseClient db, Schema schema, dev.rendezvous.resilience.Guards guards) {
        return new Meetings(db, guards.of(dev.rendezvous.resilience.Dependency.POSTGRESQL));
    }

    @Bean
    ChatHistory chatHistory(DatabaseClient db, dev.rendezvous.resilience.Guards guards) {
        return new ChatHistory(db, guards.of(dev.rendezvous.resilience.Dependency.POSTGRESQL));
    }

    // ---- auth -----------------------------------------------------------------------------------------------

    @Bean
    TokenService tokenService(AuthSettings auth, Clock clock) {
        byte[] secret;
        if (auth.jwtSecret() == null || auth.jwtSecret().isBlank()) {
            secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            log.warn("rendezvous.auth.jwt-secret is not set: using a random key. Tokens will not survive a restart "
                    + "and other gateway instances will refuse them; set a shared base64 secret of >= 32 bytes.");
        } else {
            try {
                secret = Base64.getDecoder().decode(auth.jwtSecret().strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("rendezvous.auth.jwt-secret must be base64", e);
            }
            if (secret.length < 32) {
                throw new IllegalArgumentException("rendezvous.auth.jwt-secret must decode to at least 32 bytes, not "
                        + secret.length);
            }
        }
        return new TokenService(secret, auth.tokenTtl(), auth.sessionMax(), clock, auth.issuer().strip(),
                auth.audience().strip());
    }

    @Bean
    PasswordHasher passwordHasher() {
        return new PasswordHasher(10, Schedulers.boundedElastic());
    }

    @Bean
    Bearer bearer(TokenService tokens) {
        return new Bearer(tokens);
    }

    // ---- HTTP -----------------------------------------------------------------------------------------------

    /**
     * The server's own event loops instead of Reactor Netty's JVM-wide ones: closing this application (SIGTERM, or a
     * test stopping one of several gateways in one JVM) then never disposes loops another component still uses.
     */
    @Bean
    ReactorResourceFactory reactorResourceFactory() {
        ReactorResourceFactory f = new ReactorResourceFactory();
        f.setUseGlobalResources(false);
        return f;
    }

    @Bean
    KeepAliveWorkaroundFilter keepAliveWorkaroundFilter() {
        return new KeepAliveWorkaroundFilter();
    }

    /** CSP and the other security headers on every answer; the WebSocket's Origin check. */
    @Bean
    SecurityHeadersFilter securityHeadersFilter(GatewaySettings gateway) {
        return new SecurityHeadersFilter(gateway.publicUrl());
    }

    @Bean
    ApiErrorHandler apiErrorHandler() {
        return new ApiErrorHandler();
    }

    @Bean
    PublicUrls publicUrls(GatewaySettings gateway) {
        return new PublicUrls(gateway.publicUrl());
    }

    /** Failed logins are budgeted per client address and per account (its email). */
    @Bean
    AuthController authController(Users users, PasswordHasher passwords, TokenService tokens, Bearer bearer, Clock clock,
                                  GatewaySettings gateway, dev.rendezvous.gateway.shared.SharedState shared,
                                  dev.rendezvous.gateway.auth.IdentityCheck identities) {
        return new AuthController(users, passwords, tokens, bearer, identities, clock,
                new MissBudget(shared.counters(), "login-address", gateway.loginFailuresPerMinute(), gateway.loginFailureBurst(), clock,
                        "too many failed logins from this address; try again later"),
                new MissBudget(shared.counters(), "login-account", gateway.accountFailuresPerMinute(), gateway.accountFailureBurst(), clock,
                        "too many failed logins for this account; try again later"));
    }

    @Bean
    MissBudget codeGuessGuard(GatewaySettings gateway, Clock clock, dev.rendezvous.gateway.shared.SharedState shared) {
        return new MissBudget(shared.counters(), "code-miss", gateway.codeMissesPerMinute(), gateway.codeMissBurst(), clock,
                "too many unknown meeting codes from this address; try again later");
    }

    @Bean
    MeetingController meetingController(Meetings meetings, Users users, TokenService tokens,
                                        Bearer bearer, PublicUrls urls, MissBudget guard, HostRequests hostRequests,
                                        Clock clock) {
        return new MeetingController(meetings, users, new MeetingCodes(), tokens, bearer, urls, guard,
                hostRequests, clock);
    }

    @Bean
    MyMeetingsController myMeetingsController(Meetings meetings, Bearer bearer, PublicUrls urls, Clock clock) {
        return new MyMeetingsController(meetings, bearer, urls, clock);
    }

    @Bean
    PageController pageController(Meetings meetings, MissBudget guard, TokenService tokens,
                                  dev.rendezvous.gateway.web.HostRights reportAccess,
                                  dev.rendezvous.gateway.auth.IdentityCheck identities) {
        return new PageController(meetings, guard, tokens, reportAccess, identities);
    }

    @Bean
    dev.rendezvous.gateway.web.PublicHealthController publicHealthController(
            org.springframework.beans.factory.ObjectProvider<org.springframework.boot.health.actuate.endpoint.HealthEndpoint> health,
            org.springframework.beans.factory.ObjectProvider<org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper> codes) {
        return new dev.rendezvous.gateway.web.PublicHealthController(health, codes);
    }

    // ---- WebSocket ------------------------------------------------------------------------------------------

    @Bean
    SocketRegistry socketRegistry() {
        return new SocketRegistry();
    }

    @Bean
    GatewayMetrics gatewayMetrics(MeterRegistry registry, SocketRegistry sockets) {
        return new GatewayMetrics(registry, sockets::size);
    }

    @Bean
    FrameHandler frameHandler(GatewayIdentity identity, GatewaySettings gateway, TokenService tokens, Meetings meetings,
                              EventBus bus, Clock clock, GatewayMetrics metrics, PresenceSettings presence,
                              dev.rendezvous.gateway.auth.IdentityCheck identities) {
        return new FrameHandler(identity, gateway.maxFrameBytes(), gateway.maxSdpFrameBytes(), tokens, meetings, bus, clock,
                metrics, presence.leaves(), identities);
    }

    @Bean
    GatewayWebSocketHandler gatewayWebSocketHandler(GatewayIdentity identity, SocketRegistry sockets, FrameHandler frames,
                                                    GatewayMetrics metrics, GatewaySettings gateway, Clock clock,
                                                    dev.rendezvous.gateway.ws.SocketWatch watch) {
        ServerFrames.Limits limits = new ServerFrames.Limits(gateway.maxFrameBytes(), gateway.maxSdpFrameBytes(),
                FrameValidator.MAX_TEXT_CODE_POINTS,
                FrameValidator.MAX_CLIENT_MSG_ID_CODE_POINTS, gateway.framesPerSecond(), gateway.frameBurst(),
                gateway.outboundBuffer());
        return new GatewayWebSocketHandler(identity, sockets, frames, metrics, limits,
                new ServerFrames.Media(gateway.lastN()), clock, watch);
    }

    @Bean
    dev.rendezvous.gateway.ws.UnfinishedFrames unfinishedFrames(TransportSettings transport, GatewaySettings gateway,
                                                                GatewayMetrics metrics) {
        long oneFrame = dev.rendezvous.gateway.ws.UnfinishedFrames.wireSize(gateway.maxTransportFrameBytes());
        if (transport.unfinishedFramesBudget() < oneFrame) {
            throw new IllegalArgumentException("rendezvous.gateway.transport.unfinished-frames-budget must hold at least"
                    + " one frame of rendezvous.gateway.max-transport-frame-bytes with its header (" + oneFrame + " bytes)");
        }
        return new dev.rendezvous.gateway.ws.UnfinishedFrames(transport.unfinishedFramesBudget(),
                transport.unfinishedFrameTimeout(), reason -> metrics.socketDropped(reason.tag()));
    }

    @Bean
    HandlerMapping webSocketMapping(GatewayWebSocketHandler handler) {
        return new SimpleUrlHandlerMapping(Map.of("/ws", handler), -1);
    }

    /**
     * The transport's handshake timeout: a connection must send a complete request (the WebSocket upgrade included)
     * within it. Reactor Netty's idle timeout, which ends at the upgrade; its read and request timeouts are not used:
     * they keep running on an upgraded socket and would close every WebSocket after that long.
     */
    @Bean
    org.springframework.boot.web.server.WebServerFactoryCustomizer<org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory>
            transportTimeouts(TransportSettings transport) {
        return factory -> factory.addServerCustomizers(server -> server.idleTimeout(transport.handshakeTimeout()));
    }

    /**
     * Netty's frame limit is the largest frame anyone may send (a media-offer or media-answer, max-sdp-frame-bytes):
     * a larger one closes the socket (1009) unread; other frames above max-frame-bytes (64 KiB) get an error frame.
     * Frames still arriving are counted against the gateway's budget ({@link dev.rendezvous.gateway.ws.UnfinishedFrames}).
     */
    @Bean
    WebFluxConfigurer webSocketServiceConfigurer(GatewaySettings gateway, dev.rendezvous.gateway.ws.UnfinishedFrames unfinished) {
        WebSocketService service = unfinished.around(new HandshakeWebSocketService(new ReactorNettyRequestUpgradeStrategy(
                () -> WebsocketServerSpec.builder().maxFramePayloadLength(gateway.maxTransportFrameBytes()))));
        return new WebFluxConfigurer() {
            @Override
            public WebSocketService getWebSocketService() {
                return service;
            }
        };
    }

    @Bean
    DeliveryRouter deliveryRouter(GatewayIdentity identity, SocketRegistry sockets, GatewayMetrics metrics,
                                  dev.rendezvous.gateway.web.HostReplies replies,
                                  dev.rendezvous.gateway.store.AdmissionRecorder admissions) {
        // deliveries name sockets, or REST calls waiting for a host action's decision (rest:<requestId>); the
        // joined and removed ones are also recorded as admissions (chat history access). A removal is enforced by
        // the room processor (which also knows when a host lifts it), not by a revocation here.
        return new DeliveryRouter(identity.id(), id -> dev.rendezvous.gateway.web.HostReplies.isReplyTarget(id)
                ? replies.find(id) : sockets.find(id), metrics, admissions);
    }

    @Bean
    DeliveryPump deliveryPump(EventBus bus, GatewayIdentity identity, DeliveryRouter router) {
        return new DeliveryPump(bus, identity.deliveryPartition(), router, Duration.ofSeconds(60));
    }

    @Bean
    SocketShutdown socketShutdown(SocketRegistry sockets, FrameHandler frames, GatewaySettings gateway) {
        return new SocketShutdown(sockets, frames, gateway.shutdownGrace());
    }

    private static String hostname() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "gateway-" + Long.toHexString(new SecureRandom().nextLong());
        }
    }
}
