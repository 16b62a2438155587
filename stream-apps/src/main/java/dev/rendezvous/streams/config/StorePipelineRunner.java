package dev.rendezvous.streams.config;

import dev.rendezvous.streams.persist.StorePipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;

/** Subscribes a topic → table pipeline while the application runs; cancelling it closes its consumer. */
final class StorePipelineRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StorePipelineRunner.class);

    private final StorePipeline<?> pipeline;
    private final String what;
    private volatile Disposable subscription;

    /** {@code what}: for the log, e.g. "accepted messages are no longer persisted". */
    StorePipelineRunner(StorePipeline<?> pipeline, String what) {
        this.pipeline = pipeline;
        this.what = what;
    }

    @Override
    public synchronized void start() {
        subscription = pipeline.run().subscribe(
                n -> {},
                e -> log.error("store pipeline stopped; {}", what, e));
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
