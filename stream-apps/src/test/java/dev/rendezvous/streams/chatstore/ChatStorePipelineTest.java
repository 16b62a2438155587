package dev.rendezvous.streams.chatstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.resilience.Dependency;
import dev.rendezvous.resilience.Guard;
import dev.rendezvous.resilience.Guards;
import dev.rendezvous.resilience.ResilienceSettings;
import dev.rendezvous.streams.persist.AcknowledgingSource;
import dev.rendezvous.streams.persist.AcknowledgingSource.Batch;
import dev.rendezvous.streams.persist.TableStore.RefusedDataException;
import dev.rendezvous.topics.model.ChatMessage;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

class ChatStorePipelineTest {

    private static final Duration MIN = Duration.ofMillis(200);
    private static final Duration MAX = Duration.ofSeconds(10);
    private static final String MEETING = "6f1c1b8e-0000-4000-8000-000000000001";

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-05T10:00:00Z"), ZoneOffset.UTC);

    private static ChatMessage msg(long seq) {
        return new ChatMessage(MEETING, seq, "m-" + seq, "p", "alice", "text " + seq, Instant.EPOCH);
    }

    /** A source of fixed batches that records acknowledgements, then stays open like a real consumer. */
    static final class FakeSource implements AcknowledgingSource<ChatMessage> {
        final List<List<ChatMessage>> batches;
        final List<Integer> acknowledged = new CopyOnWriteArrayList<>();

        FakeSource(List<List<ChatMessage>> batches) {
            this.batches = batches;
        }

        @Override
        public Flux<Batch<ChatMessage>> batches() {
            List<Batch<ChatMessage>> l = new ArrayList<>();
            for (int i = 0; i < batches.size(); i++) {
                int index = i;
                l.add(new Batch<>(batches.get(i), () -> acknowledged.add(index)));
            }
            return Flux.fromIterable(l).concatWith(Flux.never());
        }
    }

    /** A store whose answers the test scripts; records every insert attempt. */
    static final class FakeStore implements ChatMessageStore {
        final List<List<ChatMessage>> attempts = new CopyOnWriteArrayList<>();
        final AtomicInteger schemaAttempts = new AtomicInteger();
        int schemaFailures;
        Function<List<ChatMessage>, Mono<Long>> answer = rows -> Mono.just((long) rows.size());

        @Override
        public Mono<Void> createSchema() {
            return Mono.defer(() -> schemaAttempts.incrementAndGet() <= schemaFailures
                    ? Mono.error(new IllegalStateException("connection refused"))
                    : Mono.empty());
        }

        @Override
        public Mono<Long> insert(List<ChatMessage> messages) {
            attempts.add(messages);
            return answer.apply(messages);
        }
    }

    /** The guard's time limit per insert: 30 s, as in the virtual-time tests below. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private ChatStorePipeline pipeline(FakeSource source, FakeStore store) {
        ResilienceSettings.Policy p = new ResilienceSettings.Policy(CALL_TIMEOUT, CALL_TIMEOUT.plusSeconds(1), 2,
                Duration.ofMillis(200), 10, 3, 50f, Duration.ofSeconds(10), 1, 16);
        return new ChatStorePipeline(source, store, guard(p), MIN, MAX, clock, meters);
    }

    /**
     * Held for the test's life: the breaker's state gauges refer to it weakly (Micrometer), and once a finished
     * pipeline let go of it a GC made them NaN (seen on CI).
     */
    private final List<Object> guards = new ArrayList<>();

    private Guard guard(ResilienceSettings.Policy p) {
        Guards all = new Guards(new ResilienceSettings(p, p, p, p), meters, EnumSet.of(Dependency.POSTGRESQL));
        Guard g = all.of(Dependency.POSTGRESQL);
        guards.add(all);
        guards.add(g);
        return g;
    }

    /** What R2DBC says when PostgreSQL is not there. */
    private static RuntimeException connectionRefused() {
        return new DataAccessResourceFailureException("Failed to obtain R2DBC Connection",
                new R2dbcNonTransientResourceException("connection refused", new ConnectException("refused")));
    }

    private double breakerGauge(String state) {
        return meters.get("resilience4j.circuitbreaker.state").tag("name", "postgresql").tag("state", state).gauge().value();
    }

