package dev.rendezvous.gateway.ws;

import dev.rendezvous.gateway.kafka.EventBus;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.util.retry.Retry;

/**
 * Reads this gateway's delivery partition and hands each record to the {@link DeliveryRouter}. Starts before the
 * web server and does not return until the partition is assigned and positioned at its end, so that no socket
 * exists before deliveries for it can be read. If the consumer fails, it is restarted (again at the end).
 */
public final class DeliveryPump implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeliveryPump.class);

    private final EventBus bus;
    private final int partition;
    private final DeliveryRouter router;
    private final Duration startTimeout;
    private volatile Disposable subscription;

    public DeliveryPump(EventBus bus, int partition, DeliveryRouter router, Duration startTimeout) {
        this.bus = bus;
        this.partition = partition;
        this.router = router;
        this.startTimeout = startTimeout;
    }

    @Override
    public void start() {
        CountDownLatch assigned = new CountDownLatch(1);
        subscription = bus.deliveries(partition, assigned::countDown)
                .doOnNext(d -> router.route(d.key(), d.delivery()))
                .doOnError(e -> log.error("delivery consumer failed; restarting it at the end of partition {}", partition, e))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(10)))
                .subscribe();
        try {
            if (!assigned.await(startTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                subscription.dispose();
                throw new IllegalStateException("the delivery partition " + partition + " was not assigned within " + startTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the delivery consumer", e);
        }
    }

    @Override
    public void stop() {
        Disposable s = subscription;
        if (s != null) {
            s.dispose();
        }
        subscription = null;
    }

    @Override
    public boolean isRunning() {
        return subscription != null && !subscription.isDisposed();
    }

    /** Starts early (before the web server) and stops late (after the sockets are closed). */
    @Override
    public int getPhase() {
        return 0;
    }
}
