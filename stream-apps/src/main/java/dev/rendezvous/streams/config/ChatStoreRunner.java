package dev.rendezvous.streams.config;

import dev.rendezvous.streams.chatstore.ChatStorePipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;

/** Subscribes the chat persistence pipeline while the application runs; cancelling it closes its consumer. */
final class ChatStoreRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ChatStoreRunner.class);

    private final ChatStorePipeline pipeline;
    private volatile Disposable subscription;

    ChatStoreRunner(ChatStorePipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public synchronized void start() {
        subscription = pipeline.run().subscribe(
                n -> {},
                e -> log.error("chat store pipeline stopped; accepted messages are no longer persisted", e));
    }

    @Override
    public synchronized void stop() {
        Disposable s = subscription;
        if (s != null) {
            s.dispose();
            subscription = null;
        }
    }

    @Override
    public boolean isRunning() {
        return subscription != null;
    }
}
