package dev.rendezvous.gateway.ws;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * {@code /ws}: one {@link GatewaySocket} per connection. Inbound frames are handled one after another (so a
 * socket's requests reach Kafka in the order it sent them); outbound frames come from the socket's bounded queue.
 * When the connection ends, for whatever reason, the socket leaves every meeting it was in.
 */
public final class GatewayWebSocketHandler implements WebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayWebSocketHandler.class);

    private final GatewayIdentity gateway;
    private final SocketRegistry registry;
    private final FrameHandler frames;
    private final GatewayMetrics metrics;
    private final ServerFrames.Limits limits;
    private final Clock clock;
    private SocketWatch watch = SocketWatch.NONE;

    public GatewayWebSocketHandler(GatewayIdentity gateway, SocketRegistry registry, FrameHandler frames,
                                   GatewayMetrics metrics, ServerFrames.Limits limits, Clock clock, SocketWatch watch) {
        this(gateway, registry, frames, metrics, limits, clock);
        this.watch = watch;
    }

    public GatewayWebSocketHandler(GatewayIdentity gateway, SocketRegistry registry, FrameHandler frames,
                                   GatewayMetrics metrics, ServerFrames.Limits limits, Clock clock) {
        this.gateway = gateway;
        this.registry = registry;
        this.frames = frames;
        this.metrics = metrics;
        this.limits = limits;
        this.clock = clock;
    }

    @Override
    public Mono<Void> handle(WebSocketSession session) {
        GatewaySocket socket = new GatewaySocket(
                UUID.randomUUID().toString(),
                tokenFrom(session.getHandshakeInfo().getUri()),
                new TokenBucket(limits.framesPerSecond(), limits.frameBurst(), clock),
                limits.outboundBuffer(),
                metrics,
                (code, reason) -> session.close(new CloseStatus(code, reason)).subscribe(v -> {}, e -> {}));
        registry.add(socket);
        String address = addressOf(session);
        watch.opened(socket.socketId(), address);
        socket.send(ServerFrames.hello(socket.socketId(), gateway.id(), limits));

        Mono<Void> inbound = session.receive()
                .filter(m -> m.getType() == WebSocketMessage.Type.TEXT || m.getType() == WebSocketMessage.Type.BINARY)
                .map(m -> InboundFrame.of(m, Math.max(limits.maxFrameBytes(), limits.maxSdpFrameBytes())))
                .concatMap(f -> Mono.defer(() -> frames.handle(socket, f)).onErrorResume(e -> {
                    log.error("socket {}: frame handling failed", socket.socketId(), e);
                    socket.sendError(new FrameError(ErrorCode.UNAVAILABLE, "the gateway could not handle that frame", null));
                    return Mono.empty();
                }))
                .then()
                .doFinally(signal -> socket.completeOutbound());
        Mono<Void> outbound = session.send(socket.outbound().map(text -> {
            metrics.frameOut();
            return session.textMessage(text);
        }));
        // a dropped socket ends at once, even if its queued frames can never be written
        return Mono.firstWithSignal(Mono.when(inbound, outbound), socket.dropped())
                .onErrorResume(e -> {
                    log.debug("socket {} ended with {}", socket.socketId(), e.toString());
                    return Mono.empty();
                })
                .doFinally(signal -> {
                    registry.remove(socket);
                    watch.closed(socket.socketId(), address);
                    frames.leaveAll(socket).subscribe();
                });
    }

    private static String addressOf(WebSocketSession session) {
        java.net.InetSocketAddress a = session.getHandshakeInfo().getRemoteAddress();
        return a == null || a.getAddress() == null ? "unknown" : a.getAddress().getHostAddress();
    }

    public static String tokenFrom(URI uri) {
        if (uri == null || uri.getRawQuery() == null) {
            return null;
        }
        String raw = UriComponentsBuilder.fromUri(uri).build().getQueryParams().getFirst("token");
        return raw == null || raw.isEmpty() ? null : URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }
}
