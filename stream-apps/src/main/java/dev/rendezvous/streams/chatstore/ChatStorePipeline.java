package dev.rendezvous.streams.chatstore;

import dev.rendezvous.streams.chatstore.AcknowledgingSource.Batch;
import dev.rendezvous.streams.chatstore.ChatMessageStore.RefusedDataException;
import dev.rendezvous.topics.model.ChatMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Accepted chat messages → PostgreSQL, at least once and idempotent:
 * <ol>
 *   <li>create the table (retried until PostgreSQL answers);</li>
 *   <li>for each batch from the source, in order: insert it; on a passing failure (PostgreSQL down,
 *       connection lost) retry with exponential backoff for as long as it takes, never skipping ahead;</li>
 *   <li>acknowledge the batch only after the insert succeeded. A crash before that redelivers it, and the
 *       insert ignores rows already there.</li>
 * </ol>
 * The one exception to "never skip": rows PostgreSQL refuses as data (a bad value; retrying cannot help)
 * would block the partition forever. Such a batch is retried row by row and only the refused rows are
 * skipped, each logged with its content and counted ({@code rendezvous.chat.store.refused}). The room
 * processor validates messages so that this does not happen.
 */
public final class ChatStorePipeline {

    private static final Logger log = LoggerFactory.getLogger(ChatStorePipeline.class);

    /** What the pipeline is doing, for the health endpoint. */
    public record Status(boolean schemaReady, Instant failingSince, String lastError) {
        public boolean healthy() {
            return schemaReady && failingSince == null;
        }
    }

    private final AcknowledgingSource<ChatMessage> source;
    private final ChatMessageStore store;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final Clock clock;
    private final AtomicReference<Status> status = new AtomicReference<>(new Status(false, null, null));
    private final Counter inserted;
    private final Counter alreadyStored;
    private final Counter refused;
    private final Counter retries;
    private final Counter batches;

    public ChatStorePipeline(AcknowledgingSource<ChatMessage> source, ChatMessageStore store,
                             Duration minBackoff, Duration maxBackoff, Clock clock, MeterRegistry meters) {
        this.source = source;
        this.store = store;
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
        this.clock = clock;
        this.inserted = meters.counter("rendezvous.chat.store.inserted");
        this.alreadyStored = meters.counter("rendezvous.chat.store.already.stored");
        this.refused = meters.counter("rendezvous.chat.store.refused");
        this.retries = meters.counter("rendezvous.chat.store.retries");
        this.batches = meters.counter("rendezvous.chat.store.batches");
    }

    public Status status() {
        return status.get();
    }

    /**
     * The pipeline; it runs while subscribed and emits the size of each batch once it is stored and
     * acknowledged. It does not complete on its own (a failing source is resubscribed); cancel it to stop.
     */
    public Flux<Integer> run() {
        return Mono.defer(store::createSchema)
                .retryWhen(backoff("create table chat_messages", e -> true))
                .doOnSuccess(v -> {
                    status.set(new Status(true, null, null));
                    log.info("table chat_messages ready; persisting chat.message.accepted");
                })
                .thenMany(source.batches())
                .concatMap(this::handle, 1)
                // store failures are retried inside; this restarts the consumer if the source itself fails
                .retryWhen(Retry.backoff(Long.MAX_VALUE, minBackoff).maxBackoff(maxBackoff)
                        .doBeforeRetry(s -> log.warn("chat store consumer failed; restarting it: {}", s.failure().toString())));
    }

    private Mono<Integer> handle(Batch<ChatMessage> batch) {
        return store(batch.items())
                .then(Mono.fromRunnable(batch::acknowledge))
                .doOnSuccess(v -> batches.increment())
                .thenReturn(batch.items().size());
    }

    /** Stores the rows, retrying passing failures forever; refused data is split to skip only the refused rows. */
    private Mono<Void> store(List<ChatMessage> rows) {
        if (rows.isEmpty()) {
            return Mono.empty();
        }
        return Mono.defer(() -> store.insert(rows))
                .retryWhen(backoff("insert " + rows.size() + " chat message(s)", e -> !(e instanceof RefusedDataException)))
                .doOnNext(n -> {
                    inserted.increment(n);
                    alreadyStored.increment(rows.size() - n);
                    recovered();
                })
                .then()
                .onErrorResume(RefusedDataException.class, e -> {
                    if (rows.size() > 1) {
                        log.warn("PostgreSQL refused a batch of {} chat messages ({}); storing them one by one",
                                rows.size(), e.getMessage());
                        return Flux.fromIterable(rows).concatMap(m -> store(List.of(m))).then();
                    }
                    refused.increment();
                    recovered();
                    log.error("chat message skipped, PostgreSQL refuses it ({}): {}", e.getMessage(), rows.get(0), e);
                    return Mono.empty();
                });
    }

    private Retry backoff(String what, java.util.function.Predicate<Throwable> retryable) {
        return Retry.backoff(Long.MAX_VALUE, minBackoff)
                .maxBackoff(maxBackoff)
                .filter(retryable)
                .doBeforeRetry(signal -> {
                    retries.increment();
                    Status s = status.get();
                    Instant since = s.failingSince() != null ? s.failingSince() : clock.instant();
                    status.set(new Status(s.schemaReady(), since, String.valueOf(signal.failure())));
                    // every retry while it is short-lived, then every tenth: a long outage must not flood the log
                    if (signal.totalRetries() < 5 || signal.totalRetries() % 10 == 0) {
                        log.warn("cannot {} (attempt {}), retrying with backoff: {}",
                                what, signal.totalRetries() + 1, signal.failure().toString());
                    }
                });
    }

    private void recovered() {
        Status s = status.get();
        if (s.failingSince() != null) {
            log.info("PostgreSQL writes work again after failing since {}", s.failingSince());
            status.set(new Status(s.schemaReady(), null, null));
        }
    }
}
