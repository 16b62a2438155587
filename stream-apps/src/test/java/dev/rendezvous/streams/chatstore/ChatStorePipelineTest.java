package dev.rendezvous.streams.chatstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.streams.persist.AcknowledgingSource;
import dev.rendezvous.streams.persist.AcknowledgingSource.Batch;
import dev.rendezvous.streams.persist.TableStore.RefusedDataException;
import dev.rendezvous.topics.model.ChatMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
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

    private ChatStorePipeline pipeline(FakeSource source, FakeStore store) {
        return new ChatStorePipeline(source, store, MIN, MAX, clock, meters);
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
                .thenAwait(dev.rendezvous.streams.persist.StorePipeline.CALL_TIMEOUT.minusSeconds(1))
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
