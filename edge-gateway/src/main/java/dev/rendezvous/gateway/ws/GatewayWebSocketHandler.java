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
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code /ws}: one {@link GatewaySocket} per connection. Inbound frames are handled one after another (so a
 * socket's requests reach Kafka in the order it sent them); outbound frames come from the socket's bounded queue.
 * When the connection ends, for whatever reason, the socket leaves every meeting it was in.
 */
public final class GatewayWebSocketHandler implements WebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayWebSocketHandler.class);
    private static final byte[] PING_PAYLOAD = "rv".getBytes(StandardCharsets.US_ASCII);
    /** 1009: a frame above the transport limit. */
    public static final int MESSAGE_TOO_BIG = 1009;

    private final GatewayIdentity gateway;
    private final SocketRegistry registry;
    private final FrameHandler frames;
    private final GatewayMetrics metrics;
    private final ServerFrames.Limits limits;
    private final ServerFrames.Media media;
    private final Clock clock;
    private SocketWatch watch = SocketWatch.NONE;

    public GatewayWebSocketHandler(GatewayIdentity gateway, SocketRegistry registry, FrameHandler frames,
                                   GatewayMetrics metrics, ServerFrames.Limits limits, ServerFrames.Media media,
                                   Clock clock, SocketWatch watch) {
        this(gateway, registry, frames, metrics, limits, media, clock);
        this.watch = watch;
    }

    public GatewayWebSocketHandler(GatewayIdentity gateway, SocketRegistry registry, FrameHandler frames,
                                   GatewayMetrics metrics, ServerFrames.Limits limits, ServerFrames.Media media,
                                   Clock clock) {
        this.gateway = gateway;
        this.registry = registry;
        this.frames = frames;
        this.metrics = metrics;
        this.limits = limits;
        this.media = media;
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
        socket.liveness().heard(clock.millis());
        registry.add(socket);
        String address = addressOf(session);
        watch.opened(socket.socketId(), address);
        socket.send(ServerFrames.hello(socket.socketId(), gateway.id(), limits, media));

        Mono<Void> inbound = session.receive()
                .doOnNext(m -> socket.liveness().heard(clock.millis()))   // any frame is life, pongs included
                .filter(m -> m.getType() == WebSocketMessage.Type.TEXT || m.getType() == WebSocketMessage.Type.BINARY)
                .map(m -> InboundFrame.of(m, Math.max(limits.maxFrameBytes(), limits.maxSdpFrameBytes())))
                .concatMap(f -> Mono.defer(() -> frames.handle(socket, f)).onErrorResume(e -> {
                    log.error("socket {}: frame handling failed", socket.socketId(), e);
                    socket.sendError(new FrameError(ErrorCode.UNAVAILABLE, "the gateway could not handle that frame", null));
                    return Mono.empty();
                }))
                .onErrorResume(GatewayWebSocketHandler::tooLarge, e -> {
                    // a frame above the transport limit (max-transport-frame-bytes), refused unread: say why (1009)
                    metrics.socketDropped("frame_too_large");
                    socket.close(MESSAGE_TOO_BIG, "frame too large");
                    return Mono.empty();
                })
                .then()
                .doFinally(signal -> socket.completeOutbound());
        Mono<Void> outbound = session.send(Flux.merge(
                socket.outbound().map(text -> {
                    metrics.frameOut();
                    return session.textMessage(text);
                }),
                socket.liveness().pings().map(at -> session.pingMessage(f -> f.wrap(PING_PAYLOAD)))));
        // a dropped socket ends at once, even if its queued frames can never be written
        return Mono.firstWithSignal(Mono.when(inbound, outbound), socket.dropped())
                .onErrorResume(e -> {
                    log.debug("socket {} ended with {}", socket.socketId(), e.toString());
                    return Mono.empty();
                })
                .doFinally(signal -> {
                    watch.closed(socket.socketId(), address);
                    // the socket is forgotten once its LEAVEs are acknowledged (or given up after their retries)
                    frames.leaveAll(socket).doFinally(s -> registry.remove(socket)).subscribe();
                });
    }

    private static String addressOf(WebSocketSession session) {
        java.net.InetSocketAddress a = session.getHandshakeInfo().getRemoteAddress();
        return a == null || a.getAddress() == null ? "unknown" : a.getAddress().getHostAddress();
    }

    /** Netty refused a frame above the transport's payload limit. */
    static boolean tooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.netty.handler.codec.TooLongFrameException
                    || (t instanceof io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException c
                    && c.closeStatus() != null && c.closeStatus().code() == MESSAGE_TOO_BIG)) {
                return true;
            }
        }
        return false;
    }

    public static String tokenFrom(URI uri) {
        if (uri == null || uri.getRawQuery() == null) {
            return null;
        }
        String raw = UriComponentsBuilder.fromUri(uri).build().getQueryParams().getFirst("token");
        return raw == null || raw.isEmpty() ? null : URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }
}
