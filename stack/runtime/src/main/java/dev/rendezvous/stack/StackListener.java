package dev.rendezvous.stack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives the stack's progress lines ("starting Kafka broker on 127.0.0.1:19092", "Kafka broker ready in
 * 3.1 s", ...) and warnings (a child that exited unexpectedly, analytics off). Called from several threads.
 */
@FunctionalInterface
public interface StackListener {

    void onProgress(String message);

    /** Problems that do not stop the stack; by default reported like progress. */
    default void onWarning(String message) {
        onProgress(message);
    }

    /** Logs through SLF4J (logger {@code dev.rendezvous.stack.Stack}): progress at INFO, warnings at WARN. */
    static StackListener logging() {
        Logger log = LoggerFactory.getLogger(Stack.class);
        return new StackListener() {
            @Override
            public void onProgress(String message) {
                log.info(message);
            }

            @Override
            public void onWarning(String message) {
                log.warn(message);
            }
        };
    }
}
