package dev.rendezvous.gateway.ws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The gateway's counters (Prometheus names in brackets): frames in and out ({@code rendezvous_gateway_frames_in_total},
 * {@code …_frames_out_total}), error frames by code ({@code …_errors_total{code}}), deliveries by outcome
 * ({@code …_deliveries_total{outcome}}: routed, foreign_key, unknown_socket, empty, failed), sockets dropped
 * ({@code …_sockets_dropped_total{reason}}), WebSocket handshakes refused ({@code …_handshakes_refused_total{reason}}:
 * gateway_full, address_full, revoked), the open sockets gauge ({@code …_sockets_open}), and the chat latency
 * ({@code rendezvous_chat_latency_seconds}, a histogram): from the chat request's record time (stamped when a gateway
 * sent it to Kafka) to a gateway receiving the accepted message for delivery, once per delivery record; it spans
 * the request topic, the room processor and the delivery topic (clocks of different hosts add their skew).
 */
public final class GatewayMetrics {

    private final MeterRegistry registry;
    private final Counter framesIn;
    private final Counter framesOut;
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Map<String, Counter> deliveries = new ConcurrentHashMap<>();
    private final Map<String, Counter> dropped = new ConcurrentHashMap<>();
    private final Map<HandshakeRefusal, Counter> refused = new ConcurrentHashMap<>();

    private final Timer chatLatency;
    private final Counter membershipsRevoked;
    private final Counter identityRechecksFailed;
    private final Counter tokensRenewed;
    private final Clock clock;

    public GatewayMetrics(MeterRegistry registry, Supplier<Number> openSockets) {
        this(registry, openSockets, Clock.systemUTC());
    }

    public GatewayMetrics(MeterRegistry registry, Supplier<Number> openSockets, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.chatLatency = Timer.builder("rendezvous.chat.latency")
                .description("chat request sent to Kafka by a gateway -> the accepted message at a gateway for delivery")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
        this.framesIn = Counter.builder("rendezvous.gateway.frames.in").description("WebSocket frames received").register(registry);
        this.framesOut = Counter.builder("rendezvous.gateway.frames.out").description("WebSocket frames sent").register(registry);
        this.membershipsRevoked = Counter.builder("rendezvous.gateway.memberships.revoked")
                .description("meeting memberships of open sockets ended because their token was revoked or expired, or its user deleted")
                .register(registry);
        this.identityRechecksFailed = Counter.builder("rendezvous.gateway.identity.rechecks.failed")
                .description("passes of the identity re-check that could read neither the revocations nor the users")
                .register(registry);
        this.tokensRenewed = Counter.builder("rendezvous.gateway.tokens.renewed")
                .description("tokens renewed over the sockets that were in meetings with them (one per membership)")
                .register(registry);
        Gauge.builder("rendezvous.gateway.sockets.open", openSockets).description("open WebSocket connections").register(registry);
        // registered up front (at 0): the dashboards and rate-limit alerts find the series before the first refusal
        error(ErrorCode.RATE_LIMITED, 0);
        for (HandshakeRefusal r : HandshakeRefusal.values()) {
            refused(r);   // the full-gateway alert reads them
        }
    }

    /** Why a WebSocket handshake was refused before any socket opened. */
    public enum HandshakeRefusal {
        /** The gateway holds {@code rendezvous.limits.sockets-per-gateway} sockets (503). */
        GATEWAY_FULL,
        /** The client's address holds {@code rendezvous.limits.sockets-per-address} sockets (429). */
        ADDRESS_FULL,
        /** The token verified but is revoked, or its user is gone (401). */
        REVOKED;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public void handshakeRefused(HandshakeRefusal reason) {
        refused(reason).increment();
    }

    private Counter refused(HandshakeRefusal reason) {
        return refused.computeIfAbsent(reason, r -> Counter.builder("rendezvous.gateway.handshakes.refused")
                .tag("reason", r.tag()).description("WebSocket handshakes refused, by reason").register(registry));
    }

    public void frameIn() {
        framesIn.increment();
    }

    public void frameOut() {
        framesOut.increment();
    }

    public void error(String code) {
        error(code, 1);
    }

    private void error(String code, int count) {
        errors.computeIfAbsent(code, c -> Counter.builder("rendezvous.gateway.errors").tag("code", c)
                .description("error frames sent, by code").register(registry)).increment(count);
    }

    /** An accepted chat message arrived for delivery; {@code sentAt}: its request's record time. */
    public void chatDelivered(Instant sentAt) {
        if (sentAt != null) {
            long ms = clock.millis() - sentAt.toEpochMilli();
            if (ms >= 0) {
                chatLatency.record(Duration.ofMillis(ms));
            }
        }
    }

    public void delivery(String outcome) {
        deliveries.computeIfAbsent(outcome, o -> Counter.builder("rendezvous.gateway.deliveries").tag("outcome", o)
                .description("delivery records consumed, per addressed socket").register(registry)).increment();
    }

    public void socketDropped(String reason) {
        dropped.computeIfAbsent(reason, r -> Counter.builder("rendezvous.gateway.sockets.dropped").tag("reason", r)
                .description("sockets the gateway closed on its own").register(registry)).increment();
    }

    /** A socket's membership put out of its meeting by the identity re-check (or a logout on this gateway). */
    public void membershipRevoked() {
        membershipsRevoked.increment();
    }

    /** A membership's token renewed over its socket. */
    public void tokenRenewed() {
        tokensRenewed.increment();
    }

    /** A pass of the identity re-check that put nobody out because it could not read the stores. */
    public void identityRecheckFailed() {
        identityRechecksFailed.increment();
    }
}
