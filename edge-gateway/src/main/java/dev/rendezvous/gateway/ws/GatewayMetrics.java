package dev.rendezvous.gateway.ws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The gateway's counters (Prometheus names in brackets): frames in and out ({@code rendezvous_gateway_frames_in_total},
 * {@code …_frames_out_total}), error frames by code ({@code …_errors_total{code}}), deliveries by outcome
 * ({@code …_deliveries_total{outcome}}: routed, foreign_key, unknown_socket, empty, failed), sockets dropped
 * ({@code …_sockets_dropped_total{reason}}) and the open sockets gauge ({@code …_sockets_open}).
 */
public final class GatewayMetrics {

    private final MeterRegistry registry;
    private final Counter framesIn;
    private final Counter framesOut;
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Map<String, Counter> deliveries = new ConcurrentHashMap<>();
    private final Map<String, Counter> dropped = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry, Supplier<Number> openSockets) {
        this.registry = registry;
        this.framesIn = Counter.builder("rendezvous.gateway.frames.in").description("WebSocket frames received").register(registry);
        this.framesOut = Counter.builder("rendezvous.gateway.frames.out").description("WebSocket frames sent").register(registry);
        Gauge.builder("rendezvous.gateway.sockets.open", openSockets).description("open WebSocket connections").register(registry);
        // registered up front (at 0): the dashboards and rate-limit alerts find the series before the first refusal
        error(ErrorCode.RATE_LIMITED, 0);
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

    public void delivery(String outcome) {
        deliveries.computeIfAbsent(outcome, o -> Counter.builder("rendezvous.gateway.deliveries").tag("outcome", o)
                .description("delivery records consumed, per addressed socket").register(registry)).increment();
    }

    public void socketDropped(String reason) {
        dropped.computeIfAbsent(reason, r -> Counter.builder("rendezvous.gateway.sockets.dropped").tag("reason", r)
                .description("sockets the gateway closed on its own").register(registry)).increment();
    }
}
