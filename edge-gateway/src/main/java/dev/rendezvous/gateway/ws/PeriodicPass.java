package dev.rendezvous.gateway.ws;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A pass over the gateway's sockets run every {@code every} while the application runs: a pass still running when
 * the next is due makes that tick drop (never two passes at once), and a pass that fails or throws is handed to
 * {@code onFailure} while the next one runs as usual. The sweeps' shared lifecycle (keep-alive, identity re-check).
 */
public final class PeriodicPass implements SmartLifecycle {

    private final Duration every;
    private final Supplier<Mono<?>> pass;
    private final Consumer<Throwable> onFailure;
    private volatile Disposable running;

    public PeriodicPass(Duration every, Supplier<Mono<?>> pass, Consumer<Throwable> onFailure) {
        this.every = every;
        this.pass = pass;
        this.onFailure = onFailure;
    }

    @Override
    public synchronized void start() {
        if (running == null) {
            running = Flux.interval(every, every)
                    .onBackpressureDrop()
                    .concatMap(tick -> Mono.defer(pass).onErrorResume(e -> {
                        onFailure.accept(e);
                        return Mono.empty();
                    }), 1)
                    .subscribe(v -> {}, onFailure);
        }
    }

    @Override
    public synchronized void stop() {
        if (running != null) {
            running.dispose();
            running = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }
}
