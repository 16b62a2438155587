package dev.rendezvous.resilience;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedTimeLimiterMetrics;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * One {@link Guard} per {@link Dependency}, from the settings, with their breakers, bulkheads, retries and time
 * limiters exported to Micrometer ({@code resilience4j_circuitbreaker_state{name="postgresql",state="open"}},
 * {@code resilience4j_bulkhead_available_concurrent_calls}, {@code resilience4j_retry_calls_total},
 * {@code resilience4j_timelimiter_calls_total}, …; the {@code name} tag is {@link Dependency#id()}).
 */
public final class Guards {

    private final Map<Dependency, Guard> guards = new EnumMap<>(Dependency.class);

    /** A guard for every {@link Dependency} (the gateway calls them all). */
    public Guards(ResilienceSettings settings, MeterRegistry meters) {
        this(settings, meters, EnumSet.allOf(Dependency.class));
    }

    /** Guards for the dependencies an app calls: only theirs appear in its metrics. */
    public Guards(ResilienceSettings settings, MeterRegistry meters, Set<Dependency> used) {
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
        BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();
        TimeLimiterRegistry timeLimiters = TimeLimiterRegistry.ofDefaults();
        RetryRegistry retries = RetryRegistry.ofDefaults();
        for (Dependency d : used) {
            guards.put(d, new Guard(d, settings.of(d), breakers, bulkheads, timeLimiters, retries));
        }
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
        TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(meters);
        TaggedTimeLimiterMetrics.ofTimeLimiterRegistry(timeLimiters).bindTo(meters);
        TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(meters);
    }

    /** The guard of {@code d}; an {@link IllegalStateException} when {@code d} is not among the app's dependencies. */
    public Guard of(Dependency d) {
        Guard g = guards.get(d);
        if (g == null) {
            throw new IllegalStateException("no guard for " + d.id() + ": not among this app's dependencies " + guards.keySet());
        }
        return g;
    }
}
