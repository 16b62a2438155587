package dev.rendezvous.gateway.web;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Works around reactor/reactor-netty#4361 (Reactor Netty 1.3.6, which Spring Boot 4.0.7 brings): when a keep-alive
 * request arrives before the previous request's operations have terminated, Reactor Netty queues it; if that queued
 * request is then answered <em>synchronously</em>, the connection stops reading and the client's next request hangs
 * until the client gives up. Seen here as about 1 % of REST calls hanging under load, and reproduced every time with
 * "slow request + pipelined fast request + next request".
 *
 * <p>The fix (Reactor Netty 1.3.8) needs Netty 4.2.19, whose native jars are not on the registry these machines reach.
 * Until Boot manages both, every exchange here signals its completion from another thread: completion then never
 * happens re-entrantly inside Reactor Netty's queue drain, and the connection always resumes reading. Cost: one thread
 * hop per HTTP request (not per WebSocket frame). Remove this filter once Reactor Netty ≥ 1.3.8 is on the class path.
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
