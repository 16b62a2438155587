package dev.rendezvous.gateway.web;

import dev.rendezvous.gateway.ws.TokenBucket;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * A budget of misses per key (a client address, an account), refilled slowly; once spent, the guarded call answers
 * 429 {@code rate_limited} with {@code Retry-After} before doing any work. Used for meeting codes that match no
 * meeting and for failed logins; each use names what it counts in its refusal.
 *
 * <p>Meeting codes: a meeting code is the only secret between a stranger and a guest token
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
public final class MissBudget {

    static final int MAX_ADDRESSES = 10_000;

    private final double missesPerSecond;
    private final int burst;
    private final Clock clock;
    private final String refusal;
    private final Map<String, TokenBucket> buckets = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TokenBucket> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    /** @param refusal the 429's message, e.g. "too many failed logins from this address; try again later" */
    public MissBudget(double missesPerMinute, int burst, Clock clock, String refusal) {
        if (missesPerMinute <= 0 || burst < 1) {
            throw new IllegalArgumentException("misses per minute and burst must be positive");
        }
        this.refusal = refusal;
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

    /** Counts a miss (a well-formed code that matched no meeting, a failed login). */
    public synchronized void miss(String address) {
        buckets.computeIfAbsent(address, a -> new TokenBucket(missesPerSecond, burst, clock)).tryTake();
    }

    /** How long until the next miss is allowed again, rounded up to whole seconds. */
    public Duration retryAfter() {
        return Duration.ofSeconds((long) Math.ceil(1 / missesPerSecond));
    }

    /** The 429 answer of the REST call. */
    public ApiException refusal() {
        return ApiException.rateLimited(refusal, retryAfter());
    }

    synchronized int trackedAddresses() {
        return buckets.size();
    }
}
