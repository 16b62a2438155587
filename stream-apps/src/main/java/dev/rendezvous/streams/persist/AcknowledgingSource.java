package dev.rendezvous.streams.persist;

import java.util.List;
import reactor.core.publisher.Flux;

/**
 * Records of a log in batches; a batch's position in the log is committed only once the consumer called
 * {@link Batch#acknowledge()}, so anything not acknowledged is delivered again after a restart. Batches
 * must be handled one at a time, in order.
 */
public interface AcknowledgingSource<T> {

    /** A cold flux: each subscription opens a consumer, cancelling closes it (committing what was acknowledged). */
    Flux<Batch<T>> batches();

    /** Decoded records, in log order, and how to mark them all done. */
    record Batch<T>(List<T> items, Runnable acknowledgement) {

        public Batch {
            items = List.copyOf(items);
        }

        public void acknowledge() {
            acknowledgement.run();
        }
    }
}