    @Test
    void shouldAcknowledgeABatchOnlyAfterItsInsertSucceeded() {
        FakeSource source = new FakeSource(List.of(List.of(msg(1), msg(2)), List.of(msg(3))));
        FakeStore store = new FakeStore();
        Sinks.One<Long> firstInsert = Sinks.one();
        store.answer = rows -> rows.get(0).seq() == 1 ? firstInsert.asMono() : Mono.just((long) rows.size());

        StepVerifier.create(pipeline(source, store).run())
                .then(() -> {
                    assertThat(store.attempts).hasSize(1);
                    assertThat(source.acknowledged).isEmpty();
                })
                .then(() -> firstInsert.tryEmitValue(2L))
                .expectNext(2, 1)
                .then(() -> assertThat(source.acknowledged).containsExactly(0, 1))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertThat(meters.counter("rendezvous.chat.store.inserted").count()).isEqualTo(3);
    }

    @Test
    void shouldRetryWithBackoffWhilePostgresIsDownWithoutSkippingAhead() {
        FakeSource source = new FakeSource(List.of(List.of(msg(1)), List.of(msg(2))));
        FakeStore store = new FakeStore();
        AtomicInteger failures = new AtomicInteger(3);
        store.answer = rows -> failures.getAndDecrement() > 0
                ? Mono.error(new IllegalStateException("Connection refused: 127.0.0.1:15432"))
                : Mono.just((long) rows.size());
        ChatStorePipeline p = pipeline(source, store);

        StepVerifier.withVirtualTime(p::run)
                .expectSubscription()
                .then(() -> {
                    assertThat(store.attempts).hasSize(1);
                    assertThat(p.status().healthy()).isFalse();
                    assertThat(p.status().failingSince()).isEqualTo(clock.instant());
                })
                .thenAwait(Duration.ofMinutes(1))
                .expectNext(1, 1)
                .then(() -> {
                    // three failed attempts and the successful one, all of batch 0, before batch 1 was tried
                    assertThat(store.attempts).extracting(rows -> rows.get(0).seq()).containsExactly(1L, 1L, 1L, 1L, 2L);
                    assertThat(source.acknowledged).containsExactly(0, 1);
                    assertThat(p.status().healthy()).isTrue();
                })
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertThat(meters.counter("rendezvous.chat.store.retries").count()).isEqualTo(3);
    }

    @Test
    void shouldGiveUpOnAnInsertThatNeverAnswersAndTryItAgain() {
        FakeSource source = new FakeSource(List.of(List.of(msg(1))));
        FakeStore store = new FakeStore();
        AtomicInteger hung = new AtomicInteger(1);
        // a frozen server: the first insert never completes
        store.answer = rows -> hung.getAndDecrement() > 0 ? Mono.never() : Mono.just((long) rows.size());
        ChatStorePipeline p = pipeline(source, store);

        StepVerifier.withVirtualTime(p::run)
                .expectSubscription()
                .thenAwait(CALL_TIMEOUT.minusSeconds(1))
                .then(() -> {
                    assertThat(store.attempts).hasSize(1);
                    assertThat(source.acknowledged).isEmpty();
                })
                .thenAwait(Duration.ofSeconds(15))   // the time limit, then the first backoff
                .expectNext(1)
                .then(() -> {
                    assertThat(store.attempts).hasSize(2);
                    assertThat(source.acknowledged).containsExactly(0);
                })
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertThat(meters.counter("rendezvous.chat.store.retries").count()).isEqualTo(1);
    }

    @Test
    void shouldNotAcknowledgeWhilePostgresStaysDown() {
        FakeSource source = new FakeSource(List.of(List.of(msg(1))));
        FakeStore store = new FakeStore();
        store.answer = rows -> Mono.error(new IllegalStateException("Connection refused"));

        StepVerifier.withVirtualTime(() -> pipeline(source, store).run())
                .expectSubscription()
                .thenAwait(Duration.ofHours(1))
                .expectNoEvent(Duration.ofHours(1))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertThat(source.acknowledged).isEmpty();
        // two hours; backoff grows to 10 s with ±50 % jitter: one attempt every 5-10 s, not thousands
        assertThat(store.attempts.size()).isBetween(720, 1500);
    }

    @Test
    void shouldSkipOnlyTheRowsPostgresRefusesAsData() {
        FakeSource source = new FakeSource(List.of(List.of(msg(1), msg(2), msg(3))));
        FakeStore store = new FakeStore();
        store.answer = rows -> rows.stream().anyMatch(m -> m.seq() == 2)
                ? Mono.error(new RefusedDataException("SQLSTATE 22021", null))
                : Mono.just((long) rows.size());

        StepVerifier.create(pipeline(source, store).run())
                .expectNext(3)
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertThat(store.attempts).extracting(rows -> rows.stream().map(ChatMessage::seq).toList())
                .containsExactly(List.of(1L, 2L, 3L), List.of(1L), List.of(2L), List.of(3L));
        assertThat(source.acknowledged).containsExactly(0);
        assertThat(meters.counter("rendezvous.chat.store.refused").count()).isEqualTo(1);
        assertThat(meters.counter("rendezvous.chat.store.inserted").count()).isEqualTo(2);
        // refused data is PostgreSQL's answer, not an outage: the breaker saw only successes
        assertThat(breakerGauge("closed")).isEqualTo(1.0);
        assertThat(meters.get("resilience4j.circuitbreaker.calls").tag("kind", "failed").timer().count()).isZero();
    }

