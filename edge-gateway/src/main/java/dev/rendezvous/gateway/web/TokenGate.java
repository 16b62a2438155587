package dev.rendezvous.gateway.web;

import dev.rendezvous.gateway.auth.IdentityCheck;
import dev.rendezvous.gateway.auth.InvalidTokenException;
import dev.rendezvous.gateway.auth.TokenClaims;
import dev.rendezvous.gateway.auth.TokenService;
import dev.rendezvous.gateway.ws.GatewayMetrics;
import dev.rendezvous.gateway.ws.GatewayMetrics.HandshakeRefusal;
import dev.rendezvous.gateway.ws.GatewayWebSocketHandler;
import java.time.Duration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses revoked identities before any handler runs:
 * <ul>
 * <li>the WebSocket handshake ({@code /ws}, however spelt: {@link RequestPaths}): 503 {@code unavailable} when this
 *     gateway already holds {@code rendezvous.limits.sockets-per-gateway} sockets; 429 when the client address
 *     already holds {@code rendezvous.limits.sockets-per-address}; 401 when its {@code ?token=} is valid but revoked,
 *     or names a user who no longer exists;</li>
 * <li>any other request with {@code Authorization: Bearer} (the API calls): 401 when the token is valid but revoked
 *     (e.g. after {@code POST /api/v1/auth/logout}).</li>
 * </ul>
 * Tokens that do not verify are left to the handlers, which answer them as before (401, or an error frame at join).
 * Refused handshakes are counted by reason ({@link GatewayMetrics#handshakeRefused}).
 * When the revocations (or the users table) cannot be read, the call is 503 {@code unavailable}: like the database,
 * the shared store is a dependency once configured, and a revoked token must not slip through an outage.
 */
public final class TokenGate implements WebFilter, Ordered {

    static final Duration SOCKET_RETRY = Duration.ofSeconds(10);

    private final TokenService tokens;
    private final IdentityCheck identities;
    private final SocketsOnGateway allSockets;
    private final SocketsPerAddress sockets;
    private final GatewayMetrics metrics;

    public TokenGate(TokenService tokens, IdentityCheck identities, SocketsOnGateway allSockets, SocketsPerAddress sockets,
                     GatewayMetrics metrics) {
        this.tokens = tokens;
        this.metrics = metrics;
        this.identities = identities;
        this.allSockets = allSockets;
        this.sockets = sockets;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest r = exchange.getRequest();
        String path = RequestPaths.canonical(r);
        boolean socket = path.equals("/ws");
        String token;
        if (socket) {
            if (!allSockets.allows()) {
                metrics.handshakeRefused(HandshakeRefusal.GATEWAY_FULL);
                // a full gateway: another one behind the balancer, or this one in a moment, takes the socket
                return Mono.error(new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "this gateway holds its"
                        + " maximum of " + allSockets.max() + " open WebSockets; try again in a moment", SOCKET_RETRY));
            }
            String address = MissBudget.address(r);
            if (!sockets.allows(address)) {
                metrics.handshakeRefused(HandshakeRefusal.ADDRESS_FULL);
                return Mono.error(ApiException.rateLimited("this address already has " + sockets.max()
                        + " open WebSockets; close one or try again later", SOCKET_RETRY));
            }
            token = GatewayWebSocketHandler.tokenFrom(r.getURI());
        } else {
            // every Bearer token, whatever the path: only API calls carry one, and no spelling of a path may skip this
            token = bearer(r.getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
        }
        if (token == null) {
            return chain.filter(exchange);
        }
        TokenClaims claims;
        try {
            claims = tokens.verify(token);
        } catch (InvalidTokenException e) {
            return chain.filter(exchange);
        }
        return identities.refusal(claims, null, socket)
                .onErrorMap(e -> !(e instanceof ApiException)
                        && !(e instanceof dev.rendezvous.resilience.DependencyUnavailableException), e -> new ApiException(HttpStatus.SERVICE_UNAVAILABLE,
                        "unavailable", "the gateway cannot check this token now; try again"))
                .map(Mono::just)
                .defaultIfEmpty(Mono.empty())
                .flatMap(refusal -> refusal.flatMap(msg -> {
                            if (socket) {
                                metrics.handshakeRefused(HandshakeRefusal.REVOKED);
                            }
                            return Mono.<Void>error(ApiException.unauthorized(msg));
                        })
                        .then(Mono.defer(() -> chain.filter(exchange))));
    }

    private static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String v = authorization.trim();
        return v.length() > 7 && v.regionMatches(true, 0, "Bearer ", 0, 7) ? v.substring(7).trim() : null;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 3;
    }
}
