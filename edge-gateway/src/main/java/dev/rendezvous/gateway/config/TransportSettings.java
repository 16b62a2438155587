package dev.rendezvous.gateway.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rendezvous.gateway.transport.*}: how long the HTTP server waits for a client (Reactor Netty's idle timeout),
 * and the gateway's budget for WebSocket frames still arriving. The per-frame size limits are {@link GatewaySettings}';
 * an open socket's silence is the socket layer's concern.
 *
 * @param handshakeTimeout         a connection that has not sent a complete request (e.g. the WebSocket upgrade)
 *                                 within this time of connecting, or of its previous request, is closed
 *                                 ({@code HttpServer.idleTimeout})
 * @param unfinishedFramesBudget   bytes of WebSocket frames still arriving that the gateway holds at most, over all
 *                                 its sockets; above it the socket holding the most is closed (1013), see
 *                                 {@link dev.rendezvous.gateway.ws.UnfinishedFrames}. At least one
 *                                 frame of {@code rendezvous.gateway.max-transport-frame-bytes} on the wire (+14)
 * @param unfinishedFrameTimeout   a socket whose message has not completed within this time of the read that began
 *                                 it is closed (1013)
 */
@ConfigurationProperties("rendezvous.gateway.transport")
public record TransportSettings(@DefaultValue("PT10S") Duration handshakeTimeout,
                                @DefaultValue("67108864") long unfinishedFramesBudget,
                                @DefaultValue("PT30S") Duration unfinishedFrameTimeout) {

    public TransportSettings {
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("rendezvous.gateway.transport.handshake-timeout must be positive");
        }
        if (unfinishedFrameTimeout.isNegative() || unfinishedFrameTimeout.isZero()) {
            throw new IllegalArgumentException("rendezvous.gateway.transport.unfinished-frame-timeout must be positive");
        }
    }
}
