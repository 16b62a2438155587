package dev.rendezvous.gateway.web;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Browser-side defences on every answer, and the WebSocket's Origin check.
 * <ul>
 *   <li>{@code Content-Security-Policy}: scripts only from this origin (the pages have no inline script and use no
 *       {@code eval}), no plugins, no framing ({@code frame-ancestors 'none'}), connections only to this origin
 *       (which includes its WebSocket); styles may be inline (the pages set sizes on elements);</li>
 *   <li>{@code X-Content-Type-Options: nosniff}, {@code Referrer-Policy: no-referrer} (a meeting link holds its code),
 *       {@code X-Frame-Options: DENY} for old browsers, and a {@code Permissions-Policy} that keeps camera, microphone
 *       and screen capture to this origin.</li>
 *   <li>{@code /ws}: a browser's upgrade from another origin (a page elsewhere using a visitor's browser) is refused
 *       with 403. Allowed: the public URL's origin and the origin the request itself addressed (same-origin); a
 *       client that sends no Origin (not a browser) is let through — the token is what authenticates it.</li>
 * </ul>
 */
public final class SecurityHeadersFilter implements WebFilter, Ordered {

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final List<String> allowedOrigins;

    /** @param publicUrl the configured public URL (its origin may open the WebSocket), or null */
    public SecurityHeadersFilter(String publicUrl) {
        String o = origin(publicUrl);
        this.allowedOrigins = o == null ? List.of() : List.of(o);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpHeaders h = exchange.getResponse().getHeaders();
        h.set("Content-Security-Policy", CSP);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("X-Frame-Options", "DENY");
        h.set("Permissions-Policy", "camera=(self), microphone=(self), display-capture=(self), geolocation=()");
        if ("/ws".equals(RequestPaths.canonical(exchange.getRequest()))) {
            String origin = exchange.getRequest().getHeaders().getOrigin();
            if (origin != null && !allowed(origin, exchange)) {
                exchange.getResponse().setStatusCode(HttpStatus.FORBIDDEN);
                return exchange.getResponse().setComplete();
            }
        }
        return chain.filter(exchange);
    }

    private boolean allowed(String origin, ServerWebExchange exchange) {
        String o = origin.toLowerCase(Locale.ROOT);
        if (allowedOrigins.contains(o)) {
            return true;
        }
        String host = exchange.getRequest().getHeaders().getFirst(HttpHeaders.HOST);
        return host != null && (o.equals("http://" + host.toLowerCase(Locale.ROOT))
                || o.equals("https://" + host.toLowerCase(Locale.ROOT)));
    }

    /** scheme://host[:port] of a URL, lower case; null for null or a malformed URL. */
    static String origin(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            URI u = URI.create(url.strip());
            if (u.getScheme() == null || u.getHost() == null) {
                return null;
            }
            return (u.getScheme() + "://" + u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : "")).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }
}
