package dev.rendezvous.gateway.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rendezvous.gateway.transport.*}: how long the HTTP server waits for a client (Reactor Netty's timeouts).
 * The WebSocket frame limits are {@link GatewaySettings}'; an open socket's silence is the socket layer's concern.
 *
 * @param handshakeTimeout a connection that has not sent a complete request (e.g. the WebSocket upgrade) within this
 *                         time of connecting, or of its previous request, is closed ({@code HttpServer.idleTimeout})
 */
@ConfigurationProperties("rendezvous.gateway.transport")
public record TransportSettings(@DefaultValue("PT10S") Duration handshakeTimeout) {

    public TransportSettings {
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("rendezvous.gateway.transport.handshake-timeout must be positive");
        }
    }
}
