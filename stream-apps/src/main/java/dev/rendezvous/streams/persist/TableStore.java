package dev.rendezvous.streams.persist;

import dev.rendezvous.resilience.RequestRefused;
import java.util.List;
import reactor.core.publisher.Mono;

/** A table (PostgreSQL, or ClickHouse for analytics) that a {@link StorePipeline} fills from a topic, idempotently. */
public interface TableStore<T> {

    /** Creates the table(s) if they do not exist; safe to run from every instance at every start. */
    Mono<Void> createSchema();

    /**
     * Writes the rows in one go; a row already written is left as it is (or written to the same result), so writing
     * again after a redelivery is harmless.
     *
     * <p>Fails with {@link RefusedDataException} when the database refuses the data itself (retrying the same rows
     * cannot help); any other error is presumed to pass (database down, connection lost, ...).
     *
     * @return how many rows were actually changed
     */
    Mono<Long> insert(List<T> rows);

    /**
     * The database refused the rows themselves (a data or constraint error), not a passing failure: its circuit
     * breaker counts it as an answer, not an outage.
     */
    final class RefusedDataException extends RuntimeException implements RequestRefused {
        public RefusedDataException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
