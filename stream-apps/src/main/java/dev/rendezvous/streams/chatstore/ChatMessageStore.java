package dev.rendezvous.streams.chatstore;

import dev.rendezvous.topics.model.ChatMessage;
import java.util.List;
import reactor.core.publisher.Mono;

/** Where accepted chat messages are kept for history (the gateway reads them). */
public interface ChatMessageStore {

    /** Creates the table if it does not exist; safe to run from every instance at every start. */
    Mono<Void> createSchema();

    /**
     * Inserts the messages in one statement; a message whose (meeting, seq) or (meeting, clientMsgId) is
     * already stored is left as it is, so inserting again after a redelivery is harmless.
     *
     * <p>Fails with {@link RefusedDataException} when the database refuses the data itself (retrying the
     * same rows cannot help); any other error is presumed to pass (database down, connection lost, ...).
     *
     * @return how many rows were actually inserted
     */
    Mono<Long> insert(List<ChatMessage> messages);

    /** The database refused the rows themselves (a data or constraint error), not a passing failure. */
    final class RefusedDataException extends RuntimeException {
        public RefusedDataException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
