package dev.rendezvous.gateway.web;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Works around reactor/reactor-netty#4361 (seen on Reactor Netty 1.3.6): when a keep-alive request arrives before the
 * previous request's operations have terminated, Reactor Netty queues it; if that queued request is then answered
 * <em>synchronously</em>, the connection stops reading and the client's next request hangs until the client gives up.
 * Seen here as about 1 % of REST calls hanging under load ("slow request + pipelined fast request + next request").
 *
 * <p>Every exchange here signals its completion from another thread: completion then never happens re-entrantly inside
 * Reactor Netty's queue drain, and the connection always resumes reading. Cost: one thread hop per HTTP request (not
 * per WebSocket frame). The build now takes Reactor Netty 1.3.8, which carries the upstream fix (on Netty 4.2.18, the
 * newest whose native files are served here); the filter stays until a run history on 1.3.8 shows no hang without it,
 * because the hang only shows under load and cannot be reproduced at will.
 */
public final class KeepAliveWorkaroundFilter implements WebFilter, Ordered {

    private final Scheduler scheduler;

    public KeepAliveWorkaroundFilter() {
        this(Schedulers.parallel());
    }

    KeepAliveWorkaroundFilter(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return chain.filter(exchange).publishOn(scheduler);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
