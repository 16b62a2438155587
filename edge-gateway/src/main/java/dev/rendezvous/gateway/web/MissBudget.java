package dev.rendezvous.gateway.web;

import dev.rendezvous.gateway.shared.RateCounters;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import reactor.core.publisher.Mono;

/**
 * A budget of misses per key (a client address, an account) in fixed time windows, counted in the gateways' shared
 * {@link RateCounters} (Aerospike when configured: every gateway sees the same count); once a window's budget is
 * spent, the guarded call answers 429 {@code rate_limited} with {@code Retry-After} (the end of the window) before
 * doing any work. Used for meeting codes that match no meeting and for failed logins; each use names what it counts
 * in its refusal.
 *
 * <p>A window lasts {@code burst / missesPerMinute} minutes, so the long-run rate is the configured one; a client
 * can spend one budget at the end of a window and the next at the start of the following one (at most twice the
 * burst in a short time), which is the price of one counter per window instead of a list of timestamps.
 *
 * <p>Meeting codes: a meeting code is the only secret between a stranger and a guest token
 * ({@code POST /api/v1/meetings/{code}/guest}) or the meeting page ({@code /j/{code}}), and both answer "no such
 * meeting" at once. Each client address has a budget of misses — well-formed codes that match no meeting; once it is
 * spent, both calls answer 429 for every code, so a guesser cannot go on by mixing in known ones. People with a real
 * link almost never miss, so the budget can be small without touching them. Behind a proxy all clients share the
 * proxy's address unless {@code rendezvous.limits.trust-forwarded-for} is on ({@link ForwardedForFilter}).
 *
 * <p>If the shared store cannot be reached, the budget lets the call through (logged, at most every 10 s): a lost
 * limit is better than a gateway that refuses every login.
 */
public final class MissBudget {

    private static final Logger log = LoggerFactory.getLogger(MissBudget.class);
    private static final AtomicLong lastWarning = new AtomicLong();

    private final RateCounters counters;
    private final String name;
    private final int burst;
    private final Duration window;
    private final Clock clock;
    private final String refusal;

    /**
     * @param name    the counters' key prefix, e.g. {@code login-address}
     * @param refusal the 429's message, e.g. "too many failed logins from this address; try again later"
     */
    public MissBudget(RateCounters counters, String name, double missesPerMinute, int burst, Clock clock, String refusal) {
        if (missesPerMinute <= 0 || burst < 1) {
            throw new IllegalArgumentException("misses per minute and burst must be positive");
        }
        this.counters = counters;
        this.name = name;
        this.refusal = refusal;
        this.burst = burst;
        this.window = Duration.ofMillis(Math.max(1000, Math.round(burst / missesPerMinute * 60_000)));
        this.clock = clock;
    }

    /** The address a request came from (the proxy's behind one, unless forwarded addresses are trusted). */
    public static String address(ServerHttpRequest request) {
        InetSocketAddress a = request.getRemoteAddress();
        return a == null || a.getAddress() == null ? "unknown" : a.getAddress().getHostAddress();
    }

    /** Completes if {@code who} may still miss; else fails with the 429 (Retry-After: the end of the window). */
    public Mono<Void> check(String who) {
        Instant now = clock.instant();
        long index = now.toEpochMilli() / window.toMillis();
        return counters.get(key(who, index))
                .onErrorResume(e -> unavailable(e, 0L))
                .flatMap(n -> n < burst ? Mono.<Void>empty()
                        : Mono.error(ApiException.rateLimited(refusal, untilWindowEnds(now, index))));
    }

    /** Counts a miss (a well-formed code that matched no meeting, a failed login). */
    public Mono<Void> miss(String who) {
        long index = clock.instant().toEpochMilli() / window.toMillis();
        return counters.add(key(who, index), 1, window.multipliedBy(2))
                .onErrorResume(e -> unavailable(e, 0L))
                .then();
    }

    /**
     * Counts a use (every registration, every guest token) and completes if it was within the budget; else fails
     * with the 429. One atomic add on the shared counter, so concurrent gateways cannot both take the last unit.
     */
    public Mono<Void> spend(String who) {
        Instant now = clock.instant();
        long index = now.toEpochMilli() / window.toMillis();
        return counters.add(key(who, index), 1, window.multipliedBy(2))
                .onErrorResume(e -> unavailable(e, 0L))
                .flatMap(n -> n <= burst ? Mono.<Void>empty()
                        : Mono.error(ApiException.rateLimited(refusal, untilWindowEnds(now, index))));
    }

    /** The length of a window: how long a spent budget lasts at most. */
    public Duration window() {
        return window;
    }

    private String key(String who, long index) {
        return name + ":" + who + ":" + index;
    }

    private Duration untilWindowEnds(Instant now, long index) {
        long end = (index + 1) * window.toMillis();
        return Duration.ofSeconds(Math.max(1, (end - now.toEpochMilli() + 999) / 1000));
    }

    static <T> Mono<T> unavailable(Throwable e, T fallback) {
        long now = System.currentTimeMillis();
        long last = lastWarning.get();
        if (now - last > 10_000 && lastWarning.compareAndSet(last, now)) {
            log.warn("the shared rate counters are unavailable, so rate limits are not enforced: {}", e.toString());
        }
        return Mono.just(fallback);
    }
}
