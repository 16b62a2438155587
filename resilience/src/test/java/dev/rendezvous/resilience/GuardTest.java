package dev.rendezvous.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The guard with fake calls: a call that never answers, one that fails at once, a business error; timeouts, retries,
 * the breaker opening, refusing and closing again, the bulkhead, the metrics.
 */
class GuardTest {

    /** Short times so that the breaker's cycle fits a unit test. */
    private static ResilienceSettings.Policy policy(int retries, int maxConcurrent) {
        return new ResilienceSettings.Policy(Duration.ofMillis(200), Duration.ofMillis(400), retries,
                Duration.ofMillis(10), 4, 4, 50f, Duration.ofMillis(300), 2, maxConcurrent);
    }

    private static Mono<String> refused(AtomicInteger attempts) {
        return Mono.defer(() -> {
            attempts.incrementAndGet();
            return Mono.error(new DataAccessResourceFailureException("Failed to obtain R2DBC Connection",
                    new R2dbcNonTransientResourceException("connection refused", new ConnectException("refused"))));
        });
    }

    @Test
    void shouldTurnACallThatNeverAnswersIntoDependencyUnavailableAtItsTimeLimit() {
        Guard guard = Guard.standalone(Dependency.POSTGRESQL, policy(1, 10));
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicInteger attempts = new AtomicInteger();
        long t0 = System.nanoTime();
        StepVerifier.create(guard.idempotent(Mono.<String>never().doOnSubscribe(s -> attempts.incrementAndGet())
                        .doOnCancel(() -> cancelled.set(true))))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(DependencyUnavailableException.class);
                    assertThat(((DependencyUnavailableException) e).dependency()).isEqualTo(Dependency.POSTGRESQL);
                    assertThat(e.getCause()).isInstanceOf(TimeoutException.class);
                })
                .verify(Duration.ofSeconds(5));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        // one attempt only: a timeout is not retried (it would only spend the caller's deadline)
        assertThat(attempts).hasValue(1);
        assertThat(cancelled).as("the hung call is cancelled").isTrue();
    }

    @Test
    void shouldRetryAQuickOutageFailureOfAnIdempotentCallOnlyAndSucceedWhenTheRetryDoes() {
        Guard guard = Guard.standalone(Dependency.POSTGRESQL, policy(2, 10));
        AtomicInteger attempts = new AtomicInteger();
        Mono<String> flaky = Mono.defer(() -> attempts.incrementAndGet() == 1
                ? Mono.error(new R2dbcNonTransientResourceException("connection closed")) : Mono.just("row"));
        StepVerifier.create(guard.idempotent(flaky)).expectNext("row").verifyComplete();
        assertThat(attempts).hasValue(2);

        AtomicInteger writes = new AtomicInteger();
        StepVerifier.create(guard.once(refused(writes))).expectError(DependencyUnavailableException.class).verify();
        assertThat(writes).as("a write is never repeated").hasValue(1);

        AtomicInteger reads = new AtomicInteger();
        StepVerifier.create(Guard.standalone(Dependency.POSTGRESQL, policy(2, 10)).idempotent(refused(reads)))
                .expectError(DependencyUnavailableException.class).verify();
        assertThat(reads).as("first attempt and two retries").hasValue(3);
    }

    @Test
    void shouldPassAnAnswerAboutTheRequestThroughUntouchedWithoutCountingItAgainstTheDependency() {
        Guard guard = Guard.standalone(Dependency.POSTGRESQL, policy(1, 10));
        AtomicInteger attempts = new AtomicInteger();
        for (int i = 0; i < 10; i++) {
            StepVerifier.create(guard.once(Mono.defer(() -> {
                attempts.incrementAndGet();
                return Mono.error(new DuplicateKeyException("users_email_lower_key"));
            }))).expectError(DuplicateKeyException.class).verify();
        }
        assertThat(attempts).hasValue(10);
        assertThat(guard.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void shouldOpenTheBreakerOnFailuresRefuseAtOnceThenHalfOpenAndCloseWhenTheDependencyIsBack() {
        Guard guard = Guard.standalone(Dependency.POSTGRESQL, policy(0, 10));
        AtomicInteger attempts = new AtomicInteger();
        for (int i = 0; i < 4; i++) {
            StepVerifier.create(guard.idempotent(refused(attempts))).expectError(DependencyUnavailableException.class).verify();
        }
        assertThat(guard.state()).isEqualTo(CircuitBreaker.State.OPEN);

        // open: refused without calling the dependency
        StepVerifier.create(guard.idempotent(refused(attempts)))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(DependencyUnavailableException.class)
                        .hasCauseInstanceOf(CallNotPermittedException.class))
                .verify();
        assertThat(attempts).hasValue(4);

        // after open-for, trial calls go through; they succeed: closed again
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() ->
                guard.idempotent(Mono.just("up")).onErrorReturn("refused").block(Duration.ofSeconds(1)).equals("up"));
        assertThat(guard.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(guard.idempotent(Mono.just("up")).block(Duration.ofSeconds(1))).isEqualTo("up");
        assertThat(guard.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void shouldReopenWhenTheTrialCallsFail() {
        Guard guard = Guard.standalone(Dependency.S3, policy(0, 10));
        AtomicInteger attempts = new AtomicInteger();
        Mono<String> down = Mono.defer(() -> {
            attempts.incrementAndGet();
            return Mono.error(software.amazon.awssdk.core.exception.SdkClientException.create("Unable to execute HTTP request",
                    new ConnectException("Connection refused")));
        });
        for (int i = 0; i < 4; i++) {
            StepVerifier.create(guard.idempotent(down)).expectError(DependencyUnavailableException.class).verify();
        }
        assertThat(guard.state()).isEqualTo(CircuitBreaker.State.OPEN);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
            guard.idempotent(down).onErrorReturn("x").block(Duration.ofSeconds(1));
            return attempts.get() > 4;
        });
        guard.idempotent(down).onErrorReturn("x").block(Duration.ofSeconds(1));
        assertThat(guard.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void shouldRefuseACallBeyondTheBulkheadAtOnce() {
        Guard guard = Guard.standalone(Dependency.AEROSPIKE, policy(0, 2));
        List<Mono<String>> held = List.of(guard.idempotent(Mono.never()), guard.idempotent(Mono.never()));
        var subscriptions = held.stream().map(m -> m.subscribe(v -> {}, e -> {})).toList();
        StepVerifier.create(guard.idempotent(Mono.just("third")))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(DependencyUnavailableException.class)
                        .hasCauseInstanceOf(io.github.resilience4j.bulkhead.BulkheadFullException.class))
                .verify();
        subscriptions.forEach(reactor.core.Disposable::dispose);
        assertThat(guard.idempotent(Mono.just("fourth")).block(Duration.ofSeconds(1))).isEqualTo("fourth");
    }

    @Test
    void shouldCollectAFluxSoThatARetryNeverRepeatsElements() {
        Guard guard = Guard.standalone(Dependency.POSTGRESQL, policy(1, 10));
        AtomicInteger attempts = new AtomicInteger();
        Flux<Integer> rows = Flux.defer(() -> attempts.incrementAndGet() == 1
                ? Flux.concat(Flux.just(1, 2), Flux.error(new R2dbcNonTransientResourceException("connection reset")))
                : Flux.just(1, 2, 3));
        StepVerifier.create(guard.idempotentAll(rows)).expectNext(1, 2, 3).verifyComplete();
    }

    @Test
    void shouldExportTheBreakersStateToMicrometer() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Guards guards = new Guards(new ResilienceSettings(policy(0, 10), policy(0, 10), policy(0, 10), policy(0, 10)), meters);
        AtomicInteger attempts = new AtomicInteger();
        for (int i = 0; i < 4; i++) {
            guards.of(Dependency.POSTGRESQL).idempotent(refused(attempts)).onErrorReturn("x").block();
        }
        assertThat(meters.get("resilience4j.circuitbreaker.state").tags("name", "postgresql", "state", "open").gauge().value())
                .isEqualTo(1.0);
        assertThat(meters.get("resilience4j.circuitbreaker.state").tags("name", "s3", "state", "closed").gauge().value())
                .isEqualTo(1.0);
        assertThat(meters.get("resilience4j.bulkhead.available.concurrent.calls").tags("name", "aerospike").gauge().value())
                .isEqualTo(10.0);
        // the gauges refer to the breakers weakly (Micrometer): they must outlive the reads above, or a GC makes them NaN
        java.lang.ref.Reference.reachabilityFence(guards);
    }

    @Test
    void shouldRunABlockingCallThroughTheSameRetriesAndTurnAnOutageIntoDependencyUnavailable() {
        Guard guard = Guard.standalone(Dependency.POSTGRESQL, policy(1, 10));
        AtomicInteger attempts = new AtomicInteger();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> guard.blocking(true, () -> refused(attempts).block()))
                .isInstanceOf(DependencyUnavailableException.class);
        assertThat(attempts).as("one retry of the idempotent call").hasValue(2);

        AtomicInteger once = new AtomicInteger();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> guard.blocking(false, () -> refused(once).block()))
                .isInstanceOf(DependencyUnavailableException.class);
        assertThat(once).as("a call that must not be repeated: one attempt").hasValue(1);
        assertThat(guard.blocking(true, () -> "answer")).isEqualTo("answer");
    }

    /** An answer about the request itself, whatever caused it. */
    static final class Refused extends RuntimeException implements RequestRefused {
        Refused(Throwable cause) {
            super("refused as data", cause);
        }
    }

    @Test
    void shouldNeverCountARequestRefusedAsAnOutageWhateverItsCause() {
        Guard guard = Guard.standalone(Dependency.CLICKHOUSE, policy(1, 10));
        AtomicInteger attempts = new AtomicInteger();
        for (int i = 0; i < 6; i++) {
            StepVerifier.create(guard.idempotent(Mono.defer(() -> {
                        attempts.incrementAndGet();
                        return Mono.error(new Refused(new java.io.IOException("the server's own words")));
                    })))
                    .expectError(Refused.class)
                    .verify(Duration.ofSeconds(5));
        }
        assertThat(attempts).as("never retried").hasValue(6);
        assertThat(guard.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
}
