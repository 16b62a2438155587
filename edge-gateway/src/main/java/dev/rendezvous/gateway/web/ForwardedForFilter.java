package dev.rendezvous.gateway.web;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * With {@code rendezvous.limits.trust-forwarded-for} on (only behind one reverse proxy that sets the header): the
 * client address of a request, for every per-address limit, becomes the LAST entry of {@code X-Forwarded-For} — the
 * address the proxy itself saw; entries before it are whatever the client sent and are ignored. Only a connection
 * from one of {@code rendezvous.limits.trusted-proxies} (the proxy) is believed; anyone else keeps the connection's
 * address. A value that is not an IP address leaves the connection's address in place. Off by default: a client
 * talking to the gateway directly could otherwise pick its address (and a fresh budget) per request.
 */
public final class ForwardedForFilter implements WebFilter, Ordered {

    static final String HEADER = "X-Forwarded-For";

    private final TrustedProxies proxies;

    public ForwardedForFilter(TrustedProxies proxies) {
        this.proxies = proxies;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        InetSocketAddress peer = exchange.getRequest().getRemoteAddress();
        if (peer == null || !proxies.trusts(peer.getAddress())) {
            return chain.filter(exchange);
        }
        InetSocketAddress forwarded = lastForwarded(exchange.getRequest().getHeaders().get(HEADER));
        if (forwarded == null) {
            return chain.filter(exchange);
        }
        return chain.filter(exchange.mutate().request(r -> r.remoteAddress(forwarded)).build());
    }

    static InetSocketAddress lastForwarded(List<String> headers) {
        if (headers == null || headers.isEmpty()) {
            return null;
        }
        String last = headers.get(headers.size() - 1);
        int comma = last.lastIndexOf(',');
        String ip = (comma < 0 ? last : last.substring(comma + 1)).strip();
        if (ip.startsWith("[") && ip.endsWith("]")) {
            ip = ip.substring(1, ip.length() - 1);
        }
        // a literal only: never a name lookup
        if (ip.isEmpty() || !(ip.matches("[0-9.]+") || ip.matches("[0-9a-fA-F:.]+") && ip.contains(":"))) {
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), 0);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
