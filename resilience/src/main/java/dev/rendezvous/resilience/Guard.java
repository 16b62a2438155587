package dev.rendezvous.resilience;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.reactor.timelimiter.TimeLimiterOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The calls to one {@link Dependency}, through Resilience4j's Reactor operators. Each attempt is time-limited
 * (innermost, so that a hung call is a failure the breaker counts), holds a bulkhead permit and passes the circuit
 * breaker; an idempotent call is retried after a quick outage failure (a refused or dropped connection: the next
 * attempt may get a fresh one), never after a timeout; the whole call has a deadline. An outage, an open breaker or a
 * full bulkhead comes out as {@link DependencyUnavailableException}; any other error (the service's answer about the
 * request) passes through unchanged and counts as a success for the breaker.
 */
public final class Guard {

    private static final Logger log = LoggerFactory.getLogger(Guard.class);

    private final Dependency dependency;
    private final CircuitBreaker breaker;
    private final Bulkhead bulkhead;
    private final TimeLimiter timeLimiter;
    private final Retry retry;
    private final Duration deadline;
    private final Duration timeout;

    Guard(Dependency dependency, ResilienceSettings.Policy p, CircuitBreakerRegistry breakers, BulkheadRegistry bulkheads,
          TimeLimiterRegistry timeLimiters, RetryRegistry retries) {
        this.dependency = dependency;
        this.deadline = p.deadline();
        this.timeout = p.timeout();
        this.breaker = breakers.circuitBreaker(dependency.id(), CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(p.window())
                .minimumNumberOfCalls(Math.min(p.minimumCalls(), p.window()))
                .failureRateThreshold(p.failureRate())
                .waitDurationInOpenState(p.openFor())
                .permittedNumberOfCallsInHalfOpenState(p.halfOpenCalls())
                .recordException(dependency::isOutage)
                .build());
        this.bulkhead = bulkheads.bulkhead(dependency.id(), BulkheadConfig.custom()
                .maxConcurrentCalls(p.maxConcurrent()).maxWaitDuration(Duration.ZERO).build());
        this.timeLimiter = timeLimiters.timeLimiter(dependency.id(), TimeLimiterConfig.custom()
                .timeoutDuration(p.timeout()).cancelRunningFuture(true).build());
        this.retry = retries.retry(dependency.id(), RetryConfig.custom()
                .maxAttempts(p.retries() + 1)
                .intervalFunction(IntervalFunction.ofExponentialBackoff(p.retryBackoff(), 2.0))
                .retryOnException(e -> dependency.isOutage(e) && !(e instanceof TimeoutException))
                .build());
        breaker.getEventPublisher().onStateTransition(e -> log.warn("{} circuit breaker: {} -> {}", dependency.id(),
                e.getStateTransition().getFromState(), e.getStateTransition().getToState()));
    }

    /** A guard with registries of its own (no metrics): for stores made outside the application, and tests. */
    public static Guard standalone(Dependency dependency, ResilienceSettings.Policy policy) {
        return new Guard(dependency, policy, CircuitBreakerRegistry.ofDefaults(), BulkheadRegistry.ofDefaults(),
                TimeLimiterRegistry.ofDefaults(), RetryRegistry.ofDefaults());
    }

    public Dependency dependency() {
        return dependency;
    }

    /** One attempt's time limit: a client with timeouts of its own should end a call by then. */
    public Duration timeout() {
        return timeout;
    }

    public CircuitBreaker.State state() {
        return breaker.getState();
    }

    /** A read, or a write that may safely be applied twice: retried after a quick outage failure. */
    public <T> Mono<T> idempotent(Mono<T> call) {
        return guard(call, true);
    }

    /**
     * A read of a bounded result set, collected before it is handed on (a retry then never repeats elements already
     * emitted, and the time limit covers the whole result).
     */
    public <T> Flux<T> idempotentAll(Flux<T> call) {
        return guard(call.collectList(), true).flatMapIterable(list -> list);
    }

    /** A write that must not be repeated: one attempt. */
    public <T> Mono<T> once(Mono<T> call) {
        return guard(call, false);
    }

    /**
     * A blocking call (a synchronous client), idempotent or not, through the same breaker, bulkhead and retries, from
     * a thread that may block. Each attempt runs on Reactor's bounded-elastic threads (never on the timer threads that
     * run the retries' backoff), and the caller waits for the outcome. At the time limit the attempt is cancelled (its
     * thread interrupted) and the caller gets the failure; give the client the same timeout of its own
     * ({@link #timeout()}) so that it ends the call too. Returns its result, or throws what {@link #idempotent} or
     * {@link #once} would signal (a checked exception of the call comes wrapped in an
     * {@link java.io.UncheckedIOException} or a {@link RuntimeException}).
     */
    public <T> T blocking(boolean idempotent, java.util.concurrent.Callable<T> call) {
        try {
            return guard(Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic()), idempotent).block();
        } catch (RuntimeException e) {
            Throwable unwrapped = reactor.core.Exceptions.unwrap(e);
            if (unwrapped instanceof java.io.IOException io) {
                throw new java.io.UncheckedIOException(io);
            }
            throw unwrapped instanceof RuntimeException r ? r : e;
        }
    }

    private <T> Mono<T> guard(Mono<T> call, boolean retryable) {
        Mono<T> attempt = call
                .transformDeferred(TimeLimiterOperator.of(timeLimiter))
                .transformDeferred(BulkheadOperator.of(bulkhead))
                .transformDeferred(CircuitBreakerOperator.of(breaker));
        Mono<T> calls = retryable ? attempt.transformDeferred(RetryOperator.of(retry)) : attempt;
        return calls.timeout(deadline)
                .onErrorMap(this::unavailable, e -> new DependencyUnavailableException(dependency, e));
    }

    private boolean unavailable(Throwable e) {
        return e instanceof CallNotPermittedException || e instanceof BulkheadFullException || dependency.isOutage(e);
    }
}
