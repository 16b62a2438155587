package dev.rendezvous.streams.persist;

import dev.rendezvous.resilience.Guard;
import dev.rendezvous.streams.persist.AcknowledgingSource.Batch;
import dev.rendezvous.streams.persist.TableStore.RefusedDataException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
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
 * A topic → a table (PostgreSQL, or ClickHouse for analytics), at least once and idempotent:
 * <ol>
 *   <li>create the table (retried until the database answers);</li>
 *   <li>for each batch from the source, in order: write it; on a passing failure (database down,
 *       connection lost, its circuit breaker open) retry with exponential backoff for as long as it takes, never
 *       skipping ahead;</li>
 *   <li>acknowledge the batch only after the write succeeded. A crash before that redelivers it, and the
 *       write ignores rows already there.</li>
 * </ol>
 * Every call to the database (the schema, each insert) goes through the dependency's {@link Guard} (Resilience4j): a
 * time limit per attempt (a server that stops answering, frozen or behind a network that drops packets, is a passing
 * failure like a refused connection instead of a pipeline waiting on one call forever), quick retries with backoff
 * (the writes are idempotent, so a timed-out insert the database applied after all is harmless when repeated), a
 * bulkhead, and the circuit breaker shared by every user of that database in the app: while it is open the pipeline
 * does not call the database at all but waits (the backoff below) and tries again, which the breaker lets through once
 * its open time is over, so the pipeline resumes by itself when the database is back.
 * The one exception to "never skip": rows the database refuses as data (a bad value; retrying cannot help)
 * would block the partition forever. Such a batch is retried row by row and only the refused rows are
 * skipped, each logged with its content and counted ({@code <metrics>.refused}).
 *
 * @param <T> a row, as the topic carries it
 */
public class StorePipeline<T> {

    private static final Logger log = LoggerFactory.getLogger(StorePipeline.class);

    /** What the pipeline is doing, for the health endpoint. */
    public record Status(boolean schemaReady, Instant failingSince, String lastError) {
        public boolean healthy() {
            return schemaReady && failingSince == null;
        }
    }

    private final AcknowledgingSource<T> source;
    private final TableStore<T> store;
    private final Guard guard;
    private final String table;
    private final String rows;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final Clock clock;
    private final AtomicReference<Status> status = new AtomicReference<>(new Status(false, null, null));
    private final Counter inserted;
    private final Counter alreadyStored;
    private final Counter refused;
    private final Counter retries;
    private final Counter batches;

    /**
     * @param table   the table's name, for the log
     * @param rows    what a row is, plural, for the log (e.g. "chat message(s)")
     * @param metrics the prefix of the pipeline's counters (e.g. {@code rendezvous.chat.store})
     */
    public StorePipeline(AcknowledgingSource<T> source, TableStore<T> store, Guard guard, String table, String rows,
                         String metrics, Duration minBackoff, Duration maxBackoff, Clock clock, MeterRegistry meters) {
        this.source = source;
        this.store = store;
        this.guard = guard;
        this.table = table;
        this.rows = rows;
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
        this.clock = clock;
        this.inserted = meters.counter(metrics + ".inserted");
        this.alreadyStored = meters.counter(metrics + ".already.stored");
        this.refused = meters.counter(metrics + ".refused");
        this.retries = meters.counter(metrics + ".retries");
        this.batches = meters.counter(metrics + ".batches");
    }

    public Status status() {
        return status.get();
    }

    /** The state of the circuit breaker of the database this pipeline writes to (shared with its other users). */
    public CircuitBreaker.State breakerState() {
        return guard.state();
    }

    /**
     * The pipeline; it runs while subscribed and emits the size of each batch once it is stored and
     * acknowledged. It does not complete on its own (a failing source is resubscribed); cancel it to stop.
     */
    public Flux<Integer> run() {
        return guard.idempotent(Mono.defer(store::createSchema))
                .retryWhen(backoff("create table " + table, e -> true))
                .doOnSuccess(v -> {
                    status.set(new Status(true, null, null));
                    log.info("table {} ready; persisting {}", table, rows);
                })
                .thenMany(source.batches())
                .concatMap(this::handle, 1)
                // store failures are retried inside; this restarts the consumer if the source itself fails
                .retryWhen(Retry.backoff(Long.MAX_VALUE, minBackoff).maxBackoff(maxBackoff)
                        .doBeforeRetry(s -> log.warn("{} consumer failed; restarting it: {}", table, s.failure().toString())));
    }

    private Mono<Integer> handle(Batch<T> batch) {
        return store(batch.items())
                .then(Mono.fromRunnable(batch::acknowledge))
                .doOnSuccess(v -> batches.increment())
                .thenReturn(batch.items().size());
    }

    /** Stores the rows, retrying passing failures forever; refused data is split to skip only the refused rows. */
    private Mono<Void> store(List<T> batch) {
        if (batch.isEmpty()) {
            return Mono.empty();
        }
        return guard.idempotent(Mono.defer(() -> store.insert(batch)))
                .retryWhen(backoff("insert " + batch.size() + " " + rows, e -> !(e instanceof RefusedDataException)))
                .doOnNext(n -> {
                    inserted.increment(n);
                    alreadyStored.increment(batch.size() - n);
                    recovered();
                })
                .then()
                .onErrorResume(RefusedDataException.class, e -> {
                    if (batch.size() > 1) {
                        log.warn("{} refused a batch of {} {} ({}); storing them one by one", table,
                                batch.size(), rows, e.getMessage());
                        return Flux.fromIterable(batch).concatMap(m -> store(List.of(m))).then();
                    }
                    refused.increment();
                    recovered();
                    log.error("a row of {} skipped, the database refuses it ({}): {}", table, e.getMessage(), batch.get(0), e);
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
            log.info("writes to {} work again after failing since {}", table, s.failingSince());
            status.set(new Status(s.schemaReady(), null, null));
        }
    }
}
