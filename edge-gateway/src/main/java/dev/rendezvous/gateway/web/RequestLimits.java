package dev.rendezvous.gateway.web;

import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Per client address, before any work: registrations ({@code POST /api/v1/auth/register}), guest tokens
 * ({@code POST /api/v1/meetings/{code}/guest}) and meeting-code lookups ({@code GET /j/{code}}), each a budget of
 * requests per window in the shared counters ({@link MissBudget#spend}). Over budget: 429 {@code rate_limited} with
 * {@code Retry-After}. These count every call; the misses of unknown codes have their own, smaller budget.
 */
public final class RequestLimits implements WebFilter, Ordered {

    private static final Pattern GUEST = Pattern.compile("^/api/v1/meetings/[^/]+/guest$");

    private final MissBudget registrations;
    private final MissBudget guestTokens;
    private final MissBudget codeLookups;

    public RequestLimits(MissBudget registrations, MissBudget guestTokens, MissBudget codeLookups) {
        this.registrations = registrations;
        this.guestTokens = guestTokens;
        this.codeLookups = codeLookups;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        MissBudget budget = budgetFor(exchange.getRequest());
        if (budget == null) {
            return chain.filter(exchange);
        }
        return budget.spend(MissBudget.address(exchange.getRequest())).then(Mono.defer(() -> chain.filter(exchange)));
    }

    MissBudget budgetFor(ServerHttpRequest r) {
        String path = RequestPaths.canonical(r);
        if (HttpMethod.POST.equals(r.getMethod())) {
            if (path.equals("/api/v1/auth/register")) {
                return registrations;
            }
            if (GUEST.matcher(path).matches()) {
                return guestTokens;
            }
        } else if (HttpMethod.GET.equals(r.getMethod()) && path.startsWith("/j/")) {
            return codeLookups;
        }
        return null;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 2; // after the forwarded address and the security headers
    }
}
