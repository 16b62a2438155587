package dev.rendezvous.gateway.web;

import dev.rendezvous.gateway.ws.TokenBucket;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Slows down guessing of meeting codes. A meeting code is the only secret between a stranger and a guest token
 * ({@code POST /api/v1/meetings/{code}/guest}) or the meeting page ({@code /j/{code}}), and both answer "no such
 * meeting" at once. Each client address has a budget of misses — well-formed codes that match no meeting — refilled
 * slowly; once it is spent, both calls answer 429 {@code rate_limited} (with {@code Retry-After}) for every code,
 * so a guesser cannot go on by mixing in known ones. People with a real link almost never miss, so the budget can
 * be small without touching them or load tests that create many guests of real meetings.
 *
 * <p>Per gateway and in memory: with n gateways a guesser gets n budgets (shared counters belong in the gateways'
 * shared store, which the gateway does not have yet). Behind a proxy all clients share the proxy's address, so they
 * share one budget: a flood of misses through it blocks misses and hits alike for everyone until it refills. At
 * most {@link #MAX_ADDRESSES} addresses are tracked, least recently seen dropped first.
 */
public final class CodeGuessGuard {

    static final int MAX_ADDRESSES = 10_000;

    private final double missesPerSecond;
    private final int burst;
    private final Clock clock;
    private final Map<String, TokenBucket> buckets = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TokenBucket> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    public CodeGuessGuard(double missesPerMinute, int burst, Clock clock) {
        if (missesPerMinute <= 0 || burst < 1) {
            throw new IllegalArgumentException("code misses per minute and burst must be positive");
        }
        this.missesPerSecond = missesPerMinute / 60.0;
        this.burst = burst;
        this.clock = clock;
    }

    /** The address a request came from (the proxy's, behind one). */
    public static String address(ServerHttpRequest request) {
        InetSocketAddress a = request.getRemoteAddress();
        return a == null || a.getAddress() == null ? "unknown" : a.getAddress().getHostAddress();
    }

    /** False once the address has spent its misses (until one refills). */
    public synchronized boolean allowed(String address) {
        TokenBucket b = buckets.get(address);
        return b == null || b.available() >= 1;
    }

    /** Counts a well-formed code that matched no meeting. */
    public synchronized void miss(String address) {
        buckets.computeIfAbsent(address, a -> new TokenBucket(missesPerSecond, burst, clock)).tryTake();
    }

    /** How long until the next miss is allowed again, rounded up to whole seconds. */
    public Duration retryAfter() {
        return Duration.ofSeconds((long) Math.ceil(1 / missesPerSecond));
    }

    /** The 429 answer of the REST call. */
    public ApiException refusal() {
        return ApiException.rateLimited("too many unknown meeting codes from this address; try again later", retryAfter());
    }

    synchronized int trackedAddresses() {
        return buckets.size();
    }
}
