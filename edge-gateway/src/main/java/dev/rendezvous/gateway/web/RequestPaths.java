package dev.rendezvous.gateway.web;

import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The path our filters judge a request by, as the handler mappings see it: each segment decoded and without its
 * matrix variables ({@code /ws;x=1} is routed to {@code /ws}, {@code /api;x/v1/me} to {@code /api/v1/me}), and empty
 * segments dropped ({@code //api} counts as {@code /api}). A filter that compared the raw path instead could be stepped
 * around by such a spelling (the WebSocket's Origin check and socket limits, the revocation check of API calls, the
 * per-address budgets).
 */
public final class RequestPaths {

    private RequestPaths() {}

    public static String canonical(ServerHttpRequest request) {
        StringBuilder b = new StringBuilder();
        for (PathContainer.Element e : request.getPath().pathWithinApplication().elements()) {
            if (e instanceof PathContainer.PathSegment s && !s.valueToMatch().isEmpty()) {
                b.append('/').append(s.valueToMatch());
            }
        }
        String raw = request.getPath().pathWithinApplication().value();
        if (raw.endsWith("/") && b.length() > 0) {
            b.append('/');
        }
        return b.length() == 0 ? "/" : b.toString();
    }
}