    @Test
    void shouldStopCallingADownDatabaseWhileItsBreakerIsOpenAndResumeByItselfLosingNothing() {
        // real time, short times: the breaker measures its open time on the wall clock
        ResilienceSettings.Policy policy = new ResilienceSettings.Policy(Duration.ofSeconds(1), Duration.ofSeconds(2), 1,
                Duration.ofMillis(10), 4, 2, 50f, Duration.ofMillis(400), 1, 4);
        FakeSource source = new FakeSource(List.of(List.of(msg(1), msg(2)), List.of(msg(3))));
        FakeStore store = new FakeStore();
        AtomicBoolean down = new AtomicBoolean(true);
        store.answer = rows -> down.get() ? Mono.error(connectionRefused()) : Mono.just((long) rows.size());
        ChatStorePipeline p = new ChatStorePipeline(source, store, guard(policy), Duration.ofMillis(20),
                Duration.ofMillis(50), clock, meters);
        List<Integer> stored = new CopyOnWriteArrayList<>();
        Disposable running = p.run().subscribe(stored::add);
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> p.breakerState() == CircuitBreaker.State.OPEN);
            assertThat(breakerGauge("open")).as("the breaker's state in the metrics").isEqualTo(1.0);
            // the pipeline keeps trying, but while the breaker is open its attempts never reach the database
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                    meters.get("resilience4j.circuitbreaker.not.permitted.calls").tag("name", "postgresql")
                            .counter().count() >= 3);
            assertThat(store.attempts.size()).as("database calls")
                    .isLessThan((int) meters.counter("rendezvous.chat.store.retries").count());
            assertThat(source.acknowledged).as("nothing acknowledged while the database is down").isEmpty();
            assertThat(p.status().healthy()).isFalse();

            down.set(false);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> stored.size() == 2);
            assertThat(stored).containsExactly(2, 1);
            assertThat(source.acknowledged).as("each batch once, in order").containsExactly(0, 1);
            assertThat(p.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(breakerGauge("closed")).isEqualTo(1.0);
            assertThat(p.status().healthy()).isTrue();
            // every attempt of batch 0 came before batch 1's only one: nothing skipped ahead
            List<Long> firstSeqs = store.attempts.stream().map(rows -> rows.get(0).seq()).toList();
            assertThat(firstSeqs.subList(0, firstSeqs.size() - 1)).containsOnly(1L);
            assertThat(firstSeqs.get(firstSeqs.size() - 1)).isEqualTo(3L);
            assertThat(meters.counter("rendezvous.chat.store.inserted").count()).isEqualTo(3);
        } finally {
            running.dispose();
        }
    }

    @Test
    void shouldCountRowsThatWereAlreadyStored() {
        FakeSource source = new FakeSource(List.of(List.of(msg(1), msg(2), msg(3))));
        FakeStore store = new FakeStore();
        store.answer = rows -> Mono.just(1L);   // two of three were there: a redelivery

        StepVerifier.create(pipeline(source, store).run()).expectNext(3).thenCancel().verify(Duration.ofSeconds(5));
        assertThat(meters.counter("rendezvous.chat.store.already.stored").count()).isEqualTo(2);
    }

    @Test
    void shouldCreateTheTableBeforeConsumingAndRetryUntilPostgresAnswers() {
        FakeSource source = new FakeSource(List.of(List.of(msg(1))));
        FakeStore store = new FakeStore();
        store.schemaFailures = 2;
        ChatStorePipeline p = pipeline(source, store);

        StepVerifier.withVirtualTime(p::run)
                .expectSubscription()
                .then(() -> {
                    assertThat(p.status().schemaReady()).isFalse();
                    assertThat(store.attempts).isEmpty();
                })
                .thenAwait(Duration.ofSeconds(30))
                .expectNext(1)
                .then(() -> assertThat(p.status().schemaReady()).isTrue())
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertThat(store.schemaAttempts).hasValue(3);
    }
}
